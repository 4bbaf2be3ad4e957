using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReplyDrafter.Llm;

namespace ReplyDrafter.Tests.Llm;

public sealed class LlmServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings, string? prompts = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddOptions<ReplyDrafterOptions>().Configure(o => o.Prompts = prompts);
        services.AddLlm();
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddLlm_ValidSettings_BindsThemAndResolvesTheClient()
    {
        using var provider = Build(new()
        {
            ["ReplyDrafter:Llm:Provider"] = "azureopenai",
            ["ReplyDrafter:Llm:Endpoint"] = "https://example.openai.azure.com/",
            ["ReplyDrafter:Llm:Deployment"] = "gpt-4o-mini",
            ["ReplyDrafter:Llm:ApiKey"] = "k",
            ["ReplyDrafter:Llm:ApiVersion"] = "2025-04-01-preview",
            ["ReplyDrafter:Llm:MaxConcurrency"] = "2",
        });

        var options = provider.GetRequiredService<IOptions<LlmOptions>>().Value;
        var client = provider.GetRequiredService<ILlmClient>();

        Assert.Equal(LlmProvider.AzureOpenAI, options.Provider);
        Assert.Equal(2, options.MaxConcurrency);
        Assert.Equal("example.openai.azure.com", client.Provider.EndpointHost);
        Assert.Equal("2025-04-01-preview", client.Provider.ApiVersion);
        Assert.Same(client, provider.GetRequiredService<ILlmClient>());
    }

    [Theory]
    [InlineData("Provider", "Bogus", "ReplyDrafter:Llm:Provider must be OpenAI or AzureOpenAI (got 'Bogus').")]
    [InlineData("Endpoint", "foo", "ReplyDrafter:Llm:Endpoint must be an absolute http(s) URL (got 'foo').")]
    [InlineData("Endpoint", "ftp://host/v1", "ReplyDrafter:Llm:Endpoint must be an absolute http(s) URL")]
    [InlineData("Deployment", "", "ReplyDrafter:Llm:Deployment must name the model")]
    [InlineData("MaxConcurrency", "0", "ReplyDrafter:Llm:MaxConcurrency must be 1 or more (got 0).")]
    [InlineData("AttemptTimeout", "00:00:00", "ReplyDrafter:Llm:AttemptTimeout must be a positive time span")]
    [InlineData("TotalBudget", "-00:00:01", "ReplyDrafter:Llm:TotalBudget must be a positive time span")]
    [InlineData("AttemptTimeout", "soon", "ReplyDrafter:Llm:AttemptTimeout")]
    [InlineData("Temperature", "7", "ReplyDrafter:Llm:Temperature must be from 0 to 2")]
    [InlineData("AttemptTimeout", "00:03:00", "ReplyDrafter:Llm:BreakerSamplingDuration must be at least twice ReplyDrafter:Llm:AttemptTimeout ('00:03:00'), or hung attempts never fail inside the window (got '00:04:00').")]
    [InlineData("TotalBudget", "00:01:00", "ReplyDrafter:Llm:AttemptTimeout must not be longer than ReplyDrafter:Llm:TotalBudget ('00:01:00'): no attempt could use it (got '00:02:00').")]
    [InlineData("MaxConcurrency", "1", "ReplyDrafter:Llm:BreakerMinimumThroughput must be at most 2 (ReplyDrafter:Llm:MaxConcurrency 1 × BreakerSamplingDuration / AttemptTimeout), or a hung endpoint can never open the circuit (got 4).")]
    [InlineData("BreakerMinimumThroughput", "1", "ReplyDrafter:Llm:BreakerMinimumThroughput must be 2 or more (got 1).")]
    [InlineData("Pricing:InputPerMillion", "-1", "ReplyDrafter:Llm:Pricing:InputPerMillion must be a price from 0 to 1000000 per million tokens (got -1).")]
    [InlineData("Pricing:CachedInputPerMillion", "-0.5", "ReplyDrafter:Llm:Pricing:CachedInputPerMillion must be a price")]
    [InlineData("DailyCallLimit", "0", "ReplyDrafter:Llm:DailyCallLimit must be 1 or more, or left empty for no limit (got 0).")]
    [InlineData("DailyTokenLimit", "-5", "ReplyDrafter:Llm:DailyTokenLimit must be 1 or more, or left empty for no limit (got -5).")]
    public void AddLlm_BadOrContradictorySetting_FailsAtStartNamingTheKey(string key, string value, string message)
    {
        using var provider = Build(new() { ["ReplyDrafter:Llm:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LlmOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "2099-01-01", "ReplyDrafter:Llm:ApiVersion '2099-01-01' is not one this build knows")]
    [InlineData(" ", "", "ReplyDrafter:Llm:Deployment must name the Azure OpenAI deployment")]
    public void AddLlm_AzureMisconfigured_FailsWithAMessageNamingTheKey(string deployment, string apiVersion, string message)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReplyDrafter:Llm:Provider"] = "AzureOpenAI",
            ["ReplyDrafter:Llm:Endpoint"] = "https://example.openai.azure.com/",
            ["ReplyDrafter:Llm:ApiKey"] = "k",
            ["ReplyDrafter:Llm:ApiVersion"] = apiVersion,
        };
        if (deployment.Length > 0)
        {
            settings["ReplyDrafter:Llm:Deployment"] = deployment;
        }

        using var provider = Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LlmOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void AddLlm_Defaults_AreConsistent()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<LlmOptions>>().Value;

        Assert.True(options.BreakerSamplingDuration >= options.AttemptTimeout * 2);
        Assert.True(options.AttemptTimeout <= options.TotalBudget);
        Assert.True(options.BreakerMinimumThroughput <= options.MaxConcurrency);
        Assert.Null(options.Pricing.InputPerMillion);
        Assert.Null(options.DailyCallLimit);
        Assert.Null(options.DailyTokenLimit);
    }

    [Fact]
    public void AddLlm_PricingSet_BindsIt()
    {
        using var provider = Build(new()
        {
            ["ReplyDrafter:Llm:Pricing:InputPerMillion"] = "2.5",
            ["ReplyDrafter:Llm:Pricing:OutputPerMillion"] = "10",
            ["ReplyDrafter:Llm:Pricing:CachedInputPerMillion"] = "1.25",
        });

        var pricing = provider.GetRequiredService<IOptions<LlmOptions>>().Value.Pricing;

        Assert.Equal((2.5, 10.0, 1.25), (pricing.InputPerMillion, pricing.OutputPerMillion, pricing.CachedInputPerMillion));
    }

    [Fact]
    public void PromptLibrary_Default_LoadsShippedTemplatesWithRepoRelativePath()
    {
        using var provider = Build([]);
        var library = provider.GetRequiredService<PromptLibrary>();

        var template = library.Get("thread-note");

        Assert.Equal("thread-note", template.Name);
        Assert.Equal("prompts/thread-note.prompty", library.DisplayPath("thread-note"));
        Assert.Same(template, library.Get("thread-note"));
    }

    [Fact]
    public void PromptLibrary_ConfiguredFolder_ReloadsAnEditedTemplate()
    {
        using var folder = new TempFolder();
        string text = File.ReadAllText(Path.Combine(LlmTestSupport.PromptsFolder, "draft-reply.prompty"));
        string path = folder.Write("draft-reply.prompty", text);
        using var provider = Build([], prompts: folder.Path);
        var library = provider.GetRequiredService<PromptLibrary>();
        var first = library.Get("draft-reply");

        File.WriteAllText(path, text.Replace("max_tokens: 1500", "max_tokens: 900", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));
        var second = library.Get("draft-reply");

        Assert.Equal(1500, first.MaxOutputTokens);
        Assert.Equal(900, second.MaxOutputTokens);
        Assert.NotEqual(first.Sha256, second.Sha256);
        Assert.Equal(folder.Path.Replace('\\', '/') + "/draft-reply.prompty", library.DisplayPath("draft-reply"));
    }

    [Fact]
    public void PromptLibrary_MissingTemplate_SaysWhereItLooked()
    {
        using var folder = new TempFolder();
        using var provider = Build([], prompts: folder.Path);

        var error = Assert.Throws<PromptTemplateException>(() => provider.GetRequiredService<PromptLibrary>().Get("thread-note"));

        Assert.Contains("thread-note.prompty", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReplyDrafter:Prompts", error.Message, StringComparison.Ordinal);
    }
}
