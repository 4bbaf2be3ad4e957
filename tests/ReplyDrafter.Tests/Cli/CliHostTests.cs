using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Hosting;
using ReplyDrafter.Cli;

namespace ReplyDrafter.Tests.Cli;

public sealed class CliHostTests : IDisposable
{
    private readonly TempVault _vault = new();

    [Fact]
    public void Build_ProgramSettings_ReadOnceWithoutWatchingTheProgramFolder()
    {
        // A reloading appsettings.json puts an inotify watch on every folder under the program's folder at each start.
        ConfigurationManager? configuration = null;
        using var host = CliHost.Build(
            settings =>
            {
                var builder = Host.CreateApplicationBuilder(settings);
                configuration = builder.Configuration;
                return builder;
            },
            new CommonArguments(_vault.Root, [], CliConsole.Writers(TextWriter.Null, TextWriter.Null)));

        var json = configuration!.Sources.OfType<JsonConfigurationSource>().ToList();
        Assert.Contains(json, s => s.Path == "appsettings.json");
        Assert.All(json, s => Assert.False(s.ReloadOnChange, $"{s.Path} is reloaded on change"));
    }

    public void Dispose() => _vault.Dispose();
}
