using System.Net;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// The per-client limit holds across instances: Flex Consumption runs as many as the load asks for, and a limit kept per
/// instance would give a client the limit times the instance count. Two instances on one storage account count a client
/// together.
/// </summary>
public sealed class RateLimitAcrossInstancesTests : IAsyncLifetime
{
    private const int Permits = 10;
    private readonly string prefix = "q" + Guid.NewGuid().ToString("N")[..10];
    private ReportingApp a = null!;
    private ReportingApp b = null!;

    public Task InitializeAsync()
    {
        var settings = new Dictionary<string, string> { ["RateLimit:PermitsPerMinute"] = Permits.ToString() };
        a = new ReportingApp(settings, prefix);
        b = new ReportingApp(settings, prefix);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task A_client_alternating_between_two_instances_gets_the_limit_once_not_twice()
    {
        var token = a.Tokens.Agency("MEXT");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * Permits; i++)
        {
            var instance = i % 2 == 0 ? a : b;
            statuses.Add((await instance.As(token).GetAsync("/api/indicators/research-time-share")).StatusCode);
        }
        Assert.Equal(Permits, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses.Skip(Permits), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        // Another client is counted on its own.
        Assert.Equal(HttpStatusCode.OK, (await b.AsStaff().GetAsync("/api/indicators/research-time-share")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_requests_of_one_client_on_two_instances_exceed_the_limit_by_at_most_one_batch_per_other_instance()
    {
        var token = a.Tokens.Staff();
        var requests = Enumerable.Range(0, 4 * Permits).Select(i => (i % 2 == 0 ? a : b).As(token).GetAsync("/api/indicators"));
        var statuses = (await Task.WhenAll(requests)).Select(r => r.StatusCode).ToList();
        var ok = statuses.Count(s => s == HttpStatusCode.OK);
        Assert.InRange(ok, Permits, Permits + 1);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, s.ToString()));
    }

    [Fact]
    public async Task Without_storage_for_the_counts_an_instance_still_counts_each_request_once_itself()
    {
        // Before: a request whose count could not be written was counted twice, so the second request of a client was
        // already refused.
        var gate = new StorageGate();
        await using var app = new ReportingApp(new Dictionary<string, string> { ["RateLimit:PermitsPerMinute"] = "3" }) { TestServices = gate.Register };
        await app.ReadyAsync();
        gate.Fail(m => m.Request.Uri.Path.Contains("RateLimits", StringComparison.Ordinal));
        var token = app.Tokens.Staff();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add((await app.As(token).GetAsync("/api/agencies")).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
