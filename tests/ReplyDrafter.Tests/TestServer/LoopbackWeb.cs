using Microsoft.AspNetCore.Builder;

namespace ReplyDrafter.Tests.TestServer;

/// <summary>Builders for the small web servers the tests start on loopback.</summary>
internal static class LoopbackWeb
{
    /// <summary>
    /// A slim builder that does not reload settings on change: the default watches the working folder and every folder
    /// under it (hundreds of inotify watches per server in the test output folder, the whole repository or <c>/tmp</c>
    /// for the benchmarks), and then sees every file the program under test writes there.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder() =>
        WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
}
