using ReplyDrafter.Security;

namespace ReplyDrafter.Cli;

/// <summary>
/// Secrets for <c>init</c> never come from argv: a flag names a file (held to <see cref="SecretFile"/>'s rules) or
/// <c>-</c> for standard input, which only one flag can have.
/// </summary>
internal static class SecretArguments
{
    /// <summary>The secret of each (flag, value) pair in order; null where the flag was not given.</summary>
    /// <exception cref="UsageException">naming the flag and what is wrong.</exception>
    public static (string? First, string? Second) Read(TextReader input, (string Flag, string? Value) first, (string Flag, string? Value) second)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (first.Value == "-" && second.Value == "-")
        {
            throw new UsageException($"init: only one of {first.Flag} and {second.Flag} can read standard input ('-'); give the other a file.");
        }

        return (Read(input, first.Flag, first.Value), Read(input, second.Flag, second.Value));
    }

    private static string? Read(TextReader input, string flag, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (value == "-")
        {
            var buffer = new char[SecretFile.MaxBytes + 1];
            var read = input.ReadBlock(buffer, 0, buffer.Length);
            return read > SecretFile.MaxBytes
                ? throw new UsageException($"init: {flag} -: standard input holds more than a secret.")
                : SecretFile.TryParse(new string(buffer, 0, read), out var typed, out var inputProblem)
                    ? typed
                    : throw new UsageException($"init: {flag} -: standard input cannot be used ({inputProblem}).");
        }

        var path = Path.GetFullPath(value);
        return SecretFile.TryRead(path, systemdCredential: false, out var secret, out var problem)
            ? secret
            : throw new UsageException($"init: {flag}: cannot use '{path}' ({problem}).");
    }
}
