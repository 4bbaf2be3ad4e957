using System.Runtime.CompilerServices;

namespace ReplyDrafter.Tests.Hosting;

/// <summary>
/// The program now reads a per-user settings file; tests (and the daemons they start as child processes) must never
/// see the real user's, so the per-user folders point at an empty temp folder for the whole test process.
/// </summary>
internal static class IsolatedUserSettings
{
    public static readonly string ConfigHome = TestScratch.Combine("config-home-" + Environment.ProcessId);

#pragma warning disable CA2255 // Module initializers are meant for exactly this: before any test, once.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Isolate()
    {
        Environment.SetEnvironmentVariable("XDG_CONFIG_HOME", ConfigHome);
        Environment.SetEnvironmentVariable("APPDATA", ConfigHome);
    }
}
