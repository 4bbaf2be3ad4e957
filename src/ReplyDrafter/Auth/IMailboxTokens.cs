namespace ReplyDrafter.Auth;

/// <summary>Tokens for one mailbox account: a seam, one implementation per sign-in flow.</summary>
internal interface IMailboxTokens : IDisposable
{
    /// <summary>Signs in with a person at a terminal; <paramref name="show"/> gets the one line to act on (a URL and code). Returns the account's name.</summary>
    Task<string> SignInAsync(Func<string, CancellationToken, Task> show, CancellationToken cancellationToken);

    /// <summary>An access token without a person: cached, or refreshed when <paramref name="forceRefresh"/> or close to expiry. Throws <see cref="SignInRequiredException"/>.</summary>
    Task<AccessToken> GetAccessTokenAsync(bool forceRefresh, CancellationToken cancellationToken);
}
