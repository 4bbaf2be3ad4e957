namespace ReplyDrafter.Tests.Vault;

/// <summary>Strings that break naive YAML, markdown or file-name writers.</summary>
internal static class NastyStrings
{
    public static readonly IReadOnlyList<string> All = Build();

    public static TheoryData<string> AsTheoryData()
    {
        var data = new TheoryData<string>();
        foreach (var value in All)
        {
            data.Add(value);
        }

        return data;
    }

    private static List<string> Build()
    {
        List<string> values =
        [
            "", " ", "  ", "plain", "Plain words, with a comma", "it's", "'single'", "\"double\"", "'", "\"", "''", "\"\"",
            "a: b", "a:b", "key:", ": x", "x :y", "#hash", "a #b", "a#b", "@at", "`tick", "*star", "&amp", "!bang", "!!str", "%pct", "%YAML 1.2",
            "{}", "[]", "{a: 1}", "[1, 2]", "a [b] {c}, d", "- item", "-", "--", "---", "...", "? q", "?", "|", ">", "| literal", "> folded",
            "=", "<<", "<id@host.example>", "<", ">x",
            "yes", "no", "Yes", "NO", "on", "Off", "y", "n", "Y", "null", "Null", "NULL", "~", "true", "False", "TRUE",
            "1", "1.0", "-1", "+1", ".5", "1e3", "0x1F", "0o17", "012", "1_000", "12:30", "190:20:30", "2025-01-01", "2025-1-1",
            "2025-01-01T10:00:00Z", "2025-01-01 10:00:00 +01:00", ".inf", "-.inf", ".NaN", "0.3",
            " lead", "trail ", "  both  ", "\tTab", "tab\tinside", "line1\nline2", "line1\r\nline2", "\n", "trailing\n", "a\n\nb", "\r",
            "\\backslash", "C:\\Users\\me", "../../etc/passwd", "/etc/passwd", "a/b\\c",
            "Café Größe", "中文标题", "Привет мир", "Ελληνικά", "עברית", "مرحبا", "हिन्दी",
            "📅 2025-01-01 ⏫", "👩‍👩‍👧 family", "🔺", "emoji at end 🎉",
            "\u0085nel", "\u2028ls", "\u2029ps", "\uFEFFbom", "zero\u200Bwidth", "nbsp\u00A0x", "\u00A0", "bell\u0007", "nul\0x", "del\u007F", "c1\u0090",
            "Jeff \"The Boss\" O'Brien", "Re: Re: [EXT] Fwd: \"quoted\" -- subject: ok?", "---\ntitle: injected\n---", "a: b\nc: d",
            "\\\"", "\\n", "#", "%%", "%% hidden %%", "x: |", "- [ ] task", "# heading", "> quote", "[[link]]", "*", "**bold**",
            "key: value # comment", "'quoted' then text", "\"dq\" then text", "text 'inner' text", "ends with quote'", "ends with colon:",
            "Jeff Denworth <jeff@example.com>", "\"Denworth, Jeff\" <jeff@example.com>",
        ];
        values.Add(new string('x', 500));
        values.Add(string.Concat(Enumerable.Repeat("long words ", 60)));
        return values;
    }
}
