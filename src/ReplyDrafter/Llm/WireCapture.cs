namespace ReplyDrafter.Llm;

/// <summary>The request body of the current LLM call as it went on the wire (headers, and so the key, excluded).</summary>
internal sealed class WireCapture
{
    private static readonly AsyncLocal<WireCapture?> Slot = new();

    public static WireCapture? Current => Slot.Value;

    public string? Body { get; set; }

    /// <summary>Starts capturing for the calling async flow; the slot is restored when the caller's async method returns.</summary>
    public static WireCapture Begin()
    {
        var capture = new WireCapture();
        Slot.Value = capture;
        return capture;
    }
}

/// <summary>Copies each request body into <see cref="WireCapture.Current"/>: the last attempt's body is what is recorded.</summary>
internal sealed class WireCaptureHandler : DelegatingHandler
{
    public WireCaptureHandler(HttpMessageHandler inner) : base(inner) { }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (WireCapture.Current is { } capture && request.Content is { } content)
        {
            // Buffering lets the transport send the same bytes that were copied.
            await content.LoadIntoBufferAsync(cancellationToken);
            capture.Body = await content.ReadAsStringAsync(cancellationToken);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
