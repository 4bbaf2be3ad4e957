using ReplyDrafter.Security;

namespace ReplyDrafter.Tests.Security;

/// <summary>Secret files: regular, the user's own, closed to others, one line (issue 17).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecretFileTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TempFolder _folder = new();

    private string Secret(string content, UnixFileMode mode = Private) => TestSecrets.Write(_folder.Combine(Guid.NewGuid().ToString("N")), content, mode);

    private static string Read(string path, bool systemdCredential = false) =>
        SecretFile.TryRead(path, systemdCredential, out var secret, out var problem) ? secret : "refused: " + problem;

    [Theory]
    [InlineData("sk-abc", "sk-abc")]
    [InlineData("sk-abc\n", "sk-abc")]
    [InlineData("sk-abc\r\n", "sk-abc")]
    [InlineData("sk-abc\n\n", "refused: it holds more than one line; put the secret alone on one line")]
    [InlineData("sk-abc\nX-Injected: yes", "refused: it holds more than one line; put the secret alone on one line")]
    [InlineData("sk-abc\rX-Injected: yes", "refused: it holds more than one line; put the secret alone on one line")]
    [InlineData("sk-\u0000abc", "refused: it holds control characters; put the secret alone on one line")]
    [InlineData("\n", "refused: it is empty")]
    public void TryRead_Content_OneLineOnly(string content, string expected) =>
        Assert.Equal(expected, Read(Secret(content)));

    [Fact]
    public void TryRead_OwnerReadOnly_Read() =>
        Assert.Equal("pw", Read(Secret("pw", UnixFileMode.UserRead)));

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite, "0602")]
    public void TryRead_OpenToOthers_RefusedNamingChmod(UnixFileMode mode, string octal)
    {
        var path = Secret("pw", mode);

        Assert.Equal($"refused: others may read or change it (mode {octal}); run: chmod 600 '{path}'", Read(path));
    }

    [Fact]
    public void TryRead_SystemdCredentialRootOwnedWithAcl_Read() =>
        Assert.Equal("pw", Read(Secret("pw\n", UnixFileMode.UserRead | UnixFileMode.GroupRead), systemdCredential: true));

    [Fact]
    public void TryRead_AnotherUsersFile_Refused()
    {
        var path = Secret("pw");
        if (UnixNative.EffectiveUserId() == 0)
        {
            File.SetUnixFileMode(path, Private);
            Chown(path, 65534);
        }
        else
        {
            path = "/etc/hostname"; // root's; whoever runs the tests is someone else
        }

        Assert.StartsWith("refused: it belongs to another user (uid ", Read(path), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_LinkToPrivateFile_ReadsTheTarget()
    {
        var link = _folder.Combine("link");
        File.CreateSymbolicLink(link, Secret("pw"));

        Assert.Equal("pw", Read(link));
    }

    [Fact]
    public void TryRead_LinkToWorldReadableFile_JudgesTheTarget()
    {
        var link = _folder.Combine("link");
        File.CreateSymbolicLink(link, Secret("pw", Private | UnixFileMode.OtherRead));

        Assert.StartsWith("refused: others may read or change it (mode 0604)", Read(link), StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_Fifo_RefusedWithoutWaiting()
    {
        var fifo = _folder.Combine("fifo");
        InboxFileTests.MakeFifo(fifo);

        Assert.Equal("refused: it is a named pipe (FIFO); a secret file must be a regular file", Read(fifo));
    }

    [Fact]
    public void TryRead_FolderDeviceMissing_Refused()
    {
        Assert.Equal("refused: it is a folder, not a file", Read(_folder.Path));
        Assert.Equal("refused: it is a device; a secret file must be a regular file", Read("/dev/zero"));
        Assert.Equal("refused: no such file", Read(_folder.Combine("gone")));
    }

    [Fact]
    public void TryRead_HugeFile_Refused() =>
        Assert.StartsWith("refused: it is larger than", Read(Secret(new string('k', SecretFile.MaxBytes + 1))), StringComparison.Ordinal);

    [Theory]
    [InlineData("/run/credentials/replydrafter.service", "/run/credentials/replydrafter.service/llm-api-key", true)]
    [InlineData("/run/credentials/replydrafter.service/", "/run/credentials/replydrafter.service/llm-api-key", true)]
    [InlineData("/run/credentials/replydrafter.service", "/run/credentials/replydrafter.service/sub/key", false)]
    [InlineData("/run/credentials/replydrafter.service", "/home/ada/key", false)]
    [InlineData(null, "/run/credentials/replydrafter.service/llm-api-key", false)]
    public void IsSystemdCredential_DirectlyInTheCredentialsDirectory(string? directory, string path, bool expected) =>
        Assert.Equal(expected, SecretFile.IsSystemdCredential(path, directory));

    private static void Chown(string path, int uid)
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path]))!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    public void Dispose() => _folder.Dispose();
}
