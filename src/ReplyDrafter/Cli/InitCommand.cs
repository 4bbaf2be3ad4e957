using System.CommandLine;
using MailKit.Security;
using ReplyDrafter.Hosting;
using ReplyDrafter.Imap;
using ReplyDrafter.Llm;
using ReplyDrafter.Processing;
using Spectre.Console;

namespace ReplyDrafter.Cli;

/// <summary>The answers <c>init</c> was given as flags; null means "ask, or keep the current value".</summary>
internal sealed record InitFlags
{
    public string? Vault { get; init; }

    public string? Name { get; init; }

    public string? Email { get; init; }

    public string? Signature { get; init; }

    public string? Provider { get; init; }

    public string? Endpoint { get; init; }

    public string? Model { get; init; }

    public string? ApiKey { get; init; }

    /// <summary>gmail, outlook, fastmail, icloud or yahoo (or an alias): fills host, port, security and folders.</summary>
    public string? ImapProvider { get; init; }

    public string? ImapHost { get; init; }

    public int? ImapPort { get; init; }

    public string? ImapSecurity { get; init; }

    public string? ImapUsername { get; init; }

    public string? ImapPassword { get; init; }

    public string? ImapCertificateSha256 { get; init; }

    /// <summary>OAuth2 (<c>--imap-provider microsoft|google|oauth2</c>): the client ID the user registered.</summary>
    public string? ImapClientId { get; init; }

    /// <summary>OAuth2: the client secret itself (Google), read from a file or standard input, never argv.</summary>
    public string? ImapClientSecret { get; init; }

    /// <summary>Microsoft: organizations, consumers or a tenant ID.</summary>
    public string? ImapTenant { get; init; }

    /// <summary>Generic OAuth2: the OIDC discovery document's URL.</summary>
    public string? ImapOAuthDiscoveryUrl { get; init; }
}

/// <summary>
/// <c>replydrafter init</c>: creates the vault, asks who you are, which model and which mailbox, tests the connections
/// and writes the per-user settings file (0600). On a terminal it asks, showing the current values as defaults; without
/// one it asks nothing: flags and the current file answer, and a missing answer is exit code 2 naming its flag.
/// Exit 1 when the settings were written but a connection test failed.
/// </summary>
internal static partial class InitCommand
{
    private const string OllamaEndpoint = "http://localhost:11434/v1";
    private static readonly string[] s_providers = ["ollama", "openai", "azure"];

    public static Command Create(Option<string?> vault, CliConsole cli)
    {
        var name = new Option<string?>("--name") { Description = "Your name, as drafts are signed.", HelpName = "NAME" };
        var email = new Option<string?>("--email") { Description = "Your address (tells your own messages apart).", HelpName = "ADDRESS" };
        var signature = new Option<string?>("--signature") { Description = "The signature under drafts.", HelpName = "TEXT" };
        var provider = new Option<string?>("--provider") { Description = "ollama, openai (any OpenAI-compatible endpoint) or azure.", HelpName = "KIND" };
        var endpoint = new Option<string?>("--endpoint") { Description = "The model server's URL.", HelpName = "URL" };
        var model = new Option<string?>("--model") { Description = "The model (or Azure deployment) name.", HelpName = "NAME" };
        var apiKeyFile = new Option<string?>("--api-key-file") { Description = "A file holding the API key alone (0600), or - for standard input; stored in the per-user file, never printed.", HelpName = "FILE" };
        var apiKey = new Option<string?>("--api-key") { Hidden = true };
        var imapProvider = new Option<string?>("--imap-provider") { Description = $"Fill in a provider's server and folders ({ImapPresets.Names}); other --imap- flags override.", HelpName = "NAME" };
        var imapHost = new Option<string?>("--imap-host") { Description = "IMAP server (leave out for no mailbox).", HelpName = "HOST" };
        var imapPort = new Option<int?>("--imap-port") { Description = "IMAP port (993 for SslOnConnect, 143 for StartTls).", HelpName = "PORT" };
        var imapSecurity = new Option<string?>("--imap-security") { Description = "SslOnConnect, StartTls, StartTlsWhenAvailable, Auto or None.", HelpName = "MODE" };
        var imapUsername = new Option<string?>("--imap-username") { Description = "IMAP login.", HelpName = "USER" };
        var imapPasswordFile = new Option<string?>("--imap-password-file") { Description = "A file holding the IMAP (app) password alone (0600), or - for standard input; stored in the per-user file, never printed.", HelpName = "FILE" };
        var imapPassword = new Option<string?>("--imap-password") { Hidden = true };
        var imapPin = new Option<string?>("--imap-certificate-sha256") { Description = "Trust a self-hosted server's own certificate: its SHA-256 (hex, colons allowed).", HelpName = "HEX" };
        var oauth = OAuthOptionsFor();

        var command = new Command("init", "Set up: create the vault, answer a few questions, test the connections, write your settings file.")
        {
            name, email, signature, provider, endpoint, model, apiKeyFile, apiKey, imapProvider, imapHost, imapPort, imapSecurity, imapUsername, imapPasswordFile, imapPassword, imapPin,
            oauth.ClientId, oauth.ClientSecretFile, oauth.ClientSecret, oauth.Tenant, oauth.DiscoveryUrl,
        };
        command.SetAction(async (result, ct) =>
        {
            if ((result.GetValue(apiKey) is not null ? "--api-key" : result.GetValue(imapPassword) is not null ? "--imap-password" : null) is { } onArgv)
            {
                return ReplyDrafterCommandLine.Usage(cli, $"init: {onArgv} would put the secret on the command line, where 'ps' and the shell's history show it; use {onArgv}-file FILE (a file only you can read), {onArgv}-file - (standard input), or leave it out and type it at the prompt.");
            }

            string? key, password, clientSecret;
            try
            {
                clientSecret = ReadClientSecret(cli, result, oauth, result.GetValue(apiKeyFile), result.GetValue(imapPasswordFile));
                (key, password) = SecretArguments.Read(cli.Input, ("--api-key-file", result.GetValue(apiKeyFile)), ("--imap-password-file", result.GetValue(imapPasswordFile)));
            }
            catch (UsageException e)
            {
                return ReplyDrafterCommandLine.Usage(cli, e.Message);
            }

            var flags = new InitFlags
            {
                Vault = result.GetValue(vault),
                Name = result.GetValue(name),
                Email = result.GetValue(email),
                Signature = result.GetValue(signature),
                Provider = result.GetValue(provider),
                Endpoint = result.GetValue(endpoint),
                Model = result.GetValue(model),
                ApiKey = key,
                ImapProvider = result.GetValue(imapProvider),
                ImapHost = result.GetValue(imapHost),
                ImapPort = result.GetValue(imapPort),
                ImapSecurity = result.GetValue(imapSecurity),
                ImapUsername = result.GetValue(imapUsername),
                ImapPassword = password,
                ImapCertificateSha256 = result.GetValue(imapPin),
                ImapClientId = result.GetValue(oauth.ClientId),
                ImapClientSecret = clientSecret,
                ImapTenant = result.GetValue(oauth.Tenant),
                ImapOAuthDiscoveryUrl = result.GetValue(oauth.DiscoveryUrl),
            };
            var interactive = !cli.Captured && !Console.IsInputRedirected && !cli.IsOutputRedirected;
            return await RunAsync(cli.Ansi(), cli.Error, interactive, flags, SettingsLocations.UserFile(), SystemdUnit.CurrentCommand(), ct);
        });
        return command;
    }

    public static Task<int> RunAsync(IAnsiConsole console, TextWriter error, bool interactive, InitFlags flags, string userFile, IReadOnlyList<string> program, CancellationToken cancellationToken) =>
        RunAsync(console, error, interactive, flags, userFile, program, Auth.OAuthHttp.Default, cancellationToken);

    /// <param name="oauthHttp">The HTTP client of an OAuth2 sign-in (tests: one that trusts their own authority).</param>
    public static async Task<int> RunAsync(IAnsiConsole console, TextWriter error, bool interactive, InitFlags flags, string userFile, IReadOnlyList<string> program, Auth.OAuthHttp oauthHttp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(flags);
        try
        {
            var file = UserSettingsFile.Load(userFile);
            console.MarkupLine(file.Exists
                ? $"Settings: [blue]{Markup.Escape(userFile)}[/] (current values are kept; press Enter to keep one)."
                : $"Settings will be written to [blue]{Markup.Escape(userFile)}[/].");
            var ask = new Questions(console, interactive, file);

            var vault = Path.GetFullPath(ask.Text("--vault", flags.Vault, "ReplyDrafter:Vault", "Vault folder (your Obsidian vault)", required: true)!);
            var name = ask.Text("--name", flags.Name, "ReplyDrafter:Me:Name", "Your name", required: true);
            var email = ask.Text("--email", flags.Email, "ReplyDrafter:Me:Email", "Your email address", required: true);
            var signature = ask.Text("--signature", flags.Signature, "ReplyDrafter:Me:Signature", "Signature under drafts", required: false, allowEmpty: true);

            var llm = await AskModelAsync(ask, flags, cancellationToken);
            var imap = AskImap(ask, flags, email);

            var layout = new Vault.VaultLayout(vault, new FolderOptions());
            CliHost.PrepareVault(layout);
            console.MarkupLine($"Vault ready: [blue]{Markup.Escape(layout.Root)}[/]");

            var problems = new List<string>();
            if (await ConnectionChecks.ProbeLlmAsync(llm, cancellationToken) is { } llmProblem)
            {
                problems.Add("LLM: " + llmProblem);
            }
            else
            {
                console.MarkupLine($"[green]LLM answers:[/] {Markup.Escape(llm.Deployment)} at {Markup.Escape(llm.Endpoint)}");
            }

            if (imap is { Auth: ImapAuth.OAuth2 })
            {
                if (await SignInAsync(console, imap, oauthHttp, cancellationToken) is { } signInProblem)
                {
                    problems.Add("IMAP: " + signInProblem);
                }
            }
            else if (imap is not null)
            {
                var probe = await ImapLoginProbe.ProbeAsync(imap, cancellationToken);
                if (probe.CertificateRefused && ask.Interactive && AskPin(ask, probe.Problem!) is { } pin)
                {
                    imap.TrustedCertificateSha256 = pin;
                    probe = await ImapLoginProbe.ProbeAsync(imap, cancellationToken);
                }

                if (probe.Problem is { } imapProblem)
                {
                    problems.Add("IMAP: " + imapProblem + (probe.CertificateRefused ? " (init: --imap-certificate-sha256)" : ""));
                }
                else
                {
                    console.MarkupLine($"[green]IMAP login works:[/] {Markup.Escape(imap.Username)} at {Markup.Escape(imap.Host)}:{imap.Port}");
                }
            }

            file.Set("ReplyDrafter:Vault", vault);
            file.Set("ReplyDrafter:Me:Name", name);
            file.Set("ReplyDrafter:Me:Email", email);
            file.Set("ReplyDrafter:Me:Signature", signature);
            file.Set("ReplyDrafter:Llm:Provider", llm.Provider.ToString());
            file.Set("ReplyDrafter:Llm:Endpoint", llm.Endpoint);
            file.Set("ReplyDrafter:Llm:Deployment", llm.Deployment);
            file.Set("ReplyDrafter:Llm:ApiKey", llm.ApiKey);
            if (imap is not null)
            {
                file.Set("ReplyDrafter:Imap:Host", imap.Host);
                file.Set("ReplyDrafter:Imap:Port", imap.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), number: true);
                file.Set("ReplyDrafter:Imap:Security", imap.Security.ToString());
                file.Set("ReplyDrafter:Imap:Username", imap.Username);
                file.Set("ReplyDrafter:Imap:Password", imap.Password);
                file.Set("ReplyDrafter:Imap:TrustedCertificateSha256", imap.TrustedCertificateSha256);
                // Null: found by SPECIAL-USE; a name kept from another provider would point at a folder this one lacks.
                SetOrRemove(file, "ReplyDrafter:Imap:DraftsFolder", imap.DraftsFolder);
                SetOrRemove(file, "ReplyDrafter:Imap:SentFolder", imap.SentFolder);
                WriteSignIn(file, imap);
            }

            file.Save();
            console.MarkupLine($"Saved [blue]{Markup.Escape(userFile)}[/] (readable by you only).");
            foreach (var problem in problems)
            {
                console.MarkupLine($"[yellow]Not working yet:[/] {Markup.Escape(problem)}");
            }

            console.MarkupLine("Start it with:");
            console.WriteLine("  " + string.Join(' ', program.Append("run").Select(SystemdUnit.Quote)));
            console.MarkupLine("[grey]As a service: replydrafter service print-unit (see README).[/]");
            return problems.Count == 0 ? 0 : 1;
        }
        catch (UsageException e)
        {
            return ReplyDrafterCommandLine.Usage(error, e.Message);
        }
    }

    private static async Task<LlmOptions> AskModelAsync(Questions ask, InitFlags flags, CancellationToken cancellationToken)
    {
        var currentProvider = ask.Current("ReplyDrafter:Llm:Provider");
        var currentEndpoint = ask.Current("ReplyDrafter:Llm:Endpoint");
        var currentKind = currentProvider is null ? null
            : currentProvider.Equals(nameof(LlmProvider.AzureOpenAI), StringComparison.OrdinalIgnoreCase) ? "azure"
            : IsOllama(currentEndpoint) ? "ollama" : "openai";
        var kind = ask.Choice("--provider", flags.Provider, currentKind ?? "ollama", "Model server: ollama (local), openai (OpenAI-compatible) or azure", s_providers);

        var options = new LlmOptions { Provider = kind == "azure" ? LlmProvider.AzureOpenAI : LlmProvider.OpenAI };
        var keepEndpoint = currentKind == kind ? currentEndpoint : null;
        options.Endpoint = ask.Text("--endpoint", flags.Endpoint, keepEndpoint ?? (kind == "ollama" ? OllamaEndpoint : null), "Endpoint URL", required: true)!;

        var currentModel = currentKind == kind ? ask.Current("ReplyDrafter:Llm:Deployment") : null;
        IReadOnlyList<string> pulled = [];
        if (kind == "ollama" && flags.Model is null && ask.Interactive && Uri.TryCreate(options.Endpoint, UriKind.Absolute, out var ollama))
        {
            pulled = await ConnectionChecks.OllamaModelsAsync(ollama, cancellationToken);
            if (pulled.Count == 0)
            {
                ask.Console.MarkupLine("[yellow]No Ollama answers there (or it has no models yet):[/] start it with 'ollama serve' and 'ollama pull llama3.1:8b'.");
            }
        }

        options.Deployment = pulled.Count > 0
            ? ask.Select("Model", pulled, currentModel)
            : ask.Text("--model", flags.Model, currentModel ?? (kind == "ollama" ? "llama3.1:8b" : null), kind == "azure" ? "Deployment name" : "Model name", required: true)!;
        options.ApiKey = kind == "ollama"
            ? flags.ApiKey
            : ask.Secret("--api-key-file", flags.ApiKey, currentKind == kind ? "ReplyDrafter:Llm:ApiKey" : null, kind == "azure" ? "API key (empty: Entra ID sign-in)" : "API key (empty if none)");
        options.ApiKey ??= currentKind == kind ? ask.Current("ReplyDrafter:Llm:ApiKey") : null;
        return options;
    }

    /// <summary>Asked only after the certificate was refused: a pin is a deliberate choice, never a default.</summary>
    private static string? AskPin(Questions ask, string problem)
    {
        ask.Console.MarkupLine($"[yellow]{Markup.Escape(problem)}[/]");
        while (true)
        {
            var answer = ask.Console.Prompt(new TextPrompt<string>("SHA-256 of the server's own certificate to trust it (empty: skip):") { AllowEmpty = true });
            if (string.IsNullOrWhiteSpace(answer))
            {
                return null;
            }

            if (CertificatePin.Parse(answer) is not null)
            {
                return answer.Trim();
            }

            ask.Console.MarkupLine("[yellow]That is not a SHA-256 (64 hex digits, colons allowed).[/]");
        }
    }

    private static ImapOptions? AskImap(Questions ask, InitFlags flags, string? email)
    {
        var currentHost = ask.Current("ReplyDrafter:Imap:Host");
        var oauth = OAuthProviderOf(ask, flags);
        var wanted = flags.ImapHost is not null || flags.ImapProvider is not null || (ask.Interactive
            ? ask.Console.Prompt(new ConfirmationPrompt("Read mail from an IMAP mailbox?") { DefaultValue = currentHost is not null })
            : currentHost is not null);
        if (!wanted)
        {
            return null;
        }

        var preset = oauth is { } signIn ? OAuthPreset(signIn, flags) : Preset(ask, flags, email, currentHost);
        oauth ??= AskSignIn(ask, flags, preset);
        if (oauth is { } provider)
        {
            ask.Console.MarkupLine($"[blue]{provider} (OAuth2):[/] {Markup.Escape(OAuthAdvice(provider))}");
        }
        else if (preset is not null)
        {
            ask.Console.MarkupLine($"[blue]{Markup.Escape(preset.Name)}:[/] {Markup.Escape(preset.Advice)}");
        }

        var host = ask.Text("--imap-host", flags.ImapHost, preset?.Host ?? "ReplyDrafter:Imap:Host", "IMAP server", required: true)!;
        var securityText = ask.Choice("--imap-security", flags.ImapSecurity, preset?.Security.ToString() ?? ask.Current("ReplyDrafter:Imap:Security") ?? nameof(SecureSocketOptions.SslOnConnect), "Security", Enum.GetNames<SecureSocketOptions>());
        if (!Enum.TryParse<SecureSocketOptions>(securityText, ignoreCase: true, out var security) || int.TryParse(securityText, out _))
        {
            throw new UsageException($"init: --imap-security must be one of {string.Join(", ", Enum.GetNames<SecureSocketOptions>())} (got '{securityText}').");
        }

        var defaultPort = security == SecureSocketOptions.SslOnConnect ? "993" : "143";
        var portText = ask.Text("--imap-port", flags.ImapPort?.ToString(System.Globalization.CultureInfo.InvariantCulture), preset?.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ask.Current("ReplyDrafter:Imap:Port") ?? defaultPort, "Port", required: true)!;
        if (!int.TryParse(portText, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"init: --imap-port must be a port number (got '{portText}').");
        }

        var username = ask.Text("--imap-username", flags.ImapUsername, ask.Current("ReplyDrafter:Imap:Username") ?? (preset is not null ? email : null), "Login", required: true)!;
        if (oauth is { } oauthProvider)
        {
            var oauthImap = new ImapOptions
            {
                Host = host, Port = port, Security = security, Username = username,
                DraftsFolder = preset?.DraftsFolder ?? ask.Current("ReplyDrafter:Imap:DraftsFolder"),
                SentFolder = preset?.SentFolder ?? ask.Current("ReplyDrafter:Imap:SentFolder"),
            };
            if (flags.ImapProvider is null && preset?.Name == "outlook")
            {
                // The preset came from an Outlook.com, Hotmail or Live address: a personal account.
                oauthImap.OAuth.Tenant = "consumers";
            }

            return AskOAuth(ask, flags, oauthProvider, oauthImap);
        }

        var password = ask.Secret("--imap-password-file", flags.ImapPassword, "ReplyDrafter:Imap:Password", "Password (an app password for Gmail / Outlook.com)") ?? ask.Current("ReplyDrafter:Imap:Password");
        if (string.IsNullOrEmpty(password))
        {
            throw new UsageException("init: --imap-password-file is required (no terminal to ask on, and no current value).");
        }

        var pin = flags.ImapCertificateSha256 ?? ask.Current("ReplyDrafter:Imap:TrustedCertificateSha256");
        if (pin is not null && CertificatePin.Parse(pin) is null)
        {
            throw new UsageException($"init: --imap-certificate-sha256 must be a SHA-256 (64 hex digits, colons allowed; got '{pin}').");
        }

        // The folder names belong to a server: a preset brings its own, another server drops the previous ones.
        bool sameServer = preset is null && string.Equals(host.Trim(), currentHost?.Trim(), StringComparison.OrdinalIgnoreCase);
        return new ImapOptions
        {
            Host = host, Port = port, Security = security, Username = username, Password = password, TrustedCertificateSha256 = pin,
            DraftsFolder = preset is not null ? preset.DraftsFolder : sameServer ? ask.Current("ReplyDrafter:Imap:DraftsFolder") : null,
            SentFolder = preset is not null ? preset.SentFolder : sameServer ? ask.Current("ReplyDrafter:Imap:SentFolder") : null,
        };
    }

    private static void SetOrRemove(UserSettingsFile file, string key, string? value)
    {
        if (value is null)
        {
            file.Remove(key);
        }
        else
        {
            file.Set(key, value);
        }
    }

    /// <summary>The provider named by <c>--imap-provider</c>, else the one the address is at when no server is set yet.</summary>
    private static ImapPreset? Preset(Questions ask, InitFlags flags, string? email, string? currentHost)
    {
        if (flags.ImapProvider is { } name)
        {
            return ImapPresets.Find(name)
                ?? throw new UsageException($"init: --imap-provider must be one of {ImapPresets.Names} (got '{name}').");
        }

        return flags.ImapHost is null && currentHost is null ? ImapPresets.ForAddress(flags.ImapUsername ?? email) : null;
    }

    private static bool IsOllama(string? endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.IsLoopback && uri.Port == 11434;

    /// <summary>Each answer: the flag, else a prompt (current value as default) on a terminal, else the current value.</summary>
    private sealed class Questions(IAnsiConsole console, bool interactive, UserSettingsFile file)
    {
        public IAnsiConsole Console => console;

        public string FilePath => file.Path;

        public bool Interactive => interactive;

        public string? Current(string key) => file.Get(key) is { Length: > 0 } value ? value : null;

        /// <param name="currentOrKey">A configuration key whose current value is the default, or the default itself.</param>
        public string? Text(string flag, string? given, string? currentOrKey, string question, bool required, bool allowEmpty = false)
        {
            var current = currentOrKey is not null && currentOrKey.StartsWith("ReplyDrafter:", StringComparison.Ordinal) ? Current(currentOrKey) : currentOrKey;
            if (given is not null)
            {
                return given;
            }

            if (interactive)
            {
                var prompt = new TextPrompt<string>(Label(question, current is not null)) { AllowEmpty = allowEmpty || current is not null };
                if (current is not null)
                {
                    prompt.DefaultValue(current);
                }

                var answer = console.Prompt(prompt);
                return string.IsNullOrEmpty(answer) && !allowEmpty ? current : answer;
            }

            return current ?? (required ? throw Missing(flag) : null);
        }

        public string Choice(string flag, string? given, string current, string question, IReadOnlyList<string> choices)
        {
            if (given is not null || !interactive)
            {
                var value = given ?? current;
                return choices.FirstOrDefault(c => c.Equals(value, StringComparison.OrdinalIgnoreCase))
                    ?? throw new UsageException($"init: {flag} must be one of {string.Join(", ", choices)} (got '{value}').");
            }

            var prompt = new TextPrompt<string>(question).AddChoices(choices).DefaultValue(current);
            return console.Prompt(prompt);
        }

        public string Select(string question, IReadOnlyList<string> choices, string? current)
        {
            var ordered = current is not null && choices.Contains(current) ? choices.Where(c => c == current).Concat(choices.Where(c => c != current)).ToList() : choices;
            return console.Prompt(new SelectionPrompt<string>().Title(question).AddChoices(ordered));
        }

        /// <summary>A secret is never echoed nor shown; Enter keeps the current one. Null: keep what there is.</summary>
        public string? Secret(string flag, string? given, string? key, string question)
        {
            _ = flag;
            if (given is not null || !interactive)
            {
                return given;
            }

            var hasCurrent = key is not null && Current(key) is not null;
            var answer = console.Prompt(new TextPrompt<string>(Label(hasCurrent ? question + " [grey](set; Enter keeps it)[/]" : question, suffixShown: false)) { AllowEmpty = true }.Secret());
            return string.IsNullOrEmpty(answer) ? null : answer;
        }

        /// <summary>
        /// Spectre ends a prompt with ':' only after a default or choices it shows; without either the answer would
        /// follow the question with only a space ("Your name Ada").
        /// </summary>
        private static string Label(string question, bool suffixShown) => suffixShown ? question : question + ":";

        private static UsageException Missing(string flag) =>
            new($"init: {flag} is required (no terminal to ask on, and no current value).");
    }
}
