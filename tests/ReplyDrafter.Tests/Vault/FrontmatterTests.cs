using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed class FrontmatterTests
{
    public static TheoryData<string> Nasty => NastyStrings.AsTheoryData();

    [Theory]
    [MemberData(nameof(Nasty))]
    public void Write_NastyScalar_ReadsBackExactly(string value)
    {
        var yaml = Frontmatter.Write([new("value", value)]);

        var read = Frontmatter.Read(yaml + "\n# Body\n");

        Assert.Equal(value, read.GetString("value"));
    }

    [Theory]
    [MemberData(nameof(Nasty))]
    public void Write_NastyListItem_ReadsBackExactly(string value)
    {
        var yaml = Frontmatter.Write([new("items", new[] { "first", value, "last" })]);

        var read = Frontmatter.Read(yaml);

        Assert.Equal(["first", value, "last"], read.GetStrings("items"));
    }

    [Fact]
    public void Write_AllNastyValuesInOneBlock_EveryKeyReadsBackInOrder()
    {
        var fields = NastyStrings.All.Select((value, index) => new KeyValuePair<string, object?>($"k{index}", value)).ToList();

        var yaml = Frontmatter.Write(fields);
        var read = Frontmatter.Read(yaml);

        Assert.Equal(fields.Count, read.Count);
        foreach (var (key, value) in fields)
        {
            Assert.Equal(value, read.GetString(key));
        }

        var keyOrder = yaml.Split('\n').Where(line => line.StartsWith('k')).Select(line => line[..line.IndexOf(':', StringComparison.Ordinal)]);
        Assert.Equal(fields.Select(field => field.Key), keyOrder);
    }

    [Fact]
    public void Write_TypicalValues_UsesReadableStyles()
    {
        var yaml = Frontmatter.Write(
        [
            new("type", "projects"),
            new("title", "MAI and VAST: supply chain"),
            new("date", "2025-12-21"),
            new("answer", "yes"),
            new("name", "Karén Simonyan"),
            new("emoji", "📅 due"),
            new("quote", "it's"),
            new("multi", "a\nb"),
            new("done", true),
            new("temperature", 0.3),
            new("count", 12),
            new("nothing", null),
            new("participants", new[] { "Jeff Denworth", "Jason Vallery" }),
            new("cc", Array.Empty<string>()),
        ]);

        Assert.Equal(
            """
            ---
            type: projects
            title: 'MAI and VAST: supply chain'
            date: '2025-12-21'
            answer: 'yes'
            name: Karén Simonyan
            emoji: 📅 due
            quote: it's
            multi: "a\nb"
            done: true
            temperature: 0.3
            count: 12
            nothing: null
            participants:
            - Jeff Denworth
            - Jason Vallery
            cc: []
            ---

            """.ReplaceLineEndings("\n"),
            yaml);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("off")]
    [InlineData("y")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("true")]
    [InlineData("1")]
    [InlineData("1.0")]
    [InlineData("-1")]
    [InlineData(".5")]
    [InlineData("2025-01-01")]
    [InlineData("12:30")]
    [InlineData(".inf")]
    public void Write_StringThatOtherParsersWouldType_IsQuoted(string value) =>
        Assert.Equal($"---\nv: '{value}'\n---\n", Frontmatter.Write([new("v", value)]));

    [Fact]
    public void Write_EmojiAndControlCharacterTogether_KeepsEmojiUnescaped()
    {
        var yaml = Frontmatter.Write([new("v", "📅 line\nnext 🎉")]);

        Assert.Contains("\"📅 line\\nnext 🎉\"", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("\\U", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LoneSurrogate_WritesReplacementCharacter()
    {
        var yaml = Frontmatter.Write([new("v", "bad\uD800end")]);

        Assert.Equal("bad\uFFFDend", Frontmatter.Read(yaml).GetString("v"));
    }

    [Fact]
    public void Write_NeverEmitsARawLineThatClosesTheBlock()
    {
        var fields = NastyStrings.All.Select((value, index) => new KeyValuePair<string, object?>($"k{index}", new[] { value })).ToList();

        var lines = Frontmatter.Write(fields).Split('\n');

        Assert.Equal(2, lines.Count(line => line.TrimEnd() is "---" or "..."));
    }

    [Theory]
    [InlineData("bad key")]
    [InlineData("")]
    [InlineData("a:b")]
    [InlineData("-x")]
    public void Write_InvalidKey_Throws(string key) =>
        Assert.Throws<ArgumentException>(() => Frontmatter.Write([new(key, "v")]));

    [Fact]
    public void Write_DuplicateKey_Throws() =>
        Assert.Throws<ArgumentException>(() => Frontmatter.Write([new("a", "1"), new("a", "2")]));

    [Fact]
    public void Write_UnsupportedValueType_Throws() =>
        Assert.Throws<ArgumentException>(() => Frontmatter.Write([new("a", new object())]));

    [Fact]
    public void Read_NoFrontmatter_ReturnsEmpty() =>
        Assert.Empty(Frontmatter.Read("# Just a note\n\ntype: people\n"));

    [Fact]
    public void Read_UnclosedFrontmatter_ReturnsEmpty() =>
        Assert.Empty(Frontmatter.Read("---\ntype: people\n# Note\n"));

    [Theory]
    [InlineData("---\ntitle: [unclosed\n---\n")]
    [InlineData("---\ntitle: 'open\n---\n")]
    [InlineData("---\n- just\n- a list\n---\n")]
    [InlineData("---\n\tbad: indent\n  other: x\n---\n")]
    public void Read_MalformedYaml_ReturnsEmpty(string markdown) =>
        Assert.Empty(Frontmatter.Read(markdown));

    [Fact]
    public void Read_CrLfAndBom_Parses()
    {
        var read = Frontmatter.Read("\uFEFF---\r\ntype: person\r\naliases:\r\n  - Jonsi\r\n---\r\nBody\r\n");

        Assert.Equal("person", read.GetString("type"));
        Assert.Equal(["Jonsi"], read.GetStrings("aliases"));
    }

    [Fact]
    public void Read_ScalarsStayStrings_NullsAreNull()
    {
        var read = Frontmatter.Read("---\na: true\nb: 0.3\nc: null\nd: ~\ne:\nf: 'null'\ng: [x, y]\nh: {i: j}\n---\n");

        Assert.Equal("true", read.GetString("a"));
        Assert.True(read.GetBool("a"));
        Assert.Equal(0.3, read.GetDouble("b"));
        Assert.Null(read["c"]);
        Assert.Null(read["d"]);
        Assert.Null(read["e"]);
        Assert.Equal("null", read.GetString("f"));
        Assert.Equal(["x", "y"], read.GetStrings("g"));
        Assert.IsType<Dictionary<string, object?>>(read["h"]);
    }

    [Fact]
    public void GetStrings_SingleScalar_IsOneItemList() =>
        Assert.Equal(["Jonsi"], Frontmatter.Read("---\naliases: Jonsi\n---\n").GetStrings("aliases"));

    [Fact]
    public void Body_AfterFrontmatter_ReturnsRest()
    {
        Assert.Equal("# Title\ntext\n", Frontmatter.Body("---\na: b\n---\n# Title\ntext\n"));
        Assert.Equal("# No frontmatter\n", Frontmatter.Body("# No frontmatter\n"));
    }
}
