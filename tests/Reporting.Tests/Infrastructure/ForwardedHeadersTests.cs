using System.Net;
using System.Net.Sockets;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// Behind the host, every request reaches the worker from the host on loopback, with the caller in X-Forwarded-*: the
/// host sets those headers from the caller's own connection, and drops what a caller sent in them. The OpenAPI document
/// then names the address the caller used, and each anonymous caller has its own rate-limit bucket, which a forged
/// X-Forwarded-For cannot escape.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private static ReportingApp App(int permits = 1200) => new(new Dictionary<string, string> { ["RateLimit:PermitsPerMinute"] = permits.ToString() });

    /// <summary>A client whose connections come from <paramref name="address"/> (a loopback address of its own: 127.0.0.x).</summary>
    private static HttpClient From(ReportingApp app, string address) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = app.BaseAddress };

    private static HttpRequestMessage Get(string path, string? forwardedFor = null, string? host = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        if (host is not null) request.Headers.Host = host;
        return request;
    }

    private static async Task<string> ServerUrl(HttpResponseMessage response) =>
        (await Requests.JsonOf(response)).GetProperty("servers")[0].GetProperty("url").GetString()!;

    [Fact]
    public async Task TheOpenApiDocument_IsAnonymous_AndNamesTheAddressTheCallerUsed()
    {
        using var app = App();
        var response = await app.As(null).SendAsync(Get("/api/openapi.json", host: "stip7rpt.azurewebsites.net"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("http://stip7rpt.azurewebsites.net", await ServerUrl(response));
    }

    [Fact]
    public async Task AnonymousCallers_HaveTheirOwnRateLimitBuckets_ByTheAddressTheyConnectFrom()
    {
        using var app = App(permits: 2);
        using var one = From(app, "127.0.0.2");
        using var other = From(app, "127.0.0.3");
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await one.SendAsync(Get("/api/openapi.json"))).StatusCode);
        var limited = await one.SendAsync(Get("/api/openapi.json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        // Another caller is not limited by the first one's requests.
        Assert.Equal(HttpStatusCode.OK, (await other.SendAsync(Get("/api/openapi.json"))).StatusCode);
    }

    [Fact]
    public async Task AForgedForwardedFor_DoesNotBuyANewBucket()
    {
        using var app = App(permits: 2);
        using var caller = From(app, "127.0.0.4");
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await caller.SendAsync(Get("/api/openapi.json", forwardedFor: $"203.0.113.{i}"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await caller.SendAsync(Get("/api/openapi.json", forwardedFor: "203.0.113.99"))).StatusCode);
    }

    [Fact]
    public async Task AFloodOfInvalidTokens_IsLimited_ButLivenessAndReadinessAlwaysAnswer()
    {
        using var app = App(permits: 5);
        using var caller = From(app, "127.0.0.5");
        caller.DefaultRequestHeaders.Authorization = new("Bearer", "not-a-token");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++) statuses.Add((await caller.GetAsync("/api/indicators")).StatusCode);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3)), statuses);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/api/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/api/health/ready")).StatusCode);
        }
    }
}
