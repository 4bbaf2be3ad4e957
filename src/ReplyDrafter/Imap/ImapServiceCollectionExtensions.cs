using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Imap;

internal static class ImapServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <c>ReplyDrafter:Imap</c> (at start; nothing is checked while Host is empty) and registers the
    /// connector, the mailbox source, the drafts writer, the connection state and the state store at
    /// <paramref name="stateDatabasePath"/> (e.g. the vault's <c>.replydrafter/imap.db</c>). Starts nothing by itself.
    /// </summary>
    public static IServiceCollection AddImap(this IServiceCollection services, Func<IServiceProvider, string> stateDatabasePath)
    {
        ArgumentNullException.ThrowIfNull(stateDatabasePath);
        services.AddOptionsWithValidateOnStart<ImapOptions, ImapOptionsValidator>()
            .Configure<IConfiguration>(static (_, configuration) => CheckReadable(configuration))
            .BindConfiguration(ImapOptions.Section);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(Auth.OAuthHttp.Default);
        services.TryAddSingleton<ImapConnector>();
        services.TryAddSingleton<ImapConnectionState>();
        services.TryAddSingleton(sp => new ImapStateStore(stateDatabasePath(sp)));
        services.TryAddSingleton<ImapMailboxSource>();
        services.TryAddSingleton<ImapDraftWriter>();
        services.TryAddSingleton<ImapPendingDrafts>();
        return services;
    }

    /// <summary>
    /// Runs before the binding: the binder's message for a bad enum is cryptic, and its exception for a bad value is not
    /// an <see cref="OptionsValidationException"/>; these name the key (and the allowed values).
    /// </summary>
    private static void CheckReadable(IConfiguration configuration)
    {
        var section = configuration.GetSection(ImapOptions.Section);
        string? security = section[nameof(ImapOptions.Security)];
        if (!string.IsNullOrWhiteSpace(security) &&
            (!Enum.TryParse<SecureSocketOptions>(security.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) ||
             parsed == SecureSocketOptions.StartTlsWhenAvailable || int.TryParse(security, out _)))
        {
            throw new OptionsValidationException(
                Options.DefaultName,
                typeof(ImapOptions),
                [$"{ImapOptions.Section}:Security must be Auto, SslOnConnect, StartTls or None (got '{security}')."]);
        }

        foreach (var (key, allowed) in new[] { ("Auth", typeof(ImapAuth)), ("OAuth:Provider", typeof(Auth.OAuthProvider)) })
        {
            string? text = section[key];
            if (!string.IsNullOrWhiteSpace(text) && (int.TryParse(text, out _) || !Enum.TryParse(allowed, text.Trim(), ignoreCase: true, out _)))
            {
                throw new OptionsValidationException(
                    Options.DefaultName,
                    typeof(ImapOptions),
                    [$"{ImapOptions.Section}:{key} must be {string.Join(" or ", Enum.GetNames(allowed))} (got '{text}')."]);
            }
        }

        try
        {
            section.Get<ImapOptions>();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type ("... at 'ReplyDrafter:Imap:Port' to type 'System.Int32'").
            throw new OptionsValidationException(Options.DefaultName, typeof(ImapOptions), [e.Message]);
        }
    }
}
