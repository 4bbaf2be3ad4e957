namespace ReplyDrafter.Inbox;

/// <summary>
/// Another source that <c>run --once</c> catches up after the inbox folder (the IMAP mailbox), so the folder runs
/// first whatever becomes of it. Registered as <see cref="IOnceSource"/> (enumerable).
/// </summary>
internal interface IOnceSource
{
    /// <returns>The exit code it adds: 0 fine, 1 something is left for the next run, 2 a setting the user must fix.</returns>
    Task<int> RunOnceAsync(CancellationToken cancellationToken);
}
