namespace ReplyDrafter.Tests.Imap;

[CollectionDefinition(Name)]
public sealed class DovecotGroup : ICollectionFixture<DovecotServer>
{
    public const string Name = "Dovecot";
}

/// <summary>The server is started once per collection (see DovecotServer.cs for what it sets up).</summary>
public sealed partial class DovecotServer : IAsyncLifetime;
