using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Tests.Imap;

public sealed class ImapOptionsTests
{
    [Fact]
    public void Check_NoHost_ImapIsOffAndNothingElseIsChecked()
    {
        var options = new ImapOptions { Port = -5, Since = TimeSpan.Zero };

        Assert.False(options.Enabled);
        Assert.Empty(ImapOptionsValidator.Check(options));
    }

    [Fact]
    public void Check_UsableSettings_Pass()
    {
        var options = new ImapOptions { Host = "imap.fastmail.com", Username = "ann@fastmail.com", Password = "app-password" };

        Assert.Empty(ImapOptionsValidator.Check(options));
        Assert.Equal(["INBOX"], options.WatchedFolders);
        Assert.Equal(993, options.EffectivePort);
        Assert.Equal(TimeSpan.FromDays(7), options.Since);
        Assert.True(options.QuoteOriginal);
    }

    [Theory]
    [InlineData("Username", "ReplyDrafter:Imap:Username")]
    [InlineData("Password", "ReplyDrafter:Imap:Password")]
    [InlineData("Port", "ReplyDrafter:Imap:Port")]
    [InlineData("Since", "ReplyDrafter:Imap:Since")]
    [InlineData("PollInterval", "ReplyDrafter:Imap:PollInterval")]
    [InlineData("Pin", "ReplyDrafter:Imap:TrustedCertificateSha256")]
    [InlineData("PlainRemote", "ReplyDrafter:Imap:Security")]
    [InlineData("PasswordFile", "ReplyDrafter:Imap:PasswordFile")]
    public void Check_BadSetting_MessageNamesTheKey(string bad, string key)
    {
        var options = new ImapOptions { Host = "mail.example.org", Username = "ann", Password = "pw" };
        switch (bad)
        {
            case "Username": options.Username = " "; break;
            case "Password": options.Password = null; break;
            case "Port": options.Port = 70000; break;
            case "Since": options.Since = TimeSpan.Zero; break;
            case "PollInterval": options.PollInterval = TimeSpan.FromMilliseconds(10); break;
            case "Pin": options.TrustedCertificateSha256 = "not-a-hash"; break;
            case "PlainRemote": options.Security = SecureSocketOptions.None; break;
            case "PasswordFile": options.Password = null; options.PasswordFile = "/nonexistent/imap-password"; break;
        }

        var problem = Assert.Single(ImapOptionsValidator.Check(options));
        Assert.StartsWith(key, problem, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", problem.Replace("password", "", StringComparison.OrdinalIgnoreCase).Replace("Password", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Drafts")]
    [InlineData(null, "[Gmail]/Drafts")]
    [InlineData("Entwürfe", "Entwürfe")]
    public void Check_DraftsFolderWatched_RefusedNamingFolders(string? draftsFolder, string watched)
    {
        var options = new ImapOptions { Host = "mail.example.org", Username = "ann", Password = "pw", DraftsFolder = draftsFolder };
        options.Folders.Add("INBOX");
        options.Folders.Add(watched);

        var problem = Assert.Single(ImapOptionsValidator.Check(options));

        Assert.StartsWith($"ReplyDrafter:Imap:Folders must not include the Drafts folder '{watched}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void AddImap_DraftsFolderAmongFolders_StartFailsNamingTheKey()
    {
        using var provider = Provider(new()
        {
            ["ReplyDrafter:Imap:Host"] = "mail.example.org", ["ReplyDrafter:Imap:Username"] = "ann", ["ReplyDrafter:Imap:Password"] = "pw",
            ["ReplyDrafter:Imap:DraftsFolder"] = "Work/Drafts", ["ReplyDrafter:Imap:Folders:0"] = "Work/Drafts",
        });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ImapOptions>>().Value);

        Assert.Contains("ReplyDrafter:Imap:Folders must not include the Drafts folder 'Work/Drafts'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddImap_BadSecurityName_StartFailsNamingTheKey()
    {
        using var provider = Provider(new() { ["ReplyDrafter:Imap:Host"] = "mail.example.org", ["ReplyDrafter:Imap:Security"] = "Tls" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ImapOptions>>().Value);

        Assert.Contains("ReplyDrafter:Imap:Security must be Auto, SslOnConnect, StartTls or None (got 'Tls')", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddImap_Configuration_BindsFoldersAndDurations()
    {
        using var provider = Provider(new()
        {
            ["ReplyDrafter:Imap:Host"] = "mail.example.org",
            ["ReplyDrafter:Imap:Username"] = "ann",
            ["ReplyDrafter:Imap:Password"] = "pw",
            ["ReplyDrafter:Imap:Security"] = "starttls",
            ["ReplyDrafter:Imap:Folders:0"] = "INBOX",
            ["ReplyDrafter:Imap:Folders:1"] = "Lists/Team",
            ["ReplyDrafter:Imap:Since"] = "2.00:00:00",
        });

        var options = provider.GetRequiredService<IOptions<ImapOptions>>().Value;

        Assert.Equal(SecureSocketOptions.StartTls, options.Security);
        Assert.Equal(["INBOX", "Lists/Team"], options.WatchedFolders);
        Assert.Equal(TimeSpan.FromDays(2), options.Since);
        Assert.Equal(143, options.EffectivePort);
        Assert.NotNull(provider.GetRequiredService<ImapMailboxSource>());
        Assert.NotNull(provider.GetRequiredService<ImapDraftWriter>());
    }

    [Fact]
    public void Parse_PinWithColonsOrSpaces_IsAccepted()
    {
        Assert.NotNull(CertificatePin.Parse(string.Join(':', Enumerable.Repeat("AB", 32))));
        Assert.NotNull(CertificatePin.Parse(string.Join(' ', Enumerable.Repeat("ab", 32))));
        Assert.Null(CertificatePin.Parse(new string('A', 63)));
        Assert.Null(CertificatePin.Parse(new string('G', 64)));
    }

    private static ServiceProvider Provider(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        string db = Path.Combine(TestScratch.NewPath(), "imap.db");
        services.AddImap(_ => db);
        return services.BuildServiceProvider();
    }
}
