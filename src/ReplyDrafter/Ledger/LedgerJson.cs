using System.Text.Json;
using System.Text.Json.Serialization;
using ReplyDrafter.Mail;

namespace ReplyDrafter.Ledger;

/// <summary>A message as the ledger's <c>messages.json</c> column keeps it.</summary>
/// <param name="Version">The format of <paramref name="Message"/>; rows of the unversioned ledger are migrated to 1.</param>
internal sealed record StoredMessageJson(int Version, EmailMessage Message)
{
    public const int CurrentVersion = 1;
}

/// <summary>Source-generated JSON for what the ledger stores (camelCase, as earlier builds wrote it).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StoredMessageJson))]
internal sealed partial class LedgerJsonContext : JsonSerializerContext;

/// <summary>The ledger was written by a newer ReplyDrafter; starting would risk damaging it.</summary>
internal sealed class LedgerVersionException : Exception
{
    public LedgerVersionException() { }

    public LedgerVersionException(string message) : base(message) { }

    public LedgerVersionException(string message, Exception inner) : base(message, inner) { }
}
