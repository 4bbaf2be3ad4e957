namespace ReplyDrafter.Llm;

/// <summary>Paces each HTTP attempt (retries included) and reports every response to <see cref="ProviderRateLimits"/>.</summary>
internal sealed class RateLimitHandler(ProviderRateLimits limits, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The start-up probe lists models (GET /models): not a model call, not counted against the model's limits, and
        // its answer carries no figures, so it neither waits for pacing nor stands in for the first batch's scout.
        if (request.Method == HttpMethod.Get)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        // About four characters a token: the same rule of thumb providers use to estimate a request before counting it.
        double estimatedTokens = (request.Content?.Headers.ContentLength ?? 0) / 4.0;
        var ticket = await limits.PaceAsync(estimatedTokens, cancellationToken);
        long sequence = limits.Concurrency.Sending();
        limits.Departed(ticket);
        try
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch
            {
                limits.NoAnswer();
                throw;
            }

            limits.Observe(response, sequence, ticket);
            return response;
        }
        finally
        {
            limits.Settled(ticket);
        }
    }
}
