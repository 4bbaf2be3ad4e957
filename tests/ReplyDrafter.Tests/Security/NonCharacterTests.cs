using System.Text;
using MimeKit.Utils;
using ReplyDrafter.Mail;
using ReplyDrafter.Tests.Vault;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Security;

/// <summary>Unicode non-characters and lone surrogates never reach <see cref="string.Normalize()"/>, which throws on them.</summary>
public sealed class NonCharacterTests
{
    public static TheoryData<string> Hostile => new()
    {
        "Invoice \uFFFE",
        "\uFFFF",
        "A\uFDD0B\uFDEFC",
        "plane one \U0001FFFE and sixteen \U0010FFFF",
        "lone \uD800 high",
        "lone \uDC00 low",
        "\uFFFE\uD83D",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void SlugMake_NonCharacters_DoesNotThrowAndDropsThem(string text)
    {
        var slug = Slug.Make(text);

        Assert.NotEmpty(slug);
        Assert.DoesNotContain(slug.EnumerateRunes(), rune => TextFolding.IsNonCharacter(rune.Value));
    }

    [Fact]
    public void SlugMake_EncodedWordSubjectFromTheIssue_IsInvoice()
    {
        // The 190-byte message that stopped the inbox: its subject decodes to "Invoice \uFFFE".
        var subject = Rfc2047.DecodeText(Encoding.ASCII.GetBytes("=?utf-8?b?SW52b2ljZSDvv74=?="));
        Assert.Equal("Invoice \uFFFE", subject);

        Assert.Equal("Invoice", Slug.Make(subject));
        Assert.EndsWith("_Invoice.md", SourceCopy.FileName(new MessageBuilder().Subject(subject).Build()), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Hostile))]
    public void RemoveLatinDiacritics_NonCharacters_Normalizes(string text) =>
        Assert.EndsWith("Cafe", TextFolding.RemoveLatinDiacritics(text + " Café"), StringComparison.Ordinal);

    [Fact]
    public void PeopleDirectory_NameAndAliasWithNonCharacter_DoNotThrow()
    {
        var people = PeopleDirectory.FromPeople([("Ann\uFFFE Lee", ["A\uFDD0nn", "\uFFFF"])]);

        Assert.Equal("Ann\uFFFE Lee", people.Canonical("Ann Lee"));
        Assert.Equal("Bob\uFFFE", people.Canonical("Bob\uFFFE")); // unknown names come back as given
    }

    [Fact]
    public void PeopleDirectory_NoteNamedWithNonCharacter_Loads()
    {
        using var vault = new TempFolder();
        vault.Write("People/Ann\uFFFE Lee.md", "---\naliases: [\"A\\uFFFEnn\"]\n---\n");

        var people = PeopleDirectory.Load(vault.Path, []);

        Assert.Single(people.KnownNames);
    }

    [Fact]
    public void SourceCopyRender_NonCharactersEverywhere_ReadsBack()
    {
        var message = new MessageBuilder().Subject("Invoice \uFFFE\uD800").From("Ann\uFDD0", "ann@example.com").Body("body \uFFFF end").Build();

        var markdown = SourceCopy.Render(message);

        Assert.NotEmpty(Frontmatter.Read(markdown));
        Assert.DoesNotContain("\uFFFF", Frontmatter.Body(markdown), StringComparison.Ordinal);
    }
}
