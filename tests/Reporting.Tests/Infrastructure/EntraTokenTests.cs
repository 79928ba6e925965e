using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Security.Cryptography;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// Real Microsoft Entra ID access tokens: RS256, keys from the tenant's OpenID Connect metadata, v1 and v2 issuers and
/// audiences, app roles. Every real token used to get 401 because only the v2 issuer was accepted.
/// </summary>
public sealed class EntraTokenTests : IAsyncLifetime
{
    private TestTenant tenant = null!;
    private ReportingApp app = null!;

    public async Task InitializeAsync()
    {
        tenant = await TestTenant.StartAsync();
        app = new ReportingApp(tenant.Settings());
        await app.ReadyAsync();
    }

    public async Task DisposeAsync()
    {
        app.Dispose();
        await tenant.DisposeAsync();
    }

    [Fact]
    public async Task V2Tokens_AuthorizeByAppRole()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.As(tenant.V2("staff")).GetAsync("/api/progress/2025")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.As(tenant.V2("staff")).PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.As(tenant.V2("agency.MEXT")).PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33}"""))).StatusCode);
    }

    [Fact]
    public async Task V1Tokens_OfTheSameTenant_AreAccepted_AsDaemonsGetThem()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.As(tenant.V1("staff")).GetAsync("/api/reports")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.As(tenant.V1("agency.JPO")).PutAsync("/api/indicators/pph-partner-rank/values/2025", Body("""{"value": 1}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.As(tenant.V1("agency.JPO")).GetAsync("/api/progress/2025")).StatusCode);
    }

    [Fact]
    public async Task TokensOfAnotherTenant_AreRefused_EvenWithTheRightKeyAndRole()
    {
        var other = Guid.NewGuid().ToString();
        foreach (var token in new[]
        {
            tenant.Token($"https://login.microsoftonline.com/{other}/v2.0", tenant.ClientId, "2.0", ["admin"], tenantId: other),
            tenant.Token($"https://sts.windows.net/{other}/", TestTenant.Audience, "1.0", ["admin"], tenantId: other),
        })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.As(token).GetAsync("/api/indicators")).StatusCode);
        }
    }

    [Fact]
    public async Task TokensWithAnotherKey_AnotherAudience_OrTheDevelopmentIssuer_AreRefused()
    {
        using var stranger = RSA.Create(2048);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.As(tenant.Token(tenant.V2Issuer, tenant.ClientId, "2.0", ["staff"], signWith: stranger)).GetAsync("/api/indicators")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.As(tenant.Token(tenant.V2Issuer, "api://someone-else", "2.0", ["staff"])).GetAsync("/api/indicators")).StatusCode);
        // In Azure no development key is configured: an HS256 development token means nothing there.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.As(app.Tokens.Staff()).GetAsync("/api/indicators")).StatusCode);
    }
}
