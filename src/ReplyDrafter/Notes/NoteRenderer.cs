using System.Globalization;
using System.Text;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Notes;

/// <summary>Everything a note file shows. Frontmatter values come from here, never keys from the model.</summary>
/// <param name="Source">email | transcript.</param>
/// <param name="SourceRef">Vault-relative path of the source copy (or archived transcript).</param>
/// <param name="PromptFile">Vault-relative path of the prompt record.</param>
/// <param name="MyName">The configured user: an owner with this name renders as <c>@Myself</c>.</param>
public sealed record NoteDocument(
    NoteContent Content,
    DateOnly Date,
    IReadOnlyList<string> Participants,
    string Source,
    string SourceRef,
    string PromptFile,
    string MyName);

internal static class NoteRenderer
{
    public const string Myself = "Myself";
    public const string None = "_None._";

    private static readonly string[] SelfWords = ["me", "myself", "i"];

    // Obsidian Tasks reads these as fields wherever they appear in a task line; model text must not carry them.
    private static readonly string[] TaskSignifiers =
        ["📅", "🗓️", "🗓", "⏳", "🛫", "➕", "✅", "❌", "🔁", "🆔", "⛔", "🏁", "🔺", "⏫", "🔼", "🔽", "⏬️", "⏬"];

    /// <summary>The note as markdown with YAML frontmatter (SPEC §2).</summary>
    /// <remarks>Names are rendered as given: canonicalize first (<see cref="NoteContent.WithCanonicalNames"/>).
    /// Empty sections keep their heading and read "_None._".</remarks>
    public static string Render(NoteDocument note)
    {
        ArgumentNullException.ThrowIfNull(note);
        var content = note.Content;
        if (!NoteVocabulary.Shipped.Kinds.Contains(content.Kind, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Unknown note kind '{content.Kind}'.", nameof(note));
        }

        if (note.Source is not ("email" or "transcript"))
        {
            throw new ArgumentException($"Unknown note source '{note.Source}': email or transcript.", nameof(note));
        }

        var isPeople = content.Kind == "people";
        var title = TextFolding.SingleLine(content.Title);
        var project = isPeople ? string.Empty : TextFolding.SingleLine(content.Project);
        var person = isPeople ? TextFolding.SingleLine(content.Person) : string.Empty;
        var participants = note.Participants.Select(TextFolding.SingleLine).Where(name => name.Length > 0).ToList();
        var date = note.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var fields = new List<KeyValuePair<string, object?>>
        {
            new("type", content.Kind),
            new("title", title),
            new("date", date),
        };
        if (project.Length > 0)
        {
            fields.Add(new("project", project));
        }

        if (person.Length > 0)
        {
            fields.Add(new("person", person));
        }

        fields.Add(new("participants", participants));
        fields.Add(new("source", note.Source));
        fields.Add(new("source_ref", VaultPath.Relative(note.SourceRef, nameof(note.SourceRef))));
        fields.Add(new("tags", Tags(content.Kind, project, person)));
        fields.Add(new("prompt_file", VaultPath.Relative(note.PromptFile, nameof(note.PromptFile))));

        var body = new StringBuilder(Frontmatter.WriteInert(fields));
        body.Append('\n');
        body.Append("# ").Append(MarkdownText.Heading(title)).Append("\n\n");
        body.Append("**Date**: ").Append(date).Append('\n');
        if (participants.Count > 0)
        {
            body.Append(isPeople ? "**With**: " : "**Attendees**: ")
                .AppendJoin(", ", participants.Select(MarkdownText.Inline)).Append('\n');
        }

        if (MarkdownText.Wikilink(project) is { } projectLink)
        {
            body.Append("**Project**: ").Append(projectLink).Append('\n');
        }

        Section(body, "Summary", MarkdownText.Paragraphs(content.Summary));
        Section(body, "Action Items", content.ActionItems.Select(item => TaskLine(item, note.MyName)));
        Section(body, "Decisions", content.Decisions.Select(Bullet));
        Section(body, "Key Information", content.KeyInformation.Select(Bullet));
        Section(body, "Related", content.Related.Select(MarkdownText.Wikilink).OfType<string>()
            .Distinct(StringComparer.OrdinalIgnoreCase).Select(link => "- " + link));

        body.Append("\n---\n\n");
        var sourceLink = MarkdownText.Wikilink(Path.GetFileNameWithoutExtension(note.SourceRef.Replace('\\', '/')));
        if (sourceLink is not null)
        {
            body.Append("*Source: ").Append(sourceLink).Append("*\n");
        }

        return body.ToString();
    }

    /// <summary><c>- [?] task @Owner 📅 YYYY-MM-DD ⏫ #task #proposed #auto</c> (Obsidian Tasks format).</summary>
    internal static string TaskLine(ActionItem item, string myName)
    {
        var line = new StringBuilder("- [?] ").Append(MarkdownText.Inline(WithoutSignifiers(item.Task)));
        var owner = Owner(item.Owner, myName);
        if (owner.Length > 0)
        {
            line.Append(" @").Append(owner);
        }

        if (item.Due is { } due)
        {
            line.Append(" 📅 ").Append(due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        var priority = item.Priority switch
        {
            "highest" => "🔺",
            "high" => "⏫",
            "medium" => "🔼",
            "low" => "🔽",
            "none" or "" => null,
            var other => throw new ArgumentException($"Unknown priority '{other}'.", nameof(item)),
        };
        if (priority is not null)
        {
            line.Append(' ').Append(priority);
        }

        return line.Append(" #task #proposed #auto").ToString();
    }

    private static string Owner(string owner, string myName)
    {
        // Owners keep their spaces ("@Lior Genzel", as users' task queries expect) but lose what would start a tag or link.
        var name = (MarkdownText.WikilinkTarget(WithoutSignifiers(owner)) ?? string.Empty).TrimStart('@', ' ');
        if (name.Length == 0)
        {
            return name;
        }

        var isMe = SelfWords.Contains(name, StringComparer.OrdinalIgnoreCase)
            || (PeopleDirectory.NameKey(myName ?? string.Empty) is { Length: > 0 } me && PeopleDirectory.NameKey(name) == me);
        return isMe ? Myself : name;
    }

    private static string Bullet(string text) => "- " + MarkdownText.Inline(text);

    private static string WithoutSignifiers(string text)
    {
        foreach (var signifier in TaskSignifiers)
        {
            text = text.Replace(signifier, " ", StringComparison.Ordinal);
        }

        return text;
    }

    private static void Section(StringBuilder body, string heading, string text) =>
        Section(body, heading, text.Length == 0 ? Array.Empty<string>() : new[] { text });

    private static void Section(StringBuilder body, string heading, IEnumerable<string> lines)
    {
        body.Append("\n## ").Append(heading).Append("\n\n");
        var any = false;
        foreach (var line in lines.Where(line => line.Length > 0 && line != "- "))
        {
            body.Append(line).Append('\n');
            any = true;
        }

        if (!any)
        {
            body.Append(None).Append('\n');
        }
    }

    private static List<string> Tags(string kind, string project, string person)
    {
        var tags = new List<string> { $"type/{kind}" };
        if (project.Length > 0 && TagSlug(project) is { } projectTag)
        {
            tags.Add($"project/{projectTag}");
        }

        if (person.Length > 0 && TagSlug(person) is { } personTag)
        {
            tags.Add($"person/{personTag}");
        }

        tags.Add("generated");
        return tags;
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Globalization", "CA1308:Normalize strings to uppercase", Justification = "Obsidian tags are lowercase by convention (project/cloud).")]
    private static string? TagSlug(string name)
    {
        var slug = Slug.Make(name, 60);
        return slug == Slug.Fallback && !name.Contains(Slug.Fallback, StringComparison.OrdinalIgnoreCase) ? null : slug.ToLowerInvariant();
    }
}
