using System.Text.Json;
using Microsoft.Extensions.AI;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Tests.Llm;

public sealed class LlmSettingsTests
{
    private static LlmSettings Settings(string schema, string name = "thread-note") =>
        new("m", 0.2, null, 1000, 7, name, JsonDocument.Parse(schema).RootElement.Clone());

    [Fact]
    public void ToChatOptions_SameSchemaTwice_SameResponseFormatInstance()
    {
        // M.E.AI caches the provider's form of a schema per format instance: a new instance per call misses it.
        const string schema = """{"type":"object","properties":{"summary":{"type":"string"}},"required":["summary"]}""";

        var first = Settings(schema).ToChatOptions().ResponseFormat;
        var second = Settings(schema).ToChatOptions().ResponseFormat;

        Assert.Same(first, second);
    }

    [Fact]
    public void ToChatOptions_DifferentSchemaOrName_OwnFormatCarryingIt()
    {
        var note = Assert.IsType<ChatResponseFormatJson>(Settings("""{"type":"object","properties":{"a":{"type":"string"}}}""").ToChatOptions().ResponseFormat);
        var edited = Assert.IsType<ChatResponseFormatJson>(Settings("""{"type":"object","properties":{"b":{"type":"string"}}}""").ToChatOptions().ResponseFormat);
        var renamed = Assert.IsType<ChatResponseFormatJson>(Settings("""{"type":"object","properties":{"a":{"type":"string"}}}""", "draft-reply").ToChatOptions().ResponseFormat);

        Assert.NotSame(note, edited);
        Assert.True(edited.Schema!.Value.GetProperty("properties").TryGetProperty("b", out _));
        Assert.Equal("draft-reply", renamed.SchemaName);
        Assert.Equal("thread-note", note.SchemaName);
    }
}
