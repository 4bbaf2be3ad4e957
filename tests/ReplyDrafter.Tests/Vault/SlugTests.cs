using System.Text.RegularExpressions;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed partial class SlugTests
{
    public static TheoryData<string> Nasty => NastyStrings.AsTheoryData();

    [Theory]
    [InlineData("Re: MAI / VAST December 8th EoD update", "Re-MAI-VAST-December-8th-EoD-update")]
    [InlineData("Café Größe", "Cafe-Grosse")]
    [InlineData("Søren Æbelø Łódź straße", "Soren-AEbelo-Lodz-strasse")]
    [InlineData("Jeff's \"big\" plan", "Jeffs-big-plan")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("C:\\Windows\\System32", "C-Windows-System32")]
    [InlineData("line1\nline2\r\nline3", "line1-line2-line3")]
    [InlineData("---", "untitled")]
    [InlineData("", "untitled")]
    [InlineData("   ", "untitled")]
    [InlineData("...", "untitled")]
    [InlineData("🎉🎉", "untitled")]
    [InlineData("Launch 🎉 party", "Launch-party")]
    [InlineData("a: b | c * d ? e < f > g", "a-b-c-d-e-f-g")]
    [InlineData("__init__", "init")]
    [InlineData("snake_case_name", "snake_case_name")]
    [InlineData("中文 标题", "中文-标题")]
    [InlineData("Привет, мир", "Привет-мир")]
    [InlineData("Проект й", "Проект-й")]
    [InlineData("हिन्दी", "हिन्दी")]
    public void Make_Text_ReturnsExpectedSlug(string text, string expected) =>
        Assert.Equal(expected, Slug.Make(text));

    [Theory]
    [InlineData("CON", "CON_")]
    [InlineData("nul", "nul_")]
    [InlineData("Com1", "Com1_")]
    [InlineData("lpt9", "lpt9_")]
    [InlineData("CON meeting", "CON-meeting")]
    public void Make_WindowsReservedName_GetsSuffix(string text, string expected) =>
        Assert.Equal(expected, Slug.Make(text));

    [Fact]
    public void Make_LongSubject_CutsAtWordBoundary()
    {
        var subject = string.Concat(Enumerable.Repeat("supply chain risk ", 30));

        var slug = Slug.Make(subject);

        Assert.True(slug.Length <= 80);
        Assert.True(slug.Length >= 40);
        Assert.Matches("^(supply-chain-risk-)*supply(-chain(-risk)?)?$", slug);
    }

    [Fact]
    public void Make_LongWordWithoutBoundary_CutsHard() =>
        Assert.Equal(new string('x', 80), Slug.Make(new string('x', 500)));

    [Fact]
    public void Make_CutThroughSurrogatePair_DoesNotSplitIt()
    {
        var slug = Slug.Make("a" + string.Concat(Enumerable.Repeat("𠜎", 50)), 10);

        Assert.Equal("a𠜎𠜎𠜎𠜎", slug);
    }

    [Fact]
    public void Make_SmallMaxLength_FallbackIsCut() =>
        Assert.Equal("unt", Slug.Make("!!!", 3));

    [Theory]
    [MemberData(nameof(Nasty))]
    public void Make_AnyText_IsASafeFileNameInsideItsFolder(string text)
    {
        var slug = Slug.Make(text);

        Assert.InRange(slug.Length, 1, 80);
        Assert.Matches(SafeSlug(), slug);
        Assert.DoesNotContain(slug, new[] { ".", ".." });
        Assert.False(slug.StartsWith('-') || slug.EndsWith('-') || slug.StartsWith('_') || slug.EndsWith('_'));
        Assert.DoesNotContain("--", slug, StringComparison.Ordinal);

        var folder = Path.GetFullPath(Path.Combine(Path.GetTempPath(), "vault", "Notes"));
        var full = Path.GetFullPath(Path.Combine(folder, slug + ".md"));
        Assert.Equal(folder, Path.GetDirectoryName(full));
    }

    [Fact]
    public void Make_SameInputTwice_SameReadableSlug()
    {
        Assert.Equal("Re-Budget-2026-Q1", Slug.Make("Re: Budget 2026 — Q1"));
        Assert.Equal("Re-Budget-2026-Q1", Slug.Make("Re: Budget 2026 — Q1"));
    }

    [GeneratedRegex(@"^[\p{L}\p{M}\p{Nd}_-]+$")]
    private static partial Regex SafeSlug();
}
