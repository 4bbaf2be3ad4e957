namespace ReplyDrafter.Tests.Imap;

[CollectionDefinition(Name)]
public sealed class DovecotGroup : ICollectionFixture<DovecotServer>
{
    public const string Name = "Dovecot";
}

/// <summary>
/// A second server for the daemon-level classes: each collection runs its classes one after another, so the slow IMAP
/// classes are split over two servers to run side by side.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DovecotDaemonGroup : ICollectionFixture<DovecotServer>
{
    public const string Name = "Dovecot daemon";
}

/// <summary>The server is started once per collection (see DovecotServer.cs for what it sets up).</summary>
public sealed partial class DovecotServer : IAsyncLifetime;
