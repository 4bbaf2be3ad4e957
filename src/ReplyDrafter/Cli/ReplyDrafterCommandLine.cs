namespace ReplyDrafter.Cli;

internal static class ReplyDrafterCommandLine
{
    public static Task<int> InvokeAsync(string[] args) => Task.FromResult(args.Length);
}
