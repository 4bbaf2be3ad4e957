using ReplyDrafter.Llm;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

/// <summary>One reader serves the vault's frontmatter and the prompt templates: same null words, different strictness.</summary>
public sealed class YamlTreeTests
{
    private const string Yaml = "a: null\nb: \"null\"\nc: ~\nd: !!str null\ne: 42\nf: [x, ~]\n";

    [Fact]
    public void Parse_NullWords_OnlyPlainScalarsAreNull()
    {
        var fields = Frontmatter.Parse(Yaml);

        Assert.Null(fields["a"]);
        Assert.Equal("null", fields["b"]);
        Assert.Null(fields["c"]);
        Assert.Equal("null", fields["d"]);
        Assert.Equal("42", fields["e"]);
        Assert.Equal(["x", null], (List<object?>)fields["f"]!);
    }

    [Fact]
    public void ParseMapping_SameNullWords_TypesScalarsAsJson()
    {
        var json = YamlJson.ParseMapping(Yaml);

        Assert.Null(json["a"]);
        Assert.Equal("null", (string?)json["b"]);
        Assert.Null(json["c"]);
        Assert.Equal("null", (string?)json["d"]);
        Assert.Equal(42, (long)json["e"]!);
        Assert.Equal("[\"x\",null]", json["f"]!.ToJsonString());
    }

    [Fact]
    public void RepeatedKey_FrontmatterTakesTheLast_TemplateIsAnError()
    {
        const string repeated = "k: one\nk: two\n";

        Assert.Equal("two", Frontmatter.Parse(repeated)["k"]);
        var error = Assert.Throws<FormatException>(() => YamlJson.ParseMapping(repeated));
        Assert.Equal("line 2: the key 'k' appears twice", error.Message);
    }

    [Fact]
    public void Alias_FrontmatterSkipsIt_TemplateIsAnError()
    {
        const string aliased = "a: &x one\nb: *x\n";

        Assert.Null(Frontmatter.Parse(aliased)["b"]);
        Assert.Throws<FormatException>(() => YamlJson.ParseMapping(aliased));
    }
}
