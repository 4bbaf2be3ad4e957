namespace ReplyDrafter.Imap;

/// <summary>
/// Takes a batch of fetched messages (processed in parallel) and calls <c>settled</c> for each as soon as it is done or
/// failed for good; returning means every message of the batch is settled. The folder's saved UID advances only over
/// settled messages, so one that was not (a crash, a model that stayed down) is fetched again next time.
/// </summary>
internal delegate Task ImapBatchConsumer(IReadOnlyList<ImapMessage> batch, Action<ImapMessage> settled, CancellationToken cancellationToken);
