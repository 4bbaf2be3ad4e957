using ReplyDrafter.Mail;
using ReplyDrafter.Steps;

namespace ReplyDrafter.Drafts;

/// <summary>
/// What the draft step needs of a thread besides the note's summary: the messages the reply must answer (those since
/// the user last wrote, at most <see cref="MaxToAnswer"/>), and the one before the first of them when that first one
/// refers back without context ("Yes, fine by me."). The rest of the thread reaches the draft through the summary,
/// which the note step wrote from the whole thread.
/// </summary>
internal static class DraftInput
{
    public const int MaxToAnswer = 3;

    /// <summary>Own text this short says too little alone ("Any news?", "Agreed, go ahead.").</summary>
    private const int ContextFreeChars = 160;

    private static readonly string[] BackReferences =
    [
        "see below", "as below", "see above", "as discussed", "as mentioned", "as agreed", "your last", "your previous",
        "my previous", "my last", "the previous", "earlier mail", "earlier email", "earlier message", "this one", "that one",
    ];

    /// <summary>The messages to send, oldest first (the latest always among them).</summary>
    public static IReadOnlyList<EmailMessage> MessagesFor(IReadOnlyList<EmailMessage> messages, MeOptions me)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(me);
        if (messages.Count <= 1)
        {
            return messages;
        }

        int lastOwn = -1;
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            if (me.IsMe(messages[i].From.Address))
            {
                lastOwn = i;
                break;
            }
        }

        int first = Math.Max(Math.Max(lastOwn + 1, messages.Count - MaxToAnswer), 0);
        if (first >= messages.Count)
        {
            first = messages.Count - 1;
        }

        if (first > 0 && RefersBack(messages[first]))
        {
            first--;
        }

        return messages.Skip(first).ToList();
    }

    /// <summary>The draft's <c>thread</c> input: the messages above, with a line saying how many earlier ones the summary covers.</summary>
    public static string Format(IReadOnlyList<EmailMessage> messages, MeOptions me, int maxChars)
    {
        var sent = MessagesFor(messages, me);
        var text = ThreadText.Format(sent, maxChars);
        int earlier = messages.Count - sent.Count;
        return earlier == 0 ? text : $"[{earlier} earlier message(s): see the summary above]\n{text}";
    }

    private static bool RefersBack(EmailMessage message)
    {
        var own = message.OwnText.Trim();
        return own.Length < ContextFreeChars || BackReferences.Any(r => own.Contains(r, StringComparison.OrdinalIgnoreCase));
    }
}
