using System.Text.Json.Nodes;
using ReplyDrafter.Cli;
using ReplyDrafter.Tests.TestServer;
using Microsoft.AspNetCore.Hosting;
using Spectre.Console.Testing;

namespace ReplyDrafter.Tests.Cli;

public sealed class InitCommandTests : IAsyncLifetime, IDisposable
{
    private static readonly string[] s_program = ["/opt/replydrafter/replydrafter"];
    private readonly TempVault _folder = new();
    private FakeLlmServer _server = null!;

    private string UserFile => _folder.Path("config/replydrafter/settings.json");

    private string VaultRoot => _folder.Path("My Vault");

    public async Task InitializeAsync() => _server = await FakeLlmServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private InitFlags AllFlags() => new()
    {
        Vault = VaultRoot,
        Name = "Ada Lovelace",
        Email = "ada@example.com",
        Signature = "Ada",
        Provider = "openai",
        Endpoint = _server.OpenAIEndpoint,
        Model = FakeLlmServer.Model,
        ApiKey = FakeLlmServer.ApiKey,
    };

    private async Task<(int Code, string Output)> RunAsync(InitFlags flags, bool interactive = false, Action<TestConsole>? script = null)
    {
        var error = new StringWriter();
        using var console = new TestConsole();
        console.Profile.Capabilities.Interactive = interactive;
        script?.Invoke(console);
        var code = await InitCommand.RunAsync(console, error, interactive, flags, UserFile, s_program, CancellationToken.None);
        return (code, console.Output + error);
    }

    private JsonNode Settings() => JsonNode.Parse(File.ReadAllText(UserFile))!["ReplyDrafter"]!;

    [Fact]
    public async Task RunAsync_AllFlagsNoTerminal_WritesPrivateSettingsAndVault()
    {
        var (code, output) = await RunAsync(AllFlags());

        Assert.True(code == 0, output);
        var settings = Settings();
        Assert.Equal(VaultRoot, (string?)settings["Vault"]);
        Assert.Equal("Ada Lovelace", (string?)settings["Me"]!["Name"]);
        Assert.Equal("ada@example.com", (string?)settings["Me"]!["Email"]);
        Assert.Equal("OpenAI", (string?)settings["Llm"]!["Provider"]);
        Assert.Equal(_server.OpenAIEndpoint, (string?)settings["Llm"]!["Endpoint"]);
        Assert.Equal(FakeLlmServer.Model, (string?)settings["Llm"]!["Deployment"]);
        Assert.Equal(FakeLlmServer.ApiKey, (string?)settings["Llm"]!["ApiKey"]);
        Assert.Null(settings["Imap"]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(UserFile));
        }

        Assert.True(Directory.Exists(Path.Combine(VaultRoot, "Inbox")));
        Assert.True(Directory.Exists(Path.Combine(VaultRoot, "Notes")));
        Assert.True(Directory.Exists(Path.Combine(VaultRoot, ".replydrafter")));
        Assert.Contains(_server.Requests, r => !r.IsChat);
        Assert.DoesNotContain(FakeLlmServer.ApiKey, output, StringComparison.Ordinal);
        Assert.Contains("/opt/replydrafter/replydrafter run", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_SecondRunWithOneFlag_KeepsEveryOtherValue()
    {
        Assert.Equal(0, (await RunAsync(AllFlags())).Code);
        var file = JsonNode.Parse(File.ReadAllText(UserFile))!.AsObject();
        file["Serilog"] = new JsonObject { ["MinimumLevel"] = "Debug" };
        File.WriteAllText(UserFile, file.ToJsonString());

        var (code, output) = await RunAsync(new InitFlags { Signature = "Ada L." });

        Assert.True(code == 0, output);
        var settings = Settings();
        Assert.Equal("Ada L.", (string?)settings["Me"]!["Signature"]);
        Assert.Equal("Ada Lovelace", (string?)settings["Me"]!["Name"]);
        Assert.Equal(VaultRoot, (string?)settings["Vault"]);
        Assert.Equal(FakeLlmServer.ApiKey, (string?)settings["Llm"]!["ApiKey"]);
        Assert.Equal(_server.OpenAIEndpoint, (string?)settings["Llm"]!["Endpoint"]);
        Assert.Equal("Debug", (string?)JsonNode.Parse(File.ReadAllText(UserFile))!["Serilog"]!["MinimumLevel"]);
    }

    [Fact]
    public async Task RunAsync_NoTerminalNameMissing_Exit2NamingTheFlag()
    {
        var (code, output) = await RunAsync(AllFlags() with { Name = null });

        Assert.Equal(2, code);
        Assert.Contains("--name", output, StringComparison.Ordinal);
        Assert.False(File.Exists(UserFile));
    }

    [Fact]
    public async Task RunAsync_BadImapSecurity_Exit2NamingTheFlag()
    {
        var (code, output) = await RunAsync(AllFlags() with { ImapHost = "127.0.0.1", ImapSecurity = "Plaintext", ImapUsername = "ada", ImapPassword = "pw" });

        Assert.Equal(2, code);
        Assert.Contains("--imap-security", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LlmUnreachable_SavedAndExit1()
    {
        var (code, output) = await RunAsync(AllFlags() with { Endpoint = "http://127.0.0.1:9/v1" });

        Assert.Equal(1, code);
        Assert.Contains("LLM:", output, StringComparison.Ordinal);
        Assert.Equal("http://127.0.0.1:9/v1", (string?)Settings()["Llm"]!["Endpoint"]);
    }

    [Fact]
    public async Task RunAsync_ImapNobodyListening_SavedAndExit1NamingImap()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (code, output) = await RunAsync(AllFlags() with
        {
            ImapHost = "127.0.0.1", ImapPort = port, ImapSecurity = "none", ImapUsername = "ada", ImapPassword = "imap-secret-pw",
        });

        Assert.Equal(1, code);
        Assert.Contains("IMAP: cannot reach 127.0.0.1:" + port, output, StringComparison.Ordinal);
        Assert.DoesNotContain("imap-secret-pw", output, StringComparison.Ordinal);
        var imap = Settings()["Imap"]!;
        Assert.Equal(port, (int)imap["Port"]!);
        Assert.Equal("None", (string?)imap["Security"]);
        Assert.Equal("imap-secret-pw", (string?)imap["Password"]);
    }

    [Fact]
    public async Task RunAsync_InteractiveOllama_ListsPulledModelsToChooseFrom()
    {
        var builder = TestServer.LoopbackWeb.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var ollama = builder.Build();
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(ollama, "/api/tags", () => Microsoft.AspNetCore.Http.Results.Text(
            """{"models":[{"name":"llama3.1:8b"},{"name":"qwen2.5:7b"}]}""", "application/json"));
        await ollama.StartAsync();
        var root = ollama.Urls.Single();

        var (code, output) = await RunAsync(new InitFlags(), interactive: true, script: console =>
        {
            console.Input.PushTextWithEnter(VaultRoot);
            console.Input.PushTextWithEnter("Grace Hopper");
            console.Input.PushTextWithEnter("grace@example.com");
            console.Input.PushTextWithEnter("");
            console.Input.PushTextWithEnter("ollama");
            console.Input.PushTextWithEnter(root + "/v1");
            console.Input.PushKey(ConsoleKey.DownArrow);
            console.Input.PushKey(ConsoleKey.Enter);
            console.Input.PushTextWithEnter("n");
        });

        Assert.Contains("qwen2.5:7b", output, StringComparison.Ordinal);
        Assert.Equal("qwen2.5:7b", (string?)Settings()["Llm"]!["Deployment"]);
        Assert.Equal(root + "/v1", (string?)Settings()["Llm"]!["Endpoint"]);
        Assert.Equal(1, code);
    }

    [Fact]
    public async Task RunAsync_Interactive_AsksEachQuestionAndSavesTheAnswers()
    {
        var (code, output) = await RunAsync(new InitFlags(), interactive: true, script: console =>
        {
            console.Input.PushTextWithEnter(VaultRoot);
            console.Input.PushTextWithEnter("Grace Hopper");
            console.Input.PushTextWithEnter("grace@example.com");
            console.Input.PushTextWithEnter("Grace");
            console.Input.PushTextWithEnter("openai");
            console.Input.PushTextWithEnter(_server.OpenAIEndpoint);
            console.Input.PushTextWithEnter(FakeLlmServer.Model);
            console.Input.PushTextWithEnter(FakeLlmServer.ApiKey);
            console.Input.PushTextWithEnter("n");
        });

        Assert.True(code == 0, output);
        var settings = Settings();
        Assert.Equal("Grace Hopper", (string?)settings["Me"]!["Name"]);
        Assert.Equal("grace@example.com", (string?)settings["Me"]!["Email"]);
        Assert.Equal(FakeLlmServer.Model, (string?)settings["Llm"]!["Deployment"]);
        Assert.Equal(FakeLlmServer.ApiKey, (string?)settings["Llm"]!["ApiKey"]);
        Assert.Contains("Your name: Grace Hopper", output, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeLlmServer.ApiKey, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InteractiveAgain_EnterKeepsCurrentValues()
    {
        Assert.Equal(0, (await RunAsync(AllFlags())).Code);

        var (code, output) = await RunAsync(new InitFlags(), interactive: true, script: console =>
        {
            for (var i = 0; i < 8; i++)
            {
                console.Input.PushKey(ConsoleKey.Enter);
            }

            console.Input.PushTextWithEnter("n");
        });

        Assert.True(code == 0, output);
        Assert.Contains("Ada Lovelace", output, StringComparison.Ordinal);
        var settings = Settings();
        Assert.Equal("Ada Lovelace", (string?)settings["Me"]!["Name"]);
        Assert.Equal("Ada", (string?)settings["Me"]!["Signature"]);
        Assert.Equal(FakeLlmServer.ApiKey, (string?)settings["Llm"]!["ApiKey"]);
        Assert.Equal(_server.OpenAIEndpoint, (string?)settings["Llm"]!["Endpoint"]);
    }

    public void Dispose() => _folder.Dispose();
}
