using ReplyDrafter.Ledger;
using ReplyDrafter.Vault;

namespace ReplyDrafter.Tests.Resilience;

/// <summary>"Nothing lost, nothing twice": what a vault must look like once every item of a corpus has been processed.</summary>
internal static class VaultInvariants
{
    public static void AssertComplete(TempVault vault, MailCorpus corpus)
    {
        // Every item left the inbox exactly once, under its own name, and none failed.
        Assert.Empty(Directory.EnumerateFiles(vault.Layout.Inbox));
        Assert.False(Directory.Exists(Path.Combine(vault.Layout.Inbox, "Sent")) && Directory.EnumerateFiles(Path.Combine(vault.Layout.Inbox, "Sent")).Any());
        Assert.Empty(vault.Files("Inbox/_failed"));
        var archived = vault.Files("Inbox/_archive").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(corpus.Files.Keys.Select(k => Path.GetFileName(k)).Order(StringComparer.Ordinal).ToList(), archived);

        // One source copy per message.
        var sources = vault.Files("Sources/Email");
        var sourceIds = sources.Select(s => Frontmatter.Read(File.ReadAllText(vault.Path(s))).GetString("message_id") ?? "").ToList();
        Assert.Equal(
            corpus.Threads.SelectMany(t => t.MessageIds).Select(id => $"<{id}>").Order(StringComparer.Ordinal).ToList(),
            sourceIds.Order(StringComparer.Ordinal).ToList());

        // One note per thread; a pending draft exactly for the threads that call for one, answering the latest message.
        var notes = vault.Files("Notes");
        Assert.Equal(corpus.Threads.Count, notes.Count);
        var drafts = vault.Files("Outbox").Where(f => !f.StartsWith("Outbox/_prompts/", StringComparison.Ordinal)).ToList();
        var draftsByReplyTo = drafts
            .Select(d => (Path: d, Fields: Frontmatter.Read(File.ReadAllText(vault.Path(d)))))
            .GroupBy(d => d.Fields.GetString("in_reply_to") ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        foreach (var thread in corpus.Threads)
        {
            var forThread = thread.MessageIds.SelectMany(id => draftsByReplyTo.GetValueOrDefault($"<{id}>") ?? []).ToList();
            if (thread.NeedsDraft)
            {
                var draft = Assert.Single(forThread);
                Assert.Equal($"<{thread.LatestId}>", draft.Fields.GetString("in_reply_to"));
                Assert.Equal("pending", draft.Fields.GetString("status"));
            }
            else
            {
                Assert.Empty(forThread);
            }
        }

        Assert.Equal(corpus.Threads.Count(t => t.NeedsDraft), drafts.Count);

        // Every note and draft has its prompt record, and there is no other record.
        var produced = notes.Concat(drafts).ToList();
        foreach (var file in produced)
        {
            var record = Frontmatter.Read(File.ReadAllText(vault.Path(file))).GetString("prompt_file");
            Assert.False(record is null, $"{file} names no prompt_file");
            Assert.True(File.Exists(vault.Path(record)), $"{file}: its prompt record {record} is missing");
        }

        Assert.Equal(produced.Count, vault.Files("Outbox/_prompts").Count);

        // No half-written, temporary or empty file anywhere.
        foreach (var file in vault.Files())
        {
            Assert.False(AtomicFile.IsTempFile(file) || file.Contains(".rdtmp-", StringComparison.Ordinal), $"temp file left: {file}");
            if (!file.StartsWith(".replydrafter/", StringComparison.Ordinal))
            {
                Assert.True(new FileInfo(vault.Path(file)).Length > 0, $"empty file: {file}");
            }
        }

        AssertLedgerAgrees(vault, corpus);
    }

    private static void AssertLedgerAgrees(TempVault vault, MailCorpus corpus)
    {
        using var ledger = new ReplyDrafter.Ledger.VaultLedger(vault.Layout.LedgerPath);
        Assert.Equal(corpus.Files.Count, ledger.Items(ItemStates.Done).Count);
        Assert.Empty(ledger.Items(ItemStates.Failed));
        Assert.Equal(corpus.Threads.Count, ledger.CountThreads());
        var notePaths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var thread in corpus.Threads)
        {
            var threadIds = thread.MessageIds.Select(ledger.ThreadOfMessage).Distinct().ToList();
            var threadId = Assert.Single(threadIds);
            Assert.NotNull(threadId);
            var record = ledger.FindThread(threadId);
            Assert.NotNull(record);
            Assert.NotNull(record.DoneVersion);
            Assert.True(record.NotePath is not null && File.Exists(vault.Path(record.NotePath)), $"thread {threadId}: note {record.NotePath} missing");
            Assert.True(notePaths.Add(record.NotePath), $"two threads share the note {record.NotePath}");
            if (thread.NeedsDraft)
            {
                Assert.Equal(thread.LatestId, record.DraftFor?.Trim('<', '>'));
                Assert.True(record.DraftPath is not null && File.Exists(vault.Path(record.DraftPath)), $"thread {threadId}: draft {record.DraftPath} missing");
            }
            else
            {
                Assert.Null(record.DraftPath);
            }
        }
    }
}
