namespace ReplyDrafter.Auth;

/// <summary>A bearer token for the mailbox. <see cref="ToString"/> never shows the value, so a log or record cannot leak it.</summary>
internal sealed record AccessToken(string Value, DateTimeOffset ExpiresOn)
{
    public bool ExpiresWithin(TimeSpan margin, DateTimeOffset now) => ExpiresOn - margin <= now;

    public override string ToString() => $"access token (expires {ExpiresOn:u})";
}

/// <summary>No usable refresh token (never signed in, revoked, expired): only <c>replydrafter login</c> fixes it. The message is one line.</summary>
internal sealed class SignInRequiredException : Exception
{
    public SignInRequiredException()
    {
    }

    public SignInRequiredException(string message)
        : base(message)
    {
    }

    public SignInRequiredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
