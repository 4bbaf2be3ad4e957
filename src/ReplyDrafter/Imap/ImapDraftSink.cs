using System.Security.Cryptography;
using System.Text;
using MailKit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using ReplyDrafter.Drafts;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Imap;

/// <summary>
/// Puts each Outbox draft into the server's Drafts folder as a threaded reply, replacing our previous untouched draft
/// of the thread (recorded per thread in imap.db). The Message-ID depends only on the thread and the message answered,
/// so a crash between the APPEND and the commit finds the first copy instead of adding a second.
/// </summary>
/// <remarks>
/// A server that cannot be reached, refuses the APPEND (quota) or has no Drafts folder yet does not hold up the vault:
/// the draft stays in Outbox/ (logged) and waits in imap.db (<see cref="ImapPendingDrafts"/>), retried on its own
/// schedule and after each catch-up; a newer draft of the thread replaces it.
/// </remarks>
internal sealed partial class ImapDraftSink(
    ImapDraftWriter writer,
    ImapStateStore store,
    ImapPendingDrafts pending,
    IOptions<MeOptions> me,
    ILogger<ImapDraftSink> logger) : IDraftSink
{
    public async Task DeliverAsync(DraftDelivery draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var reply = ToReply(draft, me.Value);
        await pending.EnterAsync(cancellationToken);
        try
        {
            var result = await writer.WriteAsync(reply, store.GetDraft(draft.ThreadId), cancellationToken);
            if (result.Outcome == DraftAppendOutcome.NoDraftsFolder)
            {
                // Waits like a draft made while the server is down (the writer logged why, once).
                pending.Add(draft.ThreadId, draft.OutboxPath, reply);
                return;
            }

            store.SetDraft(draft.ThreadId, result.MessageId);
            pending.Forget(draft.ThreadId); // an older undelivered draft of the thread is superseded
        }
        catch (Exception ex) when (IsTransport(ex))
        {
            pending.Add(draft.ThreadId, draft.OutboxPath, reply);
            LogNotWritten(logger, draft.OutboxPath, ex.Message);
        }
        finally
        {
            pending.Exit();
        }
    }

    public async Task<DraftWithdrawal> WithdrawAsync(string threadId, CancellationToken cancellationToken)
    {
        await pending.EnterAsync(cancellationToken);
        try
        {
            pending.Forget(threadId);
            if (store.GetDraft(threadId) is not { } messageId)
            {
                return DraftWithdrawal.Gone;
            }

            try
            {
                var result = await writer.WithdrawAsync(messageId, cancellationToken);
                if (result == DraftWithdrawal.Removed)
                {
                    ImapLog.DraftWithdrawn(logger, messageId);
                }

                store.SetDraft(threadId, null);
                return result;
            }
            catch (Exception ex) when (IsTransport(ex))
            {
                LogNotWithdrawn(logger, messageId, ex.Message);
                return DraftWithdrawal.Unknown;
            }
        }
        finally
        {
            pending.Exit();
        }
    }

    /// <summary>Header-only addressing as parsed from the original (never from the model, never the Outbox text parsed again), signed as <c>Me:Name &lt;Me:Email&gt;</c>.</summary>
    internal static DraftReply ToReply(DraftDelivery delivery, MeOptions me)
    {
        var draft = delivery.Draft;
        var from = new MailboxAddress(me.Name, me.Email);
        string? inReplyTo = MessageIds.IsSynthesized(delivery.AnswersMessageId) ? null : delivery.AnswersMessageId;
        var original = delivery.Original;
        return new DraftReply(
            from,
            delivery.To is null ? [] : [delivery.To],
            delivery.Cc,
            draft.Subject,
            inReplyTo,
            delivery.References,
            draft.Content.Body,
            string.IsNullOrWhiteSpace(draft.Signature) ? null : draft.Signature,
            draft.Created,
            new QuotedOriginal(original.Date, original.From.NameOrAddress, original.Body),
            MessageId(delivery, from));
    }

    /// <summary>One id per (thread, message answered): the same draft written again is found, a newer one is new.</summary>
    internal static string MessageId(DraftDelivery delivery, MailboxAddress from)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(delivery.ThreadId + "\n" + delivery.AnswersMessageId));
        string domain = from.Domain is { Length: > 0 } d ? d : "replydrafter.local";
        return $"replydrafter.{Convert.ToHexStringLower(hash.AsSpan(0, 12))}@{domain}";
    }

    /// <summary>The server refused, dropped or could not be reached: the vault goes on without the server copy.</summary>
    internal static bool IsTransport(Exception ex) =>
        ex is ImapLoginException or IOException or MailKit.Net.Imap.ImapCommandException or MailKit.Net.Imap.ImapProtocolException
            or ServiceNotConnectedException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The draft {OutboxPath} is in Outbox/ but not yet in the IMAP Drafts folder (written once the server answers): {Reason}")]
    private static partial void LogNotWritten(ILogger logger, string outboxPath, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Our superseded IMAP draft {MessageId} could not be removed: {Reason}")]
    private static partial void LogNotWithdrawn(ILogger logger, string messageId, string reason);
}
