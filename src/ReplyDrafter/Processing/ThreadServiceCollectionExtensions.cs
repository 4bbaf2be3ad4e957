using Microsoft.Extensions.DependencyInjection;
using ReplyDrafter.Drafts;
using ReplyDrafter.Learning;
using ReplyDrafter.Notes;
using ReplyDrafter.Steps;

namespace ReplyDrafter.Processing;

internal static class ThreadServiceCollectionExtensions
{
    /// <summary>
    /// What happens to a thread once its messages are stored: the steps, in the order they run (a step reads what the
    /// steps before it left), and the learning loop that pairs the user's replies with the drafts.
    /// </summary>
    public static IServiceCollection AddThreads(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<LearningOptions, LearningOptionsValidator>().BindConfiguration(LearningOptions.Section);
        services.AddSingleton<StepCaller>();
        services.AddSingleton<StepWriter>();
        services.AddSingleton<OutcomeTracker>();
        services.AddSingleton<IDraftOutcomes>(sp => sp.GetRequiredService<OutcomeTracker>());

        services.AddThreadStep<NoteStep>();
        services.AddThreadStep<DraftStep>();

        services.AddSingleton<ThreadProcessor>();
        return services;
    }
}
