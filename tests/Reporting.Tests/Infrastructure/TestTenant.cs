using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// A Microsoft Entra tenant as the app sees one: its OpenID Connect metadata and signing keys served over HTTP on
/// loopback (as login.microsoftonline.com serves them over HTTPS), and access tokens signed with RS256 the way Entra
/// issues them — v2 (iss login.microsoftonline.com/{tid}/v2.0, aud = the API's client id) and v1 (iss
/// sts.windows.net/{tid}/, aud = the Application ID URI), with app roles in "roles".
/// </summary>
public sealed class TestTenant : IAsyncDisposable
{
    public const string Audience = "api://reporting-tests";

    public string TenantId { get; } = Guid.NewGuid().ToString();
    public string ClientId { get; } = Guid.NewGuid().ToString();
    public string V2Issuer => $"https://login.microsoftonline.com/{TenantId}/v2.0";
    public string V1Issuer => $"https://sts.windows.net/{TenantId}/";
    public string Authority => $"{url}/{TenantId}/v2.0";

    private readonly RSA rsa = RSA.Create(2048);
    private readonly string keyId = Guid.NewGuid().ToString("N")[..16];
    private readonly WebApplication server;
    private readonly string url;

    private TestTenant(WebApplication server, string url)
    {
        this.server = server;
        this.url = url;
    }

    public static async Task<TestTenant> StartAsync()
    {
        var port = Azurite.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var tenant = new TestTenant(app, $"http://127.0.0.1:{port}");
        app.MapGet("/{tid}/v2.0/.well-known/openid-configuration", (string tid) => tid != tenant.TenantId
            ? Results.NotFound()
            : Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = tenant.V2Issuer,
                ["jwks_uri"] = $"{tenant.url}/{tid}/discovery/v2.0/keys",
                ["token_endpoint"] = $"{tenant.url}/{tid}/oauth2/v2.0/token",
                ["authorization_endpoint"] = $"{tenant.url}/{tid}/oauth2/v2.0/authorize",
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            }));
        app.MapGet("/{tid}/discovery/v2.0/keys", (string tid) =>
        {
            var p = tenant.rsa.ExportParameters(includePrivateParameters: false);
            return Results.Json(new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", kid = tenant.keyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) },
                },
            });
        });
        await app.StartAsync();
        return tenant;
    }

    /// <summary>App settings for the app under test: this tenant's tokens only, no development issuer.</summary>
    public Dictionary<string, string> Settings() => new()
    {
        ["Auth:Issuer"] = "",
        ["Auth:DevSigningKey"] = "",
        ["Auth:TenantId"] = TenantId,
        ["Auth:Audience"] = Audience,
        ["Auth:ClientId"] = ClientId,
        ["Auth:Authority"] = Authority,
        ["Auth:RequireHttpsMetadata"] = "false",
    };

    /// <summary>A v2 access token (the app registration's requestedAccessTokenVersion = 2) carrying app roles.</summary>
    public string V2(params string[] roles) => Token(V2Issuer, ClientId, "2.0", roles);

    /// <summary>A v1 access token (requestedAccessTokenVersion null or 1; also what client-credential daemons often get).</summary>
    public string V1(params string[] roles) => Token(V1Issuer, Audience, "1.0", roles);

    public string Token(string issuer, string audience, string version, string[] roles, RSA? signWith = null, string? tenantId = null)
    {
        var claims = new List<Claim>
        {
            new("tid", tenantId ?? TenantId), new("ver", version), new("sub", Guid.NewGuid().ToString()), new("oid", Guid.NewGuid().ToString()),
            new(version == "1.0" ? "appid" : "azp", Guid.NewGuid().ToString()),
        };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.AddMinutes(-1),
            IssuedAt = now.AddMinutes(-1),
            Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(signWith ?? rsa) { KeyId = keyId }, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await server.StopAsync();
        await server.DisposeAsync();
        rsa.Dispose();
    }
}
