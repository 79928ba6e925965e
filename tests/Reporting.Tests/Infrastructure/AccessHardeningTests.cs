using System.Net;
using System.Text;
using System.Text.Json;

namespace Reporting.Tests.Infrastructure;

public sealed class AccessHardeningTests
{
    private static string Principal(params (string Type, string Value)[] claims) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
    })));

    [Fact]
    public async Task RateLimit_AnswersTooManyRequests_WithRetryAfter_PerClient()
    {
        using var app = new ReportingApp(new Dictionary<string, string> { ["RateLimit:PermitsPerMinute"] = "3" });
        var staff = app.AsStaff();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/indicators")).StatusCode);
        var limited = await staff.GetAsync("/api/indicators");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // Another client has its own allowance.
        Assert.Equal(HttpStatusCode.OK, (await app.AsAgency("MEXT").GetAsync("/api/indicators")).StatusCode);
    }

    [Fact]
    public async Task AppServicePrincipalHeader_IsIgnoredByDefault()
    {
        using var app = new ReportingApp();
        var client = app.As(null);
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", Principal(("roles", "admin"), ("name", "mallory")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/indicators")).StatusCode);
    }

    [Fact]
    public async Task AppServicePrincipalHeader_IsTrustedOnlyWhenConfigured()
    {
        using var app = new ReportingApp(new Dictionary<string, string> { ["Auth:TrustAppServiceAuthentication"] = "true" });
        var client = app.As(null);
        client.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", Principal(("roles", "agency.JPO"), ("name", "特許庁 担当")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/indicators")).StatusCode);
        // A principal is a browser's session: a write made with it must come from this site's own pages (its Origin).
        var crossSite = new HttpRequestMessage(HttpMethod.Put, "/api/indicators/pph-partner-rank/values/2025") { Content = new StringContent("""{"value": 1}""", Encoding.UTF8, "application/json") };
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(crossSite)).StatusCode);
        var sameSite = new HttpRequestMessage(HttpMethod.Put, "/api/indicators/pph-partner-rank/values/2025") { Content = new StringContent("""{"value": 1}""", Encoding.UTF8, "application/json") };
        sameSite.Headers.Add("Origin", app.BaseAddress.GetLeftPart(UriPartial.Authority));
        var put = await client.SendAsync(sameSite);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/reports")).StatusCode);
        // Bearer tokens still work beside it.
        Assert.Equal(HttpStatusCode.OK, (await app.AsStaff().GetAsync("/api/reports")).StatusCode);
        var garbage = app.As(null);
        garbage.DefaultRequestHeaders.Add("X-MS-CLIENT-PRINCIPAL", "not base64!");
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/api/indicators")).StatusCode);
    }
}
