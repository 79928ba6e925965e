using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// Behind the Functions host, every request comes from the host's proxy on loopback, with the caller in X-Forwarded-*.
/// The app believes those headers from loopback only: the OpenAPI document then names the public host, and each
/// anonymous caller has its own rate-limit bucket; the same headers from any other peer change nothing.
/// </summary>
public sealed class ForwardedHeadersTests
{
    /// <summary>Sets the connection's peer address from a test header, before anything else runs (TestServer has none).</summary>
    private sealed class PeerFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers["X-Test-Peer"].FirstOrDefault() ?? "127.0.0.1");
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private static ReportingApp App(int permits = 1200) => new(new Dictionary<string, string> { ["RateLimit:PermitsPerMinute"] = permits.ToString() })
    {
        TestServices = services => services.AddSingleton<IStartupFilter, PeerFromHeader>(),
    };

    private static HttpRequestMessage Get(string path, string peer, string? forwardedFor = null, string? host = null, string? proto = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Test-Peer", peer);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (host is not null) request.Headers.Add("X-Forwarded-Host", host);
        if (proto is not null) request.Headers.Add("X-Forwarded-Proto", proto);
        return request;
    }

    private static async Task<string> ServerUrl(HttpResponseMessage response) =>
        (await Requests.JsonOf(response)).GetProperty("servers")[0].GetProperty("url").GetString()!;

    [Fact]
    public async Task TheOpenApiDocument_IsAnonymous_AndNamesThePublicHost_WhenTheHostForwards()
    {
        using var app = App();
        var client = app.As(null);
        var response = await client.SendAsync(Get("/api/openapi.json", "127.0.0.1", "203.0.113.10", "stip7rpt.azurewebsites.net", "https"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("https://stip7rpt.azurewebsites.net", (await ServerUrl(response)).TrimEnd('/'));
    }

    [Fact]
    public async Task ForwardedHeaders_FromAnotherPeer_AreIgnored()
    {
        using var app = App();
        var response = await app.As(null).SendAsync(Get("/api/openapi.json", "198.51.100.7", "203.0.113.10", "evil.example", "https"));
        Assert.DoesNotContain("evil.example", await ServerUrl(response));
    }

    [Fact]
    public async Task AnonymousCallers_BehindTheHost_HaveTheirOwnRateLimitBuckets()
    {
        using var app = App(permits: 2);
        var client = app.As(null);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/api/health", "127.0.0.1", "203.0.113.1"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(Get("/api/health", "127.0.0.1", "203.0.113.1"))).StatusCode);
        // Another caller through the same host is not limited by the first one's requests.
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/api/health", "127.0.0.1", "203.0.113.2"))).StatusCode);
    }

    [Fact]
    public async Task AForgedForwardedFor_FromAnotherPeer_DoesNotBuyANewBucket()
    {
        using var app = App(permits: 2);
        var client = app.As(null);
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Get("/api/health", "198.51.100.7", $"203.0.113.{i}"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SendAsync(Get("/api/health", "198.51.100.7", "203.0.113.99"))).StatusCode);
    }
}
