using BenchmarkDotNet.Running;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// <c>--cost</c> prints what each LLM call sends; <c>--throughput</c> measures how much of a provider's rate limit the
/// client uses; <c>--pipeline</c> the program's own time per email with an instant LLM; <c>--pickup</c> how soon a file renamed
/// into the inbox is drafted; <c>--imap</c> 40 messages over IMAP versus the folder, arrival-to-draft time and
/// catch-up memory against a local Dovecot (<c>--imap-vs-folder</c>: the first only; <c>--imap-latency</c>: the
/// arrival-to-draft time only); <c>--trim</c> quote stripping's milliseconds per MB on 5 MB replies; anything else goes to BenchmarkDotNet
/// (<c>--filter *</c>, <c>--list flat</c>, <c>--job short</c>...).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--throughput", StringComparer.Ordinal))
        {
            ThroughputReport.RunAsync(Console.Out, args).GetAwaiter().GetResult();
            return 0;
        }

        if (args.Contains("--pipeline", StringComparer.Ordinal))
        {
            PipelineReport.RunAsync(Console.Out).GetAwaiter().GetResult();
            return 0;
        }

        if (args.Contains("--pickup", StringComparer.Ordinal))
        {
            PickupReport.RunAsync(Console.Out).GetAwaiter().GetResult();
            return 0;
        }

        if (args.Contains("--imap-vs-folder", StringComparer.Ordinal))
        {
            ImapReport.RunAsync(Console.Out, versusFolderOnly: true).GetAwaiter().GetResult();
            return 0;
        }

        if (args.Contains("--imap", StringComparer.Ordinal) || args.Contains("--imap-latency", StringComparer.Ordinal))
        {
            ImapReport.RunAsync(Console.Out, latencyOnly: !args.Contains("--imap", StringComparer.Ordinal)).GetAwaiter().GetResult();
            return 0;
        }

        if (args.Contains("--trim", StringComparer.Ordinal))
        {
            TrimReport.Print(Console.Out);
            return 0;
        }

        if (args.Contains("--cost", StringComparer.Ordinal))
        {
            CostReport.Print(Console.Out);
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
