namespace ReplyDrafter.Imap;

internal enum ImapLoginFailure
{
    /// <summary>The server refused the user name or password.</summary>
    Credentials,

    /// <summary>The server's certificate failed validation and does not match the pin.</summary>
    Certificate,

    /// <summary>A setting cannot be used (e.g. the password file is unreadable).</summary>
    Settings,
}

/// <summary>A failure retrying cannot fix: the user must change a setting. <see cref="Exception.Message"/> is one line for the user.</summary>
internal sealed class ImapLoginException : Exception
{
    public ImapLoginException(ImapLoginFailure failure, string message, Exception? inner = null)
        : base(message, inner) => Failure = failure;

    public ImapLoginException()
    {
    }

    public ImapLoginException(string message)
        : base(message)
    {
    }

    public ImapLoginException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ImapLoginFailure Failure { get; }
}
