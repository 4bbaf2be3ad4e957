using Microsoft.Extensions.DependencyInjection;

namespace ReplyDrafter.Steps;

internal static class StepServiceCollectionExtensions
{
    /// <summary>
    /// Registers a thread step for the pipeline and for <c>replay</c>: the pipeline runs the steps in the order of these
    /// calls, so a step comes after the steps whose results it reads.
    /// </summary>
    public static IServiceCollection AddThreadStep<TStep>(this IServiceCollection services)
        where TStep : class, IThreadStep
    {
        services.AddSingleton<TStep>();
        services.AddSingleton<IThreadStep>(sp => sp.GetRequiredService<TStep>());
        return services;
    }
}
