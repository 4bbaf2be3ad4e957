using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MimeKit;
using ReplyDrafter.Imap;
using ReplyDrafter.Tests.TestData;

namespace ReplyDrafter.Tests.Imap;

/// <summary>A mailbox source on one Dovecot user, with its own state file, recording what it hands over.</summary>
internal sealed class SourceHarness : IDisposable
{
    private readonly string _folder = TestScratch.NewPath();
    private readonly ConcurrentQueue<ImapMessage> _delivered = new();
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];
    private readonly List<(ImapConnectionStatus Status, TaskCompletionSource Done)> _stateWaiters = [];

    public SourceHarness(ImapOptions options, TimeProvider? time = null)
    {
        Options = options;
        Time = time ?? TimeProvider.System;
        Store = new ImapStateStore(Path.Combine(_folder, ".replydrafter", "imap.db"));
        State = new ImapConnectionState(Time);
        State.Changed += OnStateChanged;
        Source = NewSource();
    }

    public ImapOptions Options { get; }

    /// <summary>For OAuth2 logins: the client that trusts the test authority (set before <see cref="NewSource"/>).</summary>
    public ReplyDrafter.Auth.OAuthHttp? Http { get; set; }

    public TimeProvider Time { get; }

    public ImapStateStore Store { get; }

    public ImapConnectionState State { get; }

    public ImapMailboxSource Source { get; private set; }

    public ConcurrentQueue<ImapConnectionStatus> History { get; } = new();

    /// <summary>What the source logged.</summary>
    public Llm.ListLogger<ImapMailboxSource> Log { get; } = new();

    public IReadOnlyList<ImapMessage> Delivered => [.. _delivered];

    /// <summary>Set to make the consumer fail (the message must then not count as read).</summary>
    public Func<ImapMessage, Exception?> Fail { get; set; } = _ => null;

    /// <summary>A new source on the same state file: a restart of the daemon.</summary>
    public ImapMailboxSource NewSource() =>
        Source = new ImapMailboxSource(new ImapConnector(Microsoft.Extensions.Options.Options.Create(Options), Time, Http), Store, State, Time, Log);

    /// <summary>Settles the batch's messages in order; one that <see cref="Fail"/> fails for ends the batch there.</summary>
    public Task ConsumeAsync(IReadOnlyList<ImapMessage> batch, Action<ImapMessage> settled, CancellationToken cancellationToken)
    {
        Batches.Enqueue(batch.Count);
        foreach (var message in batch)
        {
            if (Fail(message) is { } failure)
            {
                throw failure;
            }

            _delivered.Enqueue(message);
            settled(message);
            lock (_gate)
            {
                foreach (var waiter in _waiters.Where(w => _delivered.Count >= w.Count))
                {
                    waiter.Done.TrySetResult();
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The size of each batch handed over.</summary>
    public ConcurrentQueue<int> Batches { get; } = new();

    /// <summary>Completes once <paramref name="count"/> messages were handed over in total (10 s guard, not a sleep).</summary>
    public Task WaitForDeliveredAsync(int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _waiters.Add((count, done));
            if (_delivered.Count >= count)
            {
                done.TrySetResult();
            }
        }

        return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Completes at the next change to <paramref name="status"/>, or now when it is already current.</summary>
    public Task WaitForStateAsync(ImapConnectionStatus status, bool next = false)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _stateWaiters.Add((status, done));
        }

        if (!next && State.Current.Status == status)
        {
            done.TrySetResult();
        }

        return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Starts the source's watch and returns it (to await after stopping) once the source idles.</summary>
    public async Task<Task> RunUntilIdleAsync(CancellationToken stop)
    {
        var idle = WaitForStateAsync(ImapConnectionStatus.Idle);
        var run = Source.RunAsync(ConsumeAsync, stop);
        await idle;
        return run;
    }

    /// <summary>
    /// Moves the fake clock on by <paramref name="step"/> while the source waits out a back-off, until
    /// <paramref name="done"/>; never while it talks to the server, whose answer deadline runs on the same clock (a
    /// slow login on a busy machine would otherwise count as a silent server and start the back-off again).
    /// </summary>
    public async Task AdvanceThroughBackOffsAsync(Task done, TimeSpan step)
    {
        var clock = (Microsoft.Extensions.Time.Testing.FakeTimeProvider)Time;
        while (!done.IsCompleted)
        {
            // The back-off's timer may not be registered yet when the state changes: keep moving while it is shown.
            if (State.Current.Status == ImapConnectionStatus.Reconnecting)
            {
                clock.Advance(step);
            }

            await Task.WhenAny(done, Task.Delay(20));
        }

        await done;
    }

    public static MimeMessage Mail(string messageId, string subject = "Question") =>
        MimeMessageBuilder.Create().MessageId(messageId).Subject(subject).PlainBody("Could you answer this?").Build();

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void OnStateChanged(ImapConnectionSnapshot snapshot)
    {
        History.Enqueue(snapshot.Status);
        lock (_gate)
        {
            foreach (var waiter in _stateWaiters.Where(w => w.Status == snapshot.Status))
            {
                waiter.Done.TrySetResult();
            }
        }
    }
}
