using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReplyDrafter.Llm;

internal static class LlmServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <c>ReplyDrafter:Llm</c> (at start), and registers <see cref="ILlmClient"/> with the layers
    /// <paramref name="configure"/> lists, and <see cref="PromptLibrary"/>. Needs <see cref="IConfiguration"/> in the
    /// container, as hosts have.
    /// </summary>
    public static IServiceCollection AddLlm(this IServiceCollection services, Action<LlmClientBuilder>? configure = null)
    {
        services.AddOptionsWithValidateOnStart<LlmOptions, LlmOptionsValidator>()
            .Configure<IConfiguration>(static (_, configuration) => CheckReadable(configuration))
            .BindConfiguration(LlmOptions.Section);
        services.TryAddSingleton<PromptLibrary>();
        return services.AddLlmClient(configure);
    }

    /// <summary>The client and its parts, for whatever supplies <c>IOptions&lt;LlmOptions&gt;</c> (the host, or a test).</summary>
    public static IServiceCollection AddLlmClient(this IServiceCollection services, Action<LlmClientBuilder>? configure = null)
    {
        var layers = new LlmClientBuilder();
        configure?.Invoke(layers);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LlmAdvice>();
        services.TryAddSingleton<LlmFailures>();
        services.TryAddSingleton<AnswerValidator>();
        services.TryAddSingleton<ProviderRateLimits>();
        services.TryAddSingleton<ChatClientFactory>();
        services.TryAddSingleton<LlmProbe>();
        services.AddLlmResilience();
        services.TryAddSingleton<LlmClient>();
        services.TryAddSingleton<ILlmClient>(layers.Build);
        return services;
    }

    /// <summary>
    /// Runs before the binding: the binder's own message for a bad enum is cryptic, and its exception for a bad value
    /// is not an <see cref="OptionsValidationException"/>; these name the key (and the allowed values).
    /// </summary>
    private static void CheckReadable(IConfiguration configuration)
    {
        var section = configuration.GetSection(LlmOptions.Section);
        string? provider = section[nameof(LlmOptions.Provider)];
        if (!string.IsNullOrWhiteSpace(provider) &&
            (!Enum.TryParse<LlmProvider>(provider.Trim(), ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) ||
             int.TryParse(provider, out _)))
        {
            throw new OptionsValidationException(
                Options.DefaultName,
                typeof(LlmOptions),
                [$"{LlmOptions.Section}:Provider must be OpenAI or AzureOpenAI (got '{provider}')."]);
        }

        try
        {
            section.Get<LlmOptions>();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type ("... at 'ReplyDrafter:Llm:AttemptTimeout' to type 'System.TimeSpan'").
            throw new OptionsValidationException(Options.DefaultName, typeof(LlmOptions), [e.Message]);
        }
    }
}
