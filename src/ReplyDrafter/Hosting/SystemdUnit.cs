using System.Text;

namespace ReplyDrafter.Hosting;

/// <summary>A systemd user unit for the daemon (<c>replydrafter service print-unit</c>).</summary>
internal static class SystemdUnit
{
    /// <summary>
    /// The worker pings at every scan and whenever a thread finishes; the longest silence is one thread's note and draft
    /// (each within the LLM's total budget) plus a rescan interval, plus two minutes of room. Less would kill a slow
    /// but healthy catch-up; more would leave a hung loop alone for longer.
    /// </summary>
    public static TimeSpan Watchdog(TimeSpan llmTotalBudget, TimeSpan rescanInterval)
    {
        var silence = (2 * llmTotalBudget) + rescanInterval;
        return TimeSpan.FromMinutes(Math.Max(5, Math.Ceiling(silence.TotalMinutes) + 2));
    }

    /// <param name="command">The program and its leading arguments (e.g. <c>dotnet replydrafter.dll</c>).</param>
    /// <param name="vault">The vault; null when the per-user settings name it.</param>
    /// <param name="stopTimeout">The host's shutdown timeout: in-flight work gets its grace period.</param>
    public static string Render(IReadOnlyList<string> command, string? vault, TimeSpan watchdog, TimeSpan stopTimeout)
    {
        ArgumentNullException.ThrowIfNull(command);
        var exec = command.Append("run");
        if (vault is not null)
        {
            exec = exec.Append("--vault").Append(vault);
        }

        var text = new StringBuilder()
            .AppendLine("# ReplyDrafter as a systemd user service. Install:")
            .AppendLine("#   replydrafter service print-unit > ~/.config/systemd/user/replydrafter.service")
            .AppendLine("#   systemctl --user daemon-reload && systemctl --user enable --now replydrafter")
            .AppendLine("#   loginctl enable-linger \"$USER\"   # keep it running while you are logged out")
            .AppendLine("[Unit]")
            .AppendLine("Description=ReplyDrafter: thread notes and draft replies into your vault (nothing is ever sent)")
            .AppendLine("After=network-online.target")
            .AppendLine("Wants=network-online.target")
            .AppendLine()
            .AppendLine("[Service]")
            .AppendLine("# READY only once the vault is locked and the LLM probed; status text in 'systemctl --user status'.")
            .AppendLine("Type=notify")
            .AppendLine("NotifyAccess=main")
            .AppendLine("ExecStart=" + string.Join(' ', exec.Select(Quote)))
            .AppendLine("WatchdogSec=" + Seconds(watchdog))
            .AppendLine("TimeoutStopSec=" + Seconds(stopTimeout + TimeSpan.FromSeconds(15)))
            .AppendLine("Restart=on-failure")
            .AppendLine("RestartSec=10s")
            .AppendLine("# Exit code 2 is a settings problem: restarting does not fix it.")
            .AppendLine("RestartPreventExitStatus=2")
            .AppendLine("Environment=DOTNET_NOLOGO=1")
            .AppendLine("# The API key from a file only this service reads (systemd credentials), instead of settings.json:")
            .AppendLine("#LoadCredential=llm-api-key:%h/.config/replydrafter/llm-api-key")
            .AppendLine("#Environment=ReplyDrafter__Llm__ApiKeyFile=llm-api-key")
            .AppendLine("#LoadCredential=imap-password:%h/.config/replydrafter/imap-password")
            .AppendLine("#Environment=ReplyDrafter__Imap__PasswordFile=imap-password")
            .AppendLine()
            .AppendLine("[Install]")
            .AppendLine("WantedBy=default.target");
        return text.ToString();
    }

    /// <summary>systemd's own quoting: double quotes, backslash escapes, and <c>%</c> / <c>$</c> doubled (specifiers, variables).</summary>
    internal static string Quote(string word)
    {
        var escaped = word.Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
        if (escaped.Length > 0 && escaped.All(c => char.IsAsciiLetterOrDigit(c) || "/._-:=+@,%$".Contains(c, StringComparison.Ordinal)))
        {
            return escaped;
        }

        return "\"" + escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private static string Seconds(TimeSpan span) => ((long)Math.Ceiling(span.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) + "s";

    /// <summary>
    /// The command that starts this very program: the apphost, or <c>dotnet replydrafter.dll</c> when run through the
    /// muxer.
    /// </summary>
    public static IReadOnlyList<string> CurrentCommand()
    {
        var process = Environment.ProcessPath ?? Path.Combine(AppContext.BaseDirectory, "replydrafter");
        var name = Path.GetFileNameWithoutExtension(process);
        return string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase)
            ? [process, Path.Combine(AppContext.BaseDirectory, "replydrafter.dll")]
            : [process];
    }
}
