using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Infrastructure;

public sealed class AuthTests(AppFixture app) : IClassFixture<AppFixture>
{
    private ReportingApp Factory => app.Factory;

    [Fact]
    public async Task Health_IsTheOnlyAnonymousRoute_AndReportsJapanFiscalYear()
    {
        var response = await Factory.As(null).GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2026, body.GetProperty("currentFiscalYear").GetInt32());
    }

    [Theory]
    [InlineData("GET", "/api/indicators")]
    [InlineData("GET", "/api/indicators/research-time-share")]
    [InlineData("GET", "/api/indicators/research-time-share/values")]
    [InlineData("PUT", "/api/indicators/research-time-share/values/2025")]
    [InlineData("PUT", "/api/indicators/government-rd-investment/target")]
    [InlineData("GET", "/api/reports")]
    [InlineData("POST", "/api/reports")]
    [InlineData("GET", "/api/reports/2025")]
    public async Task EveryRouteButHealth_WithoutToken_Returns401Problem(string method, string path)
    {
        var response = await Factory.As(null).SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    public static TheoryData<string> BadTokens()
    {
        var t = new Tokens(ReportingApp.Issuer, ReportingApp.Audience, Tokens.TestKey);
        Claim[] staff = [new("roles", "staff"), new("sub", "x")];
        return new TheoryData<string>
        {
            t.Create(staff, signingKey: Enumerable.Repeat((byte)1, 48).ToArray()),
            t.Create(staff, expires: DateTime.UtcNow.AddMinutes(-30)),
            t.Create(staff, issuerOverride: "https://evil.example/"),
            t.Create(staff, audienceOverride: "api://someone-else"),
            "not-a-jwt",
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task InvalidToken_Returns401(string token)
    {
        var response = await Factory.As(token).GetAsync("/api/indicators");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TokenWithoutAKnownRole_Returns403()
    {
        var token = Factory.Tokens.Create([new Claim("roles", "visitor"), new Claim("sub", "v")]);
        var response = await Factory.As(token).GetAsync("/api/indicators");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EntraStyleAgencyRole_IsRecognisedWithItsCode()
    {
        // In Entra ID an agency is an app role "agency.METI": no custom claim needed.
        var token = Factory.Tokens.Create([new Claim("roles", "agency.METI"), new Claim("sub", "meti-user")]);
        var client = Factory.As(token);
        var own = await client.PutAsync("/api/indicators/iso-iec-secretariats-rank/values/2025",
            new StringContent("""{"series": "iso", "value": 4}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        var other = await client.PutAsync("/api/indicators/research-time-share/values/2025",
            new StringContent("""{"value": 4}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task Reports_AreForStaff_NotAgencies()
    {
        var agency = Factory.AsAgency("MEXT");
        Assert.Equal(HttpStatusCode.Forbidden, (await agency.GetAsync("/api/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agency.PostAsync("/api/reports", new StringContent("""{"fiscalYear": 2025}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agency.GetAsync("/api/reports/2025")).StatusCode);
    }
}
