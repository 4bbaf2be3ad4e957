using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;
using ReplyDrafter.Hosting;

namespace ReplyDrafter.Tests.Hosting;

public sealed class SettingsLayeringTests : IDisposable
{
    private readonly TempVault _vault = new();

    private string UserFile => _vault.Path("user-config/replydrafter/settings.json");

    private static HostApplicationBuilder Builder(params string[] args) => Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
    {
        Args = args,
        ContentRootPath = AppContext.BaseDirectory,
    });

    private static void Write(string path, string json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
    }

    [Fact]
    public void AddReplyDrafterSettings_UserVaultAndCommandLine_LaterWins()
    {
        Write(UserFile, $$"""{ "ReplyDrafter": { "Vault": {{System.Text.Json.JsonSerializer.Serialize(_vault.Root)}}, "Me": { "Name": "From user", "Email": "user@example.com" }, "Llm": { "Deployment": "user-model" } } }""");
        Write(SettingsLocations.VaultFile(_vault.Root), """{ "ReplyDrafter": { "Me": { "Name": "From vault" } } }""");
        var builder = Builder("--ReplyDrafter:Me:Email=cli@example.com");

        builder.AddReplyDrafterSettings(UserFile);

        var configuration = builder.Configuration;
        Assert.Equal("user-model", configuration["ReplyDrafter:Llm:Deployment"]);
        Assert.Equal("From vault", configuration["ReplyDrafter:Me:Name"]);
        Assert.Equal("cli@example.com", configuration["ReplyDrafter:Me:Email"]);
        Assert.Equal("00:02:00", configuration["ReplyDrafter:Llm:AttemptTimeout"]);
    }

    [Fact]
    public void AddReplyDrafterSettings_Files_SitBetweenAppSettingsAndEnvironment()
    {
        Write(UserFile, "{}");
        var builder = Builder();

        builder.AddReplyDrafterSettings(UserFile);

        var sources = builder.Configuration.Sources;
        var appSettings = sources.Select((s, i) => (s, i)).Last(p => p.s is JsonConfigurationSource { Path: "appsettings.json" }).i;
        var user = sources.Select((s, i) => (s, i)).Single(p => p.s is JsonConfigurationSource { Path: SettingsLocations.FileName }).i;
        var environment = sources.Select((s, i) => (s, i)).Last(p => p.s is EnvironmentVariablesConfigurationSource).i;
        Assert.True(appSettings < user && user < environment, $"appsettings {appSettings}, user {user}, environment {environment}");
    }

    [Fact]
    public void AddReplyDrafterSettings_Always_ListsTheFilesItLookedFor()
    {
        Write(UserFile, $$"""{ "ReplyDrafter": { "Vault": {{System.Text.Json.JsonSerializer.Serialize(_vault.Root)}} } }""");
        var builder = Builder();

        builder.AddReplyDrafterSettings(UserFile);
        using var host = builder.Build();

        var files = host.Services.GetRequiredService<SettingsFiles>();
        Assert.Equal(["program", "user", "vault"], files.Files.Select(f => f.Role).Distinct());
        Assert.Equal(UserFile, files.Files.Single(f => f.Role == "user").Path);
        Assert.Equal(["program", "user"], files.Read.Select(f => f.Role).Distinct());
        Assert.False(files.Files.Single(f => f.Role == "vault").Exists);
    }

    [Fact]
    public void AddReplyDrafterSettings_BrokenUserFile_OneLineNamingTheFile()
    {
        Write(UserFile, "{ \"ReplyDrafter\": ");

        var error = Assert.Throws<UsageException>(() => Builder().AddReplyDrafterSettings(UserFile));

        Assert.Contains(UserFile, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AddReplyDrafterSettings_ApiKeyFile_FillsEmptyApiKey()
    {
        var keyFile = Security.TestSecrets.Write(_vault.Path("llm-key"), "sk-from-file\n");

        var builder = Builder("--ReplyDrafter:Llm:ApiKeyFile=" + keyFile);
        builder.AddReplyDrafterSettings(UserFile);

        Assert.Equal("sk-from-file", builder.Configuration["ReplyDrafter:Llm:ApiKey"]);
    }

    [Fact]
    public void AddReplyDrafterSettings_ApiKeyAlreadySet_FileNotRead()
    {
        var builder = Builder("--ReplyDrafter:Llm:ApiKey=sk-given", "--ReplyDrafter:Llm:ApiKeyFile=" + _vault.Path("no-such-file"));

        builder.AddReplyDrafterSettings(UserFile);

        Assert.Equal("sk-given", builder.Configuration["ReplyDrafter:Llm:ApiKey"]);
    }

    [Fact]
    public void AddReplyDrafterSettings_PasswordFileMissing_ErrorNamesTheKey()
    {
        var error = Assert.Throws<UsageException>(() => Builder("--ReplyDrafter:Imap:PasswordFile=" + _vault.Path("gone")).AddReplyDrafterSettings(UserFile));

        Assert.StartsWith("ReplyDrafter:Imap:PasswordFile", error.Message, StringComparison.Ordinal);
        Assert.Contains("no such file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RelativeNameWithCredentialsDirectory_ReadsFromThere()
    {
        Security.TestSecrets.Write(_vault.Path("imap-password"), "hunter2");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("ReplyDrafter:Imap:PasswordFile", "imap-password")]).Build();

        var values = SecretFiles.Resolve(configuration, _vault.Root);

        Assert.Equal(_vault.Path("imap-password"), values["ReplyDrafter:Imap:PasswordFile"]);
        Assert.False(values.ContainsKey("ReplyDrafter:Imap:Password"));
    }

    [Fact]
    public void Resolve_SystemdCredentialGroupReadable_Accepted()
    {
        // A system service's credential: root's, 0400 plus the ACL systemd adds for the service user (shown as group bits).
        Security.TestSecrets.Write(_vault.Path("llm-api-key"), "sk-cred\n", UnixFileMode.UserRead | UnixFileMode.GroupRead);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("ReplyDrafter:Llm:ApiKeyFile", "llm-api-key")]).Build();

        var values = SecretFiles.Resolve(configuration, _vault.Root);

        Assert.Equal("sk-cred", values["ReplyDrafter:Llm:ApiKey"]);
    }

    [Fact]
    public void AddReplyDrafterSettings_ApiKeyFileReadableByOthers_OneLineNamingKeyAndChmod()
    {
        var keyFile = Security.TestSecrets.Write(_vault.Path("llm-key"), "sk-from-file", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<UsageException>(() => Builder("--ReplyDrafter:Llm:ApiKeyFile=" + keyFile).AddReplyDrafterSettings(UserFile));

        Assert.Equal($"ReplyDrafter:Llm:ApiKeyFile: cannot use '{keyFile}' (others may read or change it (mode 0604); run: chmod 600 '{keyFile}').", error.Message);
    }

    [Fact]
    public void AddReplyDrafterSettings_ApiKeyFileOfTwoLines_RefusedNotSentAsAHeader()
    {
        var keyFile = Security.TestSecrets.Write(_vault.Path("llm-key"), "sk-a\nX-Forwarded-For: evil\n");

        var error = Assert.Throws<UsageException>(() => Builder("--ReplyDrafter:Llm:ApiKeyFile=" + keyFile).AddReplyDrafterSettings(UserFile));

        Assert.StartsWith("ReplyDrafter:Llm:ApiKeyFile: cannot use", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than one line", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddReplyDrafterSettings_ImapPasswordFile_PassesStartupValidation()
    {
        var passwordFile = Security.TestSecrets.Write(_vault.Path("imap-password"), "hunter2\n");
        var builder = Builder(
            "--ReplyDrafter:Imap:Host=imap.example.org", "--ReplyDrafter:Imap:Username=ada", "--ReplyDrafter:Imap:PasswordFile=" + passwordFile);
        builder.Services.AddOptions<ReplyDrafter.Imap.ImapOptions>().BindConfiguration(ReplyDrafter.Imap.ImapOptions.Section);
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<ReplyDrafter.Imap.ImapOptions>, ReplyDrafter.Imap.ImapOptionsValidator>();

        builder.AddReplyDrafterSettings(UserFile);
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ReplyDrafter.Imap.ImapOptions>>().Value;
        Assert.Equal(passwordFile, options.PasswordFile);
        Assert.Null(options.Password);
    }

    [Theory]
    [InlineData(false, "/home/ada/.xdg", "/home/ada", null, "/home/ada/.xdg/replydrafter/settings.json")]
    [InlineData(false, null, "/home/ada", null, "/home/ada/.config/replydrafter/settings.json")]
    [InlineData(false, "relative/ignored", "/home/ada", null, "/home/ada/.config/replydrafter/settings.json")]
    [InlineData(true, "/home/ada/.xdg", null, "C:\\Users\\Ada\\AppData\\Roaming", "C:\\Users\\Ada\\AppData\\Roaming/ReplyDrafter/settings.json")]
    public void UserFile_Environment_PerPlatformLocation(bool windows, string? xdg, string? home, string? appData, string expected)
    {
        var environment = new Dictionary<string, string?> { ["XDG_CONFIG_HOME"] = xdg, ["HOME"] = home, ["APPDATA"] = appData };

        var path = SettingsLocations.UserFile(name => environment.GetValueOrDefault(name), windows);

        Assert.Equal(expected.Replace('/', Path.DirectorySeparatorChar), path.Replace('/', Path.DirectorySeparatorChar));
    }

    public void Dispose() => _vault.Dispose();
}
