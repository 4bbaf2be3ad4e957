using System.Reflection;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using OpenAI;

namespace ReplyDrafter.Llm;

/// <summary>The SDK versions a prompt record names, read from the loaded assemblies (what actually ran, not what was asked for).</summary>
internal static class SdkVersions
{
    public static IReadOnlyDictionary<string, string> Loaded { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OpenAI"] = VersionOf(typeof(OpenAIClient)),
        ["Azure.AI.OpenAI"] = VersionOf(typeof(AzureOpenAIClient)),
        ["Microsoft.Extensions.AI"] = VersionOf(typeof(ChatClientBuilder)),
        ["Microsoft.Extensions.AI.OpenAI"] = VersionOf(typeof(OpenAIClientExtensions)),
    };

    private static string VersionOf(Type type)
    {
        var assembly = type.Assembly;
        string? version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString();
        return version is null ? "unknown" : version.Split('+')[0];
    }
}
