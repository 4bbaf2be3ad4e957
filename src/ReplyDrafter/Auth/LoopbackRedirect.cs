using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReplyDrafter.Auth;

/// <summary>
/// The loopback redirect of the installed-app flow (RFC 8252 §7.3): listens on 127.0.0.1 on a free port for the one
/// request the browser makes after consent, and hands back its query. Nothing else is served.
/// </summary>
internal sealed class LoopbackRedirect : IDisposable
{
    private readonly HttpListener _listener;

    public LoopbackRedirect()
    {
        // HttpListener takes no port 0: a free port is found first, and another program may take it in between.
        for (int attempt = 1; ; attempt++)
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            RedirectUri = $"http://127.0.0.1:{Port}/";
            _listener = new HttpListener();
            _listener.Prefixes.Add(RedirectUri);
            try
            {
                _listener.Start();
                return;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                ((IDisposable)_listener).Dispose();
            }
        }
    }

    public int Port { get; }

    public string RedirectUri { get; }

    /// <summary>Waits for the browser's redirect whose <c>state</c> matches; returns its query parameters.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WaitAsync(string state, CancellationToken cancellationToken)
    {
        using var stop = cancellationToken.Register(_listener.Stop);
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            var query = Parse(context.Request.Url?.Query);
            bool ours = query.TryGetValue("state", out var got) && got == state;
            await RespondAsync(context.Response, ours
                ? "ReplyDrafter: sign-in received. You can close this tab and return to the terminal."
                : "ReplyDrafter: this is not the sign-in answer that was expected.");
            if (ours)
            {
                return query;
            }
        }
    }

    public void Dispose() => ((IDisposable)_listener).Dispose();

    internal static Dictionary<string, string> Parse(string? query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (query ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString((equals < 0 ? pair : pair[..equals]).Replace('+', ' '));
            string value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            result.TryAdd(key, value);
        }

        return result;
    }

    private static async Task RespondAsync(HttpListenerResponse response, string text)
    {
        byte[] body = Encoding.UTF8.GetBytes(text);
        response.ContentType = "text/plain; charset=utf-8";
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }
}
