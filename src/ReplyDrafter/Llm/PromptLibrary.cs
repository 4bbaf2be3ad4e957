namespace ReplyDrafter.Llm;

// Placeholder until the llm branch lands.
internal sealed class PromptLibrary
{
    public PromptTemplate Get(string step) => throw new NotImplementedException(step);

    public string DisplayPath(PromptTemplate template) => template.FilePath + Get(template.Name).Name;
}

internal static class LlmServiceCollectionExtensions
{
    public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddLlm(this Microsoft.Extensions.DependencyInjection.IServiceCollection services) => services;
}
