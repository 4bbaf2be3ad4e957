namespace ReplyDrafter.Tests;

/// <summary>
/// Where the tests put their scratch files (vaults, mailboxes, ledgers, settings): a tmpfs when the machine has one
/// with room (<c>/dev/shm</c> on Linux), else the system temp folder. The suite creates and deletes tens of thousands
/// of files and SQLite databases; on an ext4 disk, finding inodes among freshly deleted ones, and the ledgers' fsyncs,
/// took more CPU than the tests' own work (the suite's CPU time 101 s → 82–93 s on 2 cores, wall time 77 s → 44–49 s).
/// No test is about the disk under it. REPLYDRAFTER_TEST_SCRATCH names another folder.
/// </summary>
internal static class TestScratch
{
    private const string SharedMemory = "/dev/shm";

    /// <summary>The biggest test writes a few hundred MB at once; leave the machine's memory alone below this.</summary>
    private const long MinFreeBytes = 2L << 30;

    public static string Root { get; } = Choose();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A new, unique path under <see cref="Root"/> (not created).</summary>
    public static string NewPath(string? extension = null) => Combine(Guid.NewGuid().ToString("N") + extension);

    private static string Choose()
    {
        if (Environment.GetEnvironmentVariable("REPLYDRAFTER_TEST_SCRATCH") is { Length: > 0 } chosen)
        {
            return chosen;
        }

        try
        {
            if (OperatingSystem.IsLinux() && Directory.Exists(SharedMemory) && new DriveInfo(SharedMemory).AvailableFreeSpace >= MinFreeBytes)
            {
                var root = Path.Combine(SharedMemory, "replydrafter-tests");
                Directory.CreateDirectory(root);
                return root;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Not usable here: the temp folder will do.
        }

        return Path.Combine(Path.GetTempPath(), "replydrafter-tests");
    }
}
