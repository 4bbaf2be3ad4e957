using ReplyDrafter.Hosting;

namespace ReplyDrafter.Tests.Cli;

public sealed class ServiceCommandTests : IDisposable
{
    private readonly TempVault _vault = new();

    [Fact]
    public async Task PrintUnit_Vault_NotifyUnitWithWatchdogAndRealExecutable()
    {
        var (code, unit, error) = await CommandLineTests.InvokeAsync("service", "print-unit", "--vault", _vault.Root);

        Assert.True(code == 0, error);
        var lines = unit.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("Type=notify", lines);
        Assert.Contains("NotifyAccess=main", lines);
        Assert.Contains(lines, l => l.StartsWith("WatchdogSec=", StringComparison.Ordinal));
        Assert.Contains("RestartPreventExitStatus=2", lines);
        Assert.Contains("WantedBy=default.target", lines);
        var exec = lines.Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        var program = SystemdUnit.CurrentCommand()[0];
        Assert.StartsWith("ExecStart=" + SystemdUnit.Quote(program), exec, StringComparison.Ordinal);
        Assert.True(File.Exists(program), program);
        Assert.EndsWith(" run --vault " + SystemdUnit.Quote(_vault.Root), exec, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("#LoadCredential=llm-api-key:", StringComparison.Ordinal));
        Assert.Contains("#Environment=ReplyDrafter__Llm__ApiKeyFile=llm-api-key", lines);
    }

    [Fact]
    public async Task PrintUnit_SmallLlmBudget_WatchdogFollowsIt()
    {
        var (code, unit, error) = await CommandLineTests.InvokeAsync(
            "service", "print-unit", "--vault", _vault.Root, "--ReplyDrafter:Llm:TotalBudget=00:01:00", "--ReplyDrafter:Llm:AttemptTimeout=00:00:30", "--ReplyDrafter:Inbox:RescanInterval=00:00:30");

        Assert.True(code == 0, error);
        Assert.Contains("WatchdogSec=300s", unit.Split('\n').Select(l => l.TrimEnd('\r')));
    }

    [Theory]
    [InlineData(6.0, 30.0, 15.0)]
    [InlineData(1.0, 30.0, 5.0)]
    [InlineData(20.0, 60.0, 43.0)]
    public void Watchdog_Budget_OneThreadAndAScanPlusRoom(double budgetMinutes, double rescanSeconds, double expectedMinutes) =>
        Assert.Equal(TimeSpan.FromMinutes(expectedMinutes), SystemdUnit.Watchdog(TimeSpan.FromMinutes(budgetMinutes), TimeSpan.FromSeconds(rescanSeconds)));

    [Fact]
    public async Task PrintUnit_NoVaultAnywhere_Exit2()
    {
        var (code, unit, error) = await CommandLineTests.InvokeAsync("service", "print-unit");

        Assert.Equal(2, code);
        Assert.Empty(unit);
        Assert.Contains("--vault", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintUnit_ApiKeyFileMissing_Exit2NamingTheKey()
    {
        var (code, _, error) = await CommandLineTests.InvokeAsync("service", "print-unit", "--vault", _vault.Root, "--ReplyDrafter:Llm:ApiKeyFile=" + _vault.Path("missing-key"));

        Assert.Equal(2, code);
        Assert.Contains("ReplyDrafter:Llm:ApiKeyFile", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("/usr/bin/replydrafter", "/usr/bin/replydrafter")]
    [InlineData("/home/ada/My Vault", "\"/home/ada/My Vault\"")]
    [InlineData("/home/ada/100%", "/home/ada/100%%")]
    [InlineData("/home/ada/$HOME \"x\"", "\"/home/ada/$$HOME \\\"x\\\"\"")]
    public void Quote_Word_SystemdSyntax(string word, string expected) => Assert.Equal(expected, SystemdUnit.Quote(word));

    public void Dispose() => _vault.Dispose();
}
