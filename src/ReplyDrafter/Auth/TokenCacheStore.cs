using Microsoft.Identity.Client.Extensions.Msal;
using ReplyDrafter.Security;

namespace ReplyDrafter.Auth;

/// <summary>
/// Where refresh tokens are kept, through MSAL's cross-platform cache helper: Keychain on macOS, DPAPI on Windows,
/// libsecret on Linux where a keyring answers; otherwise a file readable by the user only (0600 in a 0700 folder).
/// </summary>
internal sealed class TokenCacheStore
{
    private const string KeyringSchema = "com.replydrafter.tokencache";

    private TokenCacheStore(StorageCreationProperties properties, string description)
    {
        Properties = properties;
        Description = description;
    }

    public StorageCreationProperties Properties { get; }

    /// <summary>For <c>status</c> and <c>login</c>: where the tokens are, never what they are.</summary>
    public string Description { get; }

    public string FilePath => Properties.CacheFilePath;

    /// <summary>Picks the OS store when it works here, else the private file. <paramref name="name"/> is the file (and keyring entry) name.</summary>
    public static TokenCacheStore Open(string folder, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        PrivateFiles.CreateFolder(folder);
        var protectedStore = new StorageCreationPropertiesBuilder(name, folder)
            .WithMacKeyChain(KeyringSchema, name)
            .WithLinuxKeyring(KeyringSchema, MsalCacheHelper.LinuxKeyRingDefaultCollection, "ReplyDrafter IMAP sign-in", new("app", "replydrafter"), new("cache", name))
            .Build();
        try
        {
            Storage.Create(protectedStore).VerifyPersistence();
            string where = OperatingSystem.IsMacOS() ? "the macOS Keychain"
                : OperatingSystem.IsWindows() ? $"{protectedStore.CacheFilePath} (encrypted for your Windows account, DPAPI)"
                : "the desktop keyring (libsecret)";
            return new TokenCacheStore(protectedStore, where);
        }
        catch (Exception e) when (e is not OperationCanceledException && OperatingSystem.IsLinux())
        {
            // Servers and containers have no keyring: a file only this user can read, as ssh keeps its keys.
            var file = new StorageCreationPropertiesBuilder(name, folder).WithLinuxUnprotectedFile().Build();
            return new TokenCacheStore(file, $"{file.CacheFilePath} (no keyring found: a file readable by you only, 0600)");
        }
    }

    public byte[] Read() => Storage.Create(Properties).ReadData();

    public void Write(byte[] data)
    {
        Storage.Create(Properties).WriteData(data);
        PrivateFiles.Restrict(Properties.CacheFilePath);
    }
}
