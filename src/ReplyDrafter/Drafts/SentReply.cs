namespace ReplyDrafter.Drafts;

/// <summary>One reply the user sent earlier: a candidate example of their voice.</summary>
/// <param name="MessageId">The sent message's Message-ID, recorded in the prompt record so a replay sends the same examples.</param>
/// <param name="ThreadId">The thread it answered; never an example for that same thread.</param>
/// <param name="Recipients">Its To and Cc addresses.</param>
/// <param name="Text">The user's own words: quoted history and signature already removed.</param>
internal sealed record SentReply(string MessageId, string ThreadId, IReadOnlyList<string> Recipients, DateTimeOffset SentAt, string Text);
