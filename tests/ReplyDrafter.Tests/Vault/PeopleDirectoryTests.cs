using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Vault;

public sealed class PeopleDirectoryTests : IDisposable
{
    private static readonly string[] OwnFolders = ["Inbox", "Notes", "Outbox", "Sources"];

    private readonly TempFolder _vault = new();

    [Fact]
    public void Load_PeopleFolderAndTypedNotes_KnowsTheirFileNames()
    {
        _vault.Write("People/Jonsi Stefansson.md", "# Jonsi\n");
        _vault.Write("Contacts/Kanchan Mehrotra.md", "---\ntype: person\n---\n# Kanchan\n");
        _vault.Write("Contacts/Lior Genzel.md", "---\ntype: people\n---\n");
        _vault.Write("Contacts/Renen Hallak.md", "---\ntags:\n- person\n---\n");
        _vault.Write("Projects/Cloud.md", "---\ntype: projects\n---\n");
        _vault.Write("Random note.md", "no frontmatter\n");

        var people = Load();

        Assert.Equal(["Jonsi Stefansson", "Kanchan Mehrotra", "Lior Genzel", "Renen Hallak"], people.KnownNames);
    }

    [Fact]
    public void Load_OwnFoldersDotFoldersAndGeneratedNotes_AreIgnored()
    {
        _vault.Write("Notes/Ghost One.md", "---\ntype: person\n---\n");
        _vault.Write("Outbox/People/Ghost Two.md", "# in own output\n");
        _vault.Write(".obsidian/People/Ghost Three.md", "# config\n");
        _vault.Write("People/.Ghost Four.md", "# hidden\n");
        _vault.Write("Meetings/Align on MAI.md", "---\ntype: people\nperson: Kanchan Mehrotra\ntags:\n- type/people\n- generated\n---\n");
        _vault.Write("People/Real Person.md", "");

        var people = Load();

        Assert.Equal(["Real Person"], people.KnownNames);
    }

    [Fact]
    public void Load_MalformedFrontmatter_OutsidePeopleIgnored_InsidePeopleStillByName()
    {
        _vault.Write("Contacts/Broken One.md", "---\ntype: person\naliases: [unclosed\n---\n");
        _vault.Write("Contacts/Broken Two.md", "---\ntype: person\n"); // never closed
        _vault.Write("People/Broken Three.md", "---\naliases: [unclosed\n---\n");

        var people = Load();

        Assert.Equal(["Broken Three"], people.KnownNames);
    }

    [Fact]
    public void Canonical_Aliases_ListOrSingleString()
    {
        _vault.Write("People/Kanchan Mehrotra.md", "---\naliases:\n- Koncha\n- K. Mehrotra\n---\n");
        _vault.Write("People/Jonsi Stefansson.md", "---\naliases: Jón Sigurður Stefánsson\n---\n");

        var people = Load();

        Assert.Equal("Kanchan Mehrotra", people.Canonical("koncha"));
        Assert.Equal("Kanchan Mehrotra", people.Canonical("K Mehrotra"));
        Assert.Equal("Jonsi Stefansson", people.Canonical("Jon Sigurdur Stefansson"));
    }

    [Theory]
    [InlineData("Jonsi Stefansson")]
    [InlineData("jonsi stefansson")]
    [InlineData("  Jonsi   Stefansson ")]
    [InlineData("Jónsi Stefánsson")]
    [InlineData("Jonsi Stefanson")]
    [InlineData("Jonsi Stephenson")]
    [InlineData("Jonsi Stefannson")]
    [InlineData("Stefansson, Jonsi")]
    public void Canonical_SpellingsOfAKnownPerson_ReturnVaultSpelling(string name) =>
        Assert.Equal("Jonsi Stefansson", Directory().Canonical(name));

    [Theory]
    [InlineData("Ann Leo")] // short last names are never guessed at
    [InlineData("Jonas Stefansson")] // different first name
    [InlineData("Jonsi")] // a single word could be anyone
    [InlineData("Jonsi Petersson")] // too far
    [InlineData("Jonsi Tefansson")] // different initial
    [InlineData("Mario Garcia")] // first names must match exactly
    public void Canonical_NotCloseEnough_ReturnsNameItself(string name) =>
        Assert.Equal(name, Directory().Canonical(name));

    [Fact]
    public void Canonical_TwoEquallyCloseCandidates_LeavesNameAlone()
    {
        var people = PeopleDirectory.FromPeople([("Mark Jansson", []), ("Mark Janssen", [])]);

        Assert.Equal("Mark Jansan", people.Canonical("Mark Jansan"));
        Assert.Equal("Mark Jansson", people.Canonical("mark jansson"));
    }

    [Fact]
    public void Canonical_AliasSharedByTwoPeople_IsNotUsed()
    {
        var people = PeopleDirectory.FromPeople([("Robert Smith", ["Bob"]), ("Robert Jones", ["Bob"])]);

        Assert.Equal("Bob", people.Canonical("Bob"));
        Assert.Equal("Robert Smith", people.Canonical("robert smith"));
    }

    [Fact]
    public void Canonical_UnknownName_TrimmedAndSingleLined()
    {
        Assert.Equal("New Person", PeopleDirectory.Empty.Canonical("  New\nPerson "));
        Assert.Equal(string.Empty, PeopleDirectory.Empty.Canonical("   "));
    }

    [Fact]
    public void Load_ManyNotes_ReadsOnlyFrontmatter()
    {
        var hugeBody = new string('x', 2_000_000);
        _vault.Write("People/Big Body.md", "---\naliases: [BB]\n---\n" + hugeBody);
        for (var i = 0; i < 300; i++)
        {
            _vault.Write($"Area{i % 10}/Note {i}.md", $"---\ntype: {(i % 3 == 0 ? "person" : "topic")}\n---\n# Note {i}\n");
        }

        var people = Load();

        Assert.Equal(101, people.KnownNames.Count);
        Assert.Equal("Big Body", people.Canonical("bb"));
    }

    public void Dispose() => _vault.Dispose();

    private static PeopleDirectory Directory() => PeopleDirectory.FromPeople(
    [
        ("Jonsi Stefansson", []),
        ("Jason Vallery", ["Jay"]),
        ("Ann Lee", []),
        ("Maria Garcia", []),
    ]);

    private PeopleDirectory Load() => PeopleDirectory.Load(_vault.Path, OwnFolders);
}
