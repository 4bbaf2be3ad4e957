namespace ReplyDrafter;

/// <summary>A configuration or usage problem: one line naming the setting, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message)
{
    public UsageException() : this("usage error") { }

    public UsageException(string message, Exception inner) : this(message + " " + inner.Message) { }
}
