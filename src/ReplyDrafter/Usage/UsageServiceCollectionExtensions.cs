using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Usage;

internal static class UsageServiceCollectionExtensions
{
    /// <summary>Puts <see cref="MeteredLlmClient"/> in front of the registered <see cref="LlmClient"/> (call after <c>AddLlm</c>).</summary>
    public static IServiceCollection AddLlmUsageMetering(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILlmClient>(sp => new MeteredLlmClient(
            sp.GetRequiredService<LlmClient>(),
            new Lazy<Ledger.Ledger>(sp.GetRequiredService<Ledger.Ledger>),
            sp.GetRequiredService<IOptions<LlmOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<MeteredLlmClient>>())));
        return services;
    }
}
