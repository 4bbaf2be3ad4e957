namespace ReplyDrafter.Security;

/// <summary>
/// Makes endpoints safe to show: <c>status</c>, <c>status --json</c>, validation messages and logs print an endpoint
/// without the user-info (<c>user:key@</c>), the query (<c>?key=…</c>, <c>?api-version=…&amp;sig=…</c>) and the fragment,
/// where credentials travel. The scheme, host, port and path stay, which is what a user needs to spot a typo.
/// </summary>
internal static class Redaction
{
    /// <summary>Shown in place of a value that cannot be shown safely.</summary>
    public const string Hidden = "(hidden)";

    /// <summary><c>http://user:key@host:8080/v1?key=x#f</c> → <c>http://host:8080/v1</c>; text that is not an absolute URL gives <see cref="Hidden"/> unless it holds no '@', '?' or '#'.</summary>
    public static string Url(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return value ?? string.Empty;
        }

        var text = value.Trim();

        // Schemes without a query (ftp:, file:) keep '?' in the path: the query and fragment are cut off first.
        if (text.IndexOfAny(['?', '#']) is var cut and >= 0)
        {
            text = text[..cut];
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            var builder = new UriBuilder(uri) { UserName = string.Empty, Password = string.Empty, Query = string.Empty, Fragment = string.Empty };
            var port = uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return $"{builder.Scheme}://{builder.Uri.IdnHost}{port}{builder.Uri.AbsolutePath}";
        }

        // Not a URL we can take apart: show it only when nothing in it can be a credential's delimiter.
        return text.IndexOfAny(['@', '?', '#', '&', '=']) < 0 ? text : Hidden;
    }

    /// <summary>Replaces every occurrence of <paramref name="endpoint"/> in <paramref name="message"/> (a validation or
    /// exception message that quotes it) by its redacted form.</summary>
    public static string InMessage(string message, string? endpoint)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return message;
        }

        var trimmed = endpoint.Trim();
        return message.Replace(trimmed, Url(trimmed), StringComparison.Ordinal);
    }
}
