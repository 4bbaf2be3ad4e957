using System.Globalization;
using System.Text;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Steps;

/// <summary>What the model sees of a thread: each message's headers and own words, newest kept whole within a budget.</summary>
internal static class ThreadText
{
    private const string Separator = "\n----- message -----\n";

    public static string Format(IReadOnlyList<EmailMessage> messages, int maxChars)
    {
        var blocks = messages.Select(FormatOne).ToList();
        var kept = new List<string>();
        var total = 0;

        // Newest first: the latest message matters most for the note and the reply.
        for (var i = blocks.Count - 1; i >= 0; i--)
        {
            var block = blocks[i];
            if (total + block.Length > maxChars)
            {
                var room = maxChars - total;
                if (room > 200 || kept.Count == 0)
                {
                    kept.Add(block[..Math.Max(0, Math.Min(block.Length, room))] + "\n[… shortened]");
                }

                if (i > 0)
                {
                    kept.Add($"[{i} earlier message(s) left out for length]");
                }

                break;
            }

            kept.Add(block);
            total += block.Length + Separator.Length;
        }

        kept.Reverse();
        return string.Join(Separator, kept);
    }

    /// <summary>
    /// The vault's people whose first or last name occurs in the text: only they can help the model spell names, and
    /// a vault of thousands of people would otherwise be sent with every call.
    /// </summary>
    public static IReadOnlyList<string> PeopleMentioned(IEnumerable<string> knownNames, string text, int max = 60)
    {
        var words = new HashSet<string>(
            text.Split((char[])[' ', '\n', '\t', ',', '.', ';', ':', '<', '>', '(', ')', '"', '\'', '@', '/', '-', '!', '?'], StringSplitOptions.RemoveEmptyEntries),
            StringComparer.OrdinalIgnoreCase);
        return knownNames
            .Where(name => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(part => part.Length >= 3 && words.Contains(part)))
            .Take(max)
            .ToList();
    }

    private static string FormatOne(EmailMessage message)
    {
        var text = new StringBuilder();
        text.Append("From: ").Append(message.From.Display).Append('\n');
        if (message.To.Count > 0)
        {
            text.Append("To: ").AppendJoin(", ", message.To.Select(p => p.Display)).Append('\n');
        }

        if (message.Cc.Count > 0)
        {
            text.Append("Cc: ").AppendJoin(", ", message.Cc.Select(p => p.Display)).Append('\n');
        }

        text.Append("Date: ").Append(message.Date.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("Subject: ").Append(message.Subject).Append('\n');
        if (message.Attachments.Count > 0)
        {
            text.Append("Attachments: ").AppendJoin(", ", message.Attachments.Select(a => a.FileName)).Append('\n');
        }

        text.Append('\n').Append(message.OwnText.Trim());
        return text.ToString();
    }
}
