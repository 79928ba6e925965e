using System.Net;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Health;

/// <summary>Liveness costs nothing and says the process answers; readiness says whether storage does.</summary>
public sealed class HealthEndpointsTests
{
    [Fact]
    public async Task Readiness_IsHealthy_WhenStartupIsDone_AndTablesAndBlobsAnswer()
    {
        using var app = new ReportingApp();
        await app.ReadyAsync();
        var response = await app.As(null).GetAsync("/api/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Requests.JsonOf(response);
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.Equal(["blobs", "startup", "tables"], body.GetProperty("checks").EnumerateObject().Select(c => c.Name).Order());
        Assert.All(body.GetProperty("checks").EnumerateObject(), c => Assert.Equal("healthy", c.Value.GetString()));
    }

    [Fact]
    public async Task WhenStorageIsDown_LivenessStillAnswers_ButReadinessIs503_WithoutInternals()
    {
        var nothing = Azurite.FreePort();
        using var app = new ReportingApp(connectionString: Azurite.Connection(nothing, nothing));
        var client = app.As(null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);
        var response = await client.GetAsync("/api/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        var body = await Requests.JsonOf(response);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("startup").GetString());
        Assert.Equal("unhealthy", body.GetProperty("checks").GetProperty("tables").GetString());
        Assert.DoesNotContain("Exception", text);
        Assert.DoesNotContain("127.0.0.1", text);
    }
}
