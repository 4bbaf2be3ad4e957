namespace ReplyDrafter.Cli;

/// <summary>
/// One writer per vault: an exclusive lock on <c>.replydrafter/lock</c> (flock on Unix), released by the OS even when
/// the process is killed.
/// </summary>
internal sealed class VaultLock : IDisposable
{
    private readonly FileStream _stream;

    private VaultLock(FileStream stream) => _stream = stream;

    /// <summary>The lock, or null when another ReplyDrafter holds it.</summary>
    public static VaultLock? TryAcquire(string stateFolder)
    {
        Directory.CreateDirectory(stateFolder);
        try
        {
            var stream = new FileStream(Path.Combine(stateFolder, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }

            stream.Flush();
            return new VaultLock(stream);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
