using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Llm;

/// <summary>
/// The prompt templates: <c>ReplyDrafter:Prompts</c>, or the <c>prompts/</c> shipped beside the program. A template
/// is read again when its file changes, so a user's edit applies to the next item without a restart.
/// </summary>
internal sealed class PromptLibrary
{
    private readonly string _folder;
    private readonly string? _configuredFolder;
    private readonly ConcurrentDictionary<string, (DateTime WriteTime, long Length, PromptTemplate Template)> _cache =
        new(StringComparer.Ordinal);

    public PromptLibrary(IOptions<ReplyDrafterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        string? configured = options.Value.Prompts;
        _configuredFolder = string.IsNullOrWhiteSpace(configured) ? null : configured.Trim();
        _folder = _configuredFolder is null ? Path.Combine(AppContext.BaseDirectory, "prompts") : Path.GetFullPath(_configuredFolder);
    }

    /// <summary>The template for a step ("thread-note", "draft-reply").</summary>
    /// <exception cref="PromptTemplateException">when the file is missing or malformed.</exception>
    public PromptTemplate Get(string step)
    {
        string path = FilePath(step);
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new PromptTemplateException(
                $"Prompt template '{DisplayPath(step)}' for step '{step}' does not exist (looked in {_folder}; see ReplyDrafter:Prompts).");
        }

        if (_cache.TryGetValue(step, out var cached) && cached.WriteTime == file.LastWriteTimeUtc && cached.Length == file.Length)
        {
            return cached.Template;
        }

        var template = PromptTemplate.Load(path);
        _cache[step] = (file.LastWriteTimeUtc, file.Length, template);
        return template;
    }

    /// <summary>What records show: <c>prompts/&lt;file&gt;</c> for a shipped template, else the configured folder as given.</summary>
    public string DisplayPath(string step) =>
        _configuredFolder is null
            ? $"prompts/{FileName(step)}"
            : $"{_configuredFolder.Replace('\\', '/').TrimEnd('/')}/{FileName(step)}";

    public string FilePath(string step) => Path.Combine(_folder, FileName(step));

    private static string FileName(string step)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(step);
        if (step.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || step.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{step}' is not a step name.", nameof(step));
        }

        return step + ".prompty";
    }
}
