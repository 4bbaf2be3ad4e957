using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ReplyDrafter.Vault;

/// <summary>File-system helpers every vault writer uses.</summary>
internal static partial class AtomicFile
{
    private const string TempMarker = ".rdtmp-";

    // Encoder replaces lone surrogates rather than throwing: a file with U+FFFD beats no file.
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes UTF-8 (no BOM) to a temp file in the same folder, flushes to disk, renames over <paramref name="path"/>.</summary>
    /// <param name="overwrite">False: an <see cref="IOException"/> rather than replacing a file that exists (even one created meanwhile).</param>
    /// <param name="unixMode">On Unix, the file's permissions (e.g. <see cref="Security.PrivateFiles.PrivateFileMode"/> for
    /// files holding mail text); null takes the umask's default. Ignored on Windows.</param>
    public static void WriteAllText(string path, string text, bool overwrite = true, UnixFileMode? unixMode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(text);

        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"'{path}' names no file inside a folder.", nameof(path));
        var name = Path.GetFileName(fullPath);
        if (name.Length == 0)
        {
            throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        }

        if (unixMode is { } folderMode && !OperatingSystem.IsWindows() && !Directory.Exists(folder))
        {
            // A private file's new folder is private too: each read bit brings its search (execute) bit.
            Directory.CreateDirectory(folder, folderMode | (UnixFileMode)(((int)folderMode & 0b100_100_100) >> 2));
        }
        else
        {
            Directory.CreateDirectory(folder);
        }

        // Same folder, so the rename stays on one file system and is atomic; dot-prefixed so Obsidian and the
        // inbox watcher ignore it; a fixed marker so a crash leftover is recognisable at the next start.
        var tempPath = Path.Combine(folder, $".{name}{TempMarker}{RandomNumberGenerator.GetHexString(12, lowercase: true)}");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (unixMode is { } mode && !OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = mode;
            }

            using (var stream = new FileStream(tempPath, options))
            using (var bytes = new PooledUtf8(text, Utf8NoBom))
            {
                stream.Write(bytes.Span);
                stream.Flush(flushToDisk: true);
            }

            File.Move(tempPath, fullPath, overwrite);
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>Deletes temp files a crash left in <paramref name="folder"/> (recursively).</summary>
    public static int RemoveStaleTempFiles(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = 0, // temp files are dot files, which count as hidden on Unix
            MatchType = MatchType.Simple,
        };

        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*" + TempMarker + "*", options))
        {
            if (IsTempFile(file) && TryDelete(file))
            {
                removed++;
            }
        }

        return removed;
    }

    /// <summary>True for the temp files <see cref="WriteAllText"/> creates.</summary>
    public static bool IsTempFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return TempFileName().IsMatch(Path.GetFileName(path));
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^\..+\.rdtmp-[0-9a-f]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex TempFileName();
}

/// <summary>
/// File-name-safe slugs. Latin accents are transliterated ("Café Größe" → "Cafe-Grosse"); letters and digits of
/// other scripts (CJK, Cyrillic, Greek...) are kept as they are, since every supported file system stores them and
/// transliterating them would lose the meaning. Nothing else survives: no dots, slashes, colons, quotes or controls.
/// </summary>
internal static class Slug
{
    public const string Fallback = "untitled";

    private static readonly FrozenSet<string> WindowsReservedNames = new[]
    {
        "CON", "PRN", "AUX", "NUL",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Letters, digits, '-' and '_' only, words joined by '-', at most <paramref name="maxLength"/> chars; never empty.</summary>
    public static string Make(string text, int maxLength = 80)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1);

        var folded = TextFolding.RemoveLatinDiacritics(text);
        var builder = new StringBuilder(folded.Length);
        var pendingDash = false;
        foreach (var rune in folded.EnumerateRunes())
        {
            if (IsApostrophe(rune))
            {
                continue; // "Jeff's" → "Jeffs", not "Jeff-s"
            }

            var keep = Rune.IsLetterOrDigit(rune) || rune.Value == '_' || (IsMark(rune) && builder.Length > 0 && !pendingDash);
            if (!keep)
            {
                pendingDash = true;
                continue;
            }

            if (pendingDash && builder.Length > 0)
            {
                builder.Append('-');
            }

            pendingDash = false;
            builder.Append(rune.ToString());
        }

        var slug = Shorten(builder.ToString(), maxLength).Trim('-', '_');
        if (slug.Length == 0)
        {
            slug = Fallback.Length <= maxLength ? Fallback : Fallback[..maxLength];
        }

        if (WindowsReservedNames.Contains(slug))
        {
            slug = slug.Length < maxLength ? slug + "_" : slug[..^1] + "_";
        }

        return slug;
    }

    private static string Shorten(string slug, int maxLength)
    {
        if (slug.Length <= maxLength)
        {
            return slug;
        }

        // Prefer a word boundary in the second half; otherwise cut hard, never inside a surrogate pair or before a mark.
        var boundary = slug.LastIndexOf('-', maxLength);
        if (boundary >= maxLength / 2)
        {
            return slug[..boundary];
        }

        var cut = maxLength;
        while (cut > 0 && (char.IsLowSurrogate(slug[cut]) || IsMark(slug[cut])))
        {
            cut--;
        }

        return slug[..cut];
    }

    private static bool IsApostrophe(Rune rune) => rune.Value is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4';

    private static bool IsMark(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    private static bool IsMark(char c) =>
        CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}

internal static class Hashing
{
    /// <summary>Lowercase hex SHA-256 of the UTF-8 text.</summary>
    public static string Sha256(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var bytes = new PooledUtf8(text, Encoding.UTF8);
        return Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
    }

    public static string Sha256File(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
