namespace ReplyDrafter.Mail;

/// <summary>A thread's messages of one batch, with the thread's stable id.</summary>
public sealed record MessageGroup(string ThreadId, IReadOnlyList<EmailMessage> Messages);

/// <summary>Groups messages into threads by Message-ID / In-Reply-To / References, falling back to the normalized subject.</summary>
internal static class ThreadGrouper
{
    private const string ThreadNodePrefix = "\0thread:";
    private const string SubjectNodePrefix = "\0subject:";

    /// <summary>
    /// Groups a batch. <paramref name="knownThreadOfMessage"/> answers the thread id of a message already processed
    /// (from the ledger), <paramref name="knownThreadOfSubject"/> the thread id of a normalized subject
    /// (<see cref="SubjectNormalizer.Normalize"/>). A new thread's id is its root message id (the first of References,
    /// else In-Reply-To, else its own Message-ID); a group touching a thread known to the ledger takes that thread's id.
    /// </summary>
    /// <remarks>
    /// The subject is only a fallback for messages that carry neither In-Reply-To nor References (forwarded text,
    /// broken clients): such a message joins a thread of the same normalized subject when its own subject is a
    /// reply/forward ("Re:", "Fwd:"...), or when that subject already names a thread in the batch (a message that
    /// does carry reply headers) or in the ledger. Fresh messages that merely share a subject are never merged
    /// with each other unless a "Re:" of that subject is present too. Duplicate Message-IDs keep the first message.
    /// Groups come out ordered by their latest message (then thread id); messages by date, then Message-ID.
    /// </remarks>
    public static IReadOnlyList<MessageGroup> Group(
        IReadOnlyList<EmailMessage> messages,
        Func<string, string?> knownThreadOfMessage,
        Func<string, string?> knownThreadOfSubject)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(knownThreadOfMessage);
        ArgumentNullException.ThrowIfNull(knownThreadOfSubject);

        var unique = Deduplicate(messages);
        var sets = new DisjointSets();

        foreach (var message in unique)
        {
            foreach (var id in LinkedIds(message))
            {
                sets.Union(message.MessageId, id);
            }
        }

        foreach (var id in unique.SelectMany(LinkedIds).Distinct(StringComparer.Ordinal).ToList())
        {
            if (knownThreadOfMessage(id) is { Length: > 0 } thread)
            {
                sets.Union(id, ThreadNodePrefix + thread);
            }
        }

        JoinBySubject(unique, sets, knownThreadOfSubject);

        var groups = unique
            .GroupBy(m => sets.Find(m.MessageId), StringComparer.Ordinal)
            .Select(g =>
            {
                var ordered = g.OrderBy(m => m.Date).ThenBy(m => m.MessageId, StringComparer.Ordinal).ToList();
                return new MessageGroup(ThreadIdOf(ordered, sets), ordered);
            })
            .OrderBy(g => g.Messages[^1].Date)
            .ThenBy(g => g.ThreadId, StringComparer.Ordinal)
            .ToList();

        return groups;
    }

    private static List<EmailMessage> Deduplicate(IReadOnlyList<EmailMessage> messages)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return messages.Where(m => seen.Add(m.MessageId)).ToList();
    }

    private static IEnumerable<string> LinkedIds(EmailMessage message)
    {
        yield return message.MessageId;
        if (!string.IsNullOrEmpty(message.InReplyTo))
        {
            yield return message.InReplyTo;
        }

        foreach (var reference in message.References)
        {
            if (!string.IsNullOrEmpty(reference))
            {
                yield return reference;
            }
        }
    }

    private static bool HasReplyHeaders(EmailMessage message) =>
        !string.IsNullOrEmpty(message.InReplyTo) || message.References.Count > 0;

    private static void JoinBySubject(List<EmailMessage> messages, DisjointSets sets, Func<string, string?> knownThreadOfSubject)
    {
        // The first message (in time) of the batch that carries reply headers names its thread's subject.
        var anchors = new Dictionary<string, EmailMessage>(StringComparer.Ordinal);
        foreach (var message in messages.Where(HasReplyHeaders).OrderBy(m => m.Date).ThenBy(m => m.MessageId, StringComparer.Ordinal))
        {
            var key = SubjectNormalizer.Key(message.Subject);
            if (key.Length > 0)
            {
                anchors.TryAdd(key, message);
            }
        }

        var orphansBySubject = messages
            .Where(m => !HasReplyHeaders(m))
            .GroupBy(m => SubjectNormalizer.Key(m.Subject), StringComparer.Ordinal)
            .Where(g => g.Key.Length > 0);

        foreach (var orphans in orphansBySubject)
        {
            var subjectNode = SubjectNodePrefix + orphans.Key;
            var normalized = SubjectNormalizer.Normalize(orphans.First().Subject);
            var anyReply = orphans.Any(m => SubjectNormalizer.IsReplyOrForward(m.Subject));
            var known = knownThreadOfSubject(normalized);
            anchors.TryGetValue(orphans.Key, out var anchor);

            foreach (var message in orphans)
            {
                if (known is { Length: > 0 })
                {
                    sets.Union(message.MessageId, ThreadNodePrefix + known);
                }
                else if (anchor is not null)
                {
                    sets.Union(message.MessageId, anchor.MessageId);
                }
                else if (anyReply)
                {
                    // A "Re:" without reply headers and its fresh original(s) in the same batch.
                    sets.Union(message.MessageId, subjectNode);
                }
            }
        }
    }

    private static string ThreadIdOf(List<EmailMessage> ordered, DisjointSets sets)
    {
        var root = sets.Find(ordered[0].MessageId);
        var known = sets.Members(root)
            .Where(n => n.StartsWith(ThreadNodePrefix, StringComparison.Ordinal))
            .Select(n => n[ThreadNodePrefix.Length..])
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        if (known is not null)
        {
            return known;
        }

        foreach (var message in ordered)
        {
            if (message.References.Count > 0 && !string.IsNullOrEmpty(message.References[0]))
            {
                return message.References[0];
            }
        }

        return ordered.FirstOrDefault(m => !string.IsNullOrEmpty(m.InReplyTo))?.InReplyTo ?? ordered[0].MessageId;
    }

    /// <summary>Union-find over string nodes; deterministic because callers add nodes in a fixed order.</summary>
    private sealed class DisjointSets
    {
        private readonly Dictionary<string, string> _parent = new(StringComparer.Ordinal);

        public string Find(string node)
        {
            if (!_parent.TryGetValue(node, out var parent))
            {
                _parent[node] = node;
                return node;
            }

            if (string.Equals(parent, node, StringComparison.Ordinal))
            {
                return node;
            }

            var root = Find(parent);
            _parent[node] = root;
            return root;
        }

        public void Union(string a, string b)
        {
            var rootA = Find(a);
            var rootB = Find(b);
            if (!string.Equals(rootA, rootB, StringComparison.Ordinal))
            {
                _parent[rootB] = rootA;
            }
        }

        public List<string> Members(string root) =>
            _parent.Keys.Where(n => string.Equals(Find(n), root, StringComparison.Ordinal)).ToList();
    }
}
