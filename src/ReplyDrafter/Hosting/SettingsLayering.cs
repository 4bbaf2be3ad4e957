using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Telemetry;

namespace ReplyDrafter.Hosting;

/// <summary>Layers the settings files users keep, and secrets kept in files, into the host's configuration.</summary>
internal static class SettingsLayering
{
    /// <summary>
    /// Configuration in order (later wins): the program's <c>appsettings*.json</c> (defaults), the per-user file, the
    /// vault's <c>.replydrafter/settings.json</c> (only the keys <see cref="VaultSettings"/> allows), environment
    /// variables, the command line. The vault is whatever the configuration says once the per-user file is in (command
    /// line, environment, or that file). Then secrets from
    /// <c>*File</c> keys, then the OTLP export when configured. Registers <see cref="SettingsFiles"/> for <c>status</c>. Call once, after the vault is known.
    /// </summary>
    /// <exception cref="UsageException">when a secret file cannot be read.</exception>
    public static IHostApplicationBuilder AddReplyDrafterSettings(this IHostApplicationBuilder builder, string? userFile = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        userFile ??= SettingsLocations.UserFile();

        // Files go after the program's own appsettings*.json and before user secrets (Development only), environment
        // variables and the command line.
        var insertAt = LastIndex(configuration.Sources, s => s is JsonConfigurationSource { Path: { } p } && p.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)) + 1;
        var files = new List<SettingsFile> { new("user", userFile, File.Exists(userFile)) };
        Insert(configuration, insertAt++, userFile, "the per-user settings file");

        var vault = configuration["ReplyDrafter:Vault"];
        if (!string.IsNullOrWhiteSpace(vault))
        {
            var vaultFile = SettingsLocations.VaultFile(vault, configuration["ReplyDrafter:Folders:State"] is { Length: > 0 } state ? state : ".replydrafter");
            var values = VaultSettings.Load(vaultFile, vault, userFile);
            files.Add(new("vault", vaultFile, values is not null));
            if (values is not null)
            {
                configuration.Sources.Insert(insertAt, new MemoryConfigurationSource { InitialData = values });
            }
        }

        var secrets = SecretFiles.Resolve(configuration, Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY"));
        if (secrets.Count > 0)
        {
            configuration.AddInMemoryCollection(secrets);
        }

        var program = configuration.Sources.OfType<JsonConfigurationSource>()
            .Where(s => s.Path is not null && s.FileProvider?.GetFileInfo(s.Path) is { Exists: true, PhysicalPath: { } })
            .Select(s => new SettingsFile("program", s.FileProvider!.GetFileInfo(s.Path!).PhysicalPath!, true))
            .Where(f => !files.Any(u => string.Equals(u.Path, f.Path, StringComparison.Ordinal)));
        builder.Services.Replace(ServiceDescriptor.Singleton(new SettingsFiles([.. program, .. files])));

        // Whether to export telemetry is itself a setting, so it is decided once every file is in.
        return builder.AddReplyDrafterTelemetryExport();
    }

    /// <summary>Adding a source to the live configuration loads it now, so a broken file is reported here, in one line.</summary>
    private static void Insert(IConfigurationBuilder configuration, int index, string path, string what)
    {
        var source = new JsonConfigurationSource { Path = path, Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        try
        {
            configuration.Sources.Insert(index, source);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException($"{what} '{path}' is not valid JSON ({e.InnerException?.Message ?? e.Message}).");
        }
    }

    private static int LastIndex(IList<IConfigurationSource> sources, Func<IConfigurationSource, bool> match)
    {
        for (var i = sources.Count - 1; i >= 0; i--)
        {
            if (match(sources[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
