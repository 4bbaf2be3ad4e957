using System.Text.Json;
using ReplyDrafter.Notes;

namespace ReplyDrafter.Tests.Notes;

public sealed class NoteContentTests
{
    private const string Valid = """
        {
          "title": "  MAI supply chain  ",
          "kind": "projects",
          "project": "Cloud",
          "person": null,
          "summary": "Jeff escalated.",
          "participants": ["Jeff Denworth", " Jason Vallery ", ""],
          "action_items": [
            { "task": "Send analysis", "owner": "Jason Vallery", "due": "2025-12-23", "priority": "high" },
            { "task": "Plan", "owner": "", "due": "next week", "priority": "none" }
          ],
          "decisions": ["Lior leads"],
          "key_information": [],
          "related": ["Microsoft"],
          "reply": { "needed": true, "urgency": "urgent", "reason": "Direct question" }
        }
        """;

    [Fact]
    public void FromJson_ValidAnswer_ReadsEveryField()
    {
        var content = NoteContent.FromJson(Parse(Valid));

        Assert.Equal("MAI supply chain", content.Title);
        Assert.Equal("projects", content.Kind);
        Assert.Equal("Cloud", content.Project);
        Assert.Null(content.Person);
        Assert.Equal(["Jeff Denworth", "Jason Vallery"], content.Participants);
        Assert.Equal(new ActionItem("Send analysis", "Jason Vallery", new DateOnly(2025, 12, 23), "high"), content.ActionItems[0]);
        Assert.Equal(new ActionItem("Plan", "", null, "none"), content.ActionItems[1]);
        Assert.Equal(["Lior leads"], content.Decisions);
        Assert.Empty(content.KeyInformation);
        Assert.Equal(["Microsoft"], content.Related);
        Assert.Equal(new ReplyAssessment(true, "urgent", "Direct question"), content.Reply);
    }

    [Theory]
    [InlineData("\"kind\": \"projects\"", "\"kind\": \"project\"")]
    [InlineData("\"kind\": \"projects\"", "\"kind\": \"Projects\"")]
    [InlineData("\"priority\": \"high\"", "\"priority\": \"urgent\"")]
    [InlineData("\"urgency\": \"urgent\"", "\"urgency\": \"critical\"")]
    [InlineData("\"title\": \"  MAI supply chain  \"", "\"title\": \"   \"")]
    [InlineData("\"title\": \"  MAI supply chain  \",", "")]
    [InlineData("\"needed\": true", "\"needed\": \"yes\"")]
    [InlineData("[\"Lior leads\"]", "[42]")]
    [InlineData("\"related\": [\"Microsoft\"]", "\"related\": \"Microsoft\"")]
    [InlineData("\"task\": \"Plan\"", "\"task\": 7")]
    public void FromJson_OutOfRangeValue_ThrowsFormatException(string find, string replace)
    {
        Assert.Contains(find, Valid, StringComparison.Ordinal);
        var json = Parse(Valid.Replace(find, replace, StringComparison.Ordinal));

        Assert.Throws<FormatException>(() => NoteContent.FromJson(json));
    }

    [Fact]
    public void FromJson_NotAnObject_ThrowsFormatException() =>
        Assert.Throws<FormatException>(() => NoteContent.FromJson(Parse("[1, 2]")));

    [Fact]
    public void FromJson_MissingOptionalFields_ReadAsEmpty()
    {
        var content = NoteContent.FromJson(Parse("""{ "title": "T", "kind": "meeting", "summary": "S", "reply": { "needed": false, "urgency": "low" } }"""));

        Assert.Null(content.Project);
        Assert.Empty(content.Participants);
        Assert.Empty(content.ActionItems);
        Assert.Equal(string.Empty, content.Reply.Reason);
    }

    [Fact]
    public void WithCanonicalNames_MapsPeopleFieldsOnly()
    {
        var content = NoteContent.FromJson(Parse(Valid)) with { Person = "jeff" };

        var canonical = content.WithCanonicalNames(name => name.Equals("jeff", StringComparison.OrdinalIgnoreCase) || name == "Jeff Denworth" ? "Jeff Denworth" : name.ToUpperInvariant());

        Assert.Equal("Jeff Denworth", canonical.Person);
        Assert.Equal(["Jeff Denworth", "JASON VALLERY"], canonical.Participants);
        Assert.Equal("JASON VALLERY", canonical.ActionItems[0].Owner);
        Assert.Equal(string.Empty, canonical.ActionItems[1].Owner);
        Assert.Equal(["MICROSOFT"], canonical.Related);
        Assert.Equal(content.Title, canonical.Title);
        Assert.Equal(content.Decisions, canonical.Decisions);
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
