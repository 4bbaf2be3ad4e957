using Microsoft.Identity.Client;

namespace ReplyDrafter.Auth;

/// <summary>The HTTP client every sign-in and refresh goes through (tests give one that trusts their own authority's certificate).</summary>
internal sealed class OAuthHttp(HttpClient client) : IMsalHttpClientFactory
{
    public static readonly OAuthHttp Default = new(new HttpClient { Timeout = TimeSpan.FromSeconds(30) });

    public HttpClient Client => client;

    public HttpClient GetHttpClient() => client;
}
