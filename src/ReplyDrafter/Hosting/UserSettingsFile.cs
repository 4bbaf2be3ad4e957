using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReplyDrafter.Hosting;

/// <summary>
/// The per-user settings file as a JSON tree: read, change a few keys (keeping every other one), write back readable
/// by the user only (0600 on Unix), since secrets live in it.
/// </summary>
internal sealed class UserSettingsFile
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    private UserSettingsFile(string path, JsonObject root)
    {
        Path = path;
        Root = root;
    }

    public string Path { get; }

    public JsonObject Root { get; }

    public bool Exists => File.Exists(Path);

    /// <exception cref="UsageException">when the file is there but is not a JSON object.</exception>
    public static UserSettingsFile Load(string path)
    {
        if (!File.Exists(path))
        {
            return new UserSettingsFile(path, []);
        }

        try
        {
            var node = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return node is JsonObject root
                ? new UserSettingsFile(path, root)
                : throw new UsageException($"the settings file '{path}' is not a JSON object; fix or remove it.");
        }
        catch (JsonException e)
        {
            throw new UsageException($"the settings file '{path}' is not valid JSON ({e.Message}); fix or remove it.");
        }
    }

    /// <summary>The value at a configuration key such as <c>ReplyDrafter:Me:Name</c> (case-insensitive, as configuration is).</summary>
    public string? Get(string key)
    {
        JsonNode? node = Root;
        foreach (var part in key.Split(':'))
        {
            node = node is JsonObject o ? Child(o, part) : null;
        }

        return node is JsonValue value ? value.ToString() : null;
    }

    /// <summary>Sets a value; null leaves the key as it is. Numbers go in as numbers.</summary>
    public void Set(string key, string? value, bool number = false)
    {
        if (value is null)
        {
            return;
        }

        var parts = key.Split(':');
        var parent = Root;
        foreach (var part in parts[..^1])
        {
            if (Child(parent, part) is not JsonObject child)
            {
                child = [];
                parent[NameIn(parent, part)] = child;
            }

            parent = child;
        }

        parent[NameIn(parent, parts[^1])] = number && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(value);
    }

    /// <summary>Removes a key (nothing happens when it is not there); the sections around it stay.</summary>
    public void Remove(string key)
    {
        var parts = key.Split(':');
        JsonObject? parent = Root;
        foreach (var part in parts[..^1])
        {
            parent = parent is null ? null : Child(parent, part) as JsonObject;
        }

        parent?.Remove(NameIn(parent, parts[^1]));
    }

    /// <summary>Writes through a temp file and a rename, created 0600 from the start (never world-readable, not even briefly).</summary>
    public void Save()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else
        {
            Directory.CreateDirectory(folder);
        }

        var temp = Path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, Root, s_indented);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
            if (!OperatingSystem.IsWindows())
            {
                // An older file kept its mode through an edit by hand; the one written now is ours.
                File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static JsonNode? Child(JsonObject parent, string name) =>
        parent.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static string NameIn(JsonObject parent, string name) =>
        parent.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase)) ?? name;
}
