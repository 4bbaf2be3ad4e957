using BenchmarkDotNet.Running;

namespace ReplyDrafter.Benchmarks;

/// <summary>
/// <c>--cost</c> prints what each LLM call sends; anything else goes to BenchmarkDotNet
/// (<c>--filter *</c>, <c>--list flat</c>, <c>--job short</c>...).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--cost", StringComparer.Ordinal))
        {
            CostReport.Print(Console.Out);
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
