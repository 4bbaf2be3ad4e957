using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ReplyDrafter.Auth;
using ReplyDrafter.Imap;

namespace ReplyDrafter.Cli;

/// <summary>
/// <c>replydrafter login</c>: signs the mailbox in with OAuth2 once, from a terminal (device code or browser), keeps the
/// refresh token in the token cache, then checks the IMAP login with it. Exit 0 signed in and the login works, 1 the
/// sign-in or the login failed (the reason is printed), 2 a setting is wrong.
/// </summary>
internal static class LoginCommand
{
    public static Command Create(Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, Option<string?> vault, CliConsole console)
    {
        var provider = new Option<string?>("--imap-provider") { Description = "microsoft, google or oauth2 (overrides ReplyDrafter:Imap:OAuth:Provider for this sign-in).", HelpName = "NAME" };
        var login = new Command("login", "Sign the IMAP mailbox in with OAuth2 (Microsoft 365 / Outlook.com, Gmail, or any OAuth2 server).") { provider };
        login.TreatUnmatchedTokensAsErrors = false;
        login.SetAction((result, ct) =>
        {
            string[] settings = [.. result.UnmatchedTokens];
            if (result.GetValue(provider) is { } name)
            {
                if (ParseProvider(name) is not { } parsed)
                {
                    return Task.FromResult(ReplyDrafterCommandLine.Usage(console, $"login: --imap-provider must be microsoft, google or oauth2 (got '{name}')."));
                }

                settings = [.. settings, "--ReplyDrafter:Imap:Auth=OAuth2", $"--ReplyDrafter:Imap:OAuth:Provider={parsed}"];
            }

            return RunAsync(createBuilder, new CommonArguments(result.GetValue(vault), settings, console), ct);
        });
        return login;
    }

    /// <summary>The CLI's provider names (also <c>init --imap-provider</c>); null when unknown.</summary>
    public static OAuthProvider? ParseProvider(string name) => name.Trim().ToLowerInvariant() switch
    {
        "microsoft" or "outlook" or "office365" => OAuthProvider.Microsoft,
        "google" or "gmail" => OAuthProvider.Google,
        "oauth2" or "generic" => OAuthProvider.OAuth2,
        _ => null,
    };

    public static async Task<int> RunAsync(Func<HostApplicationBuilderSettings, HostApplicationBuilder> createBuilder, CommonArguments common, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(common);
        try
        {
            using var host = CliHost.Build(createBuilder, common);
            var imap = host.Services.GetRequiredService<IOptions<ImapOptions>>().Value;
            if (!imap.Enabled || imap.Auth != ImapAuth.OAuth2)
            {
                return ReplyDrafterCommandLine.Usage(
                    common.Console,
                    $"login: {ImapOptions.Section}:Auth is not OAuth2 (or {ImapOptions.Section}:Host is empty); run 'replydrafter init --imap-provider microsoft|google|oauth2' first.");
            }

            return await SignInAsync(imap, host.Services.GetRequiredService<OAuthHttp>(), host.Services.GetRequiredService<TimeProvider>(), common.Console, cancellationToken);
        }
        catch (Exception ex) when (CliHost.Describe(ex) is { } message)
        {
            return ReplyDrafterCommandLine.Usage(common.Console, message);
        }
    }

    /// <summary>The sign-in and the login check for <c>login</c>. Prints what the user must do, then the outcome.</summary>
    public static async Task<int> SignInAsync(ImapOptions imap, OAuthHttp http, TimeProvider time, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var problem = await SignInAndCheckAsync(imap, http, time, async (line, ct) => await console.Out.WriteLineAsync(line.AsMemory(), ct), cancellationToken);
        if (problem is null)
        {
            return 0;
        }

        await console.Error.WriteLineAsync("replydrafter: " + problem);
        return 1;
    }

    /// <summary>
    /// The sign-in, then an IMAP login with the fresh token (also <c>init</c>'s). <paramref name="say"/> gets what the user
    /// must do and what worked, a line at a time; the result is the one-line problem, or null when the login works.
    /// </summary>
    public static async Task<string?> SignInAndCheckAsync(ImapOptions imap, OAuthHttp http, TimeProvider time, Func<string, CancellationToken, Task> say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(imap);
        ArgumentNullException.ThrowIfNull(say);
        var store = MailboxTokens.Store(imap.OAuth, imap.Username, imap.OAuth.EffectiveTokenCacheFolder);
        using (var tokens = MailboxTokens.Create(imap.OAuth, imap.Username, imap.OAuth.EffectiveTokenCacheFolder, http, time))
        {
            try
            {
                string account = await tokens.SignInAsync(say, cancellationToken);
                await say($"Signed in as {account}; the tokens are kept in {store.Description}.", cancellationToken);
                if (!string.Equals(account.Trim(), imap.Username.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return $"you signed in as '{account}' but {ImapOptions.Section}:Username is '{imap.Username}'; make them the same account.";
                }
            }
            catch (Exception e) when (e is SignInRequiredException or Microsoft.Identity.Client.MsalException or HttpRequestException or IOException or InvalidDataException)
            {
                return "sign-in failed: " + e.Message.ReplaceLineEndings(" ");
            }
        }

        using var connector = new ImapConnector(Options.Create(imap), time, http);
        try
        {
            using var client = await connector.ConnectAsync(cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            await say($"IMAP login works: {imap.Username.Trim()} at {imap.Host.Trim()}:{imap.EffectivePort}.", cancellationToken);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return "IMAP login failed: " + e.Message.ReplaceLineEndings(" ");
        }
    }
}
