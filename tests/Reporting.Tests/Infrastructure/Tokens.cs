using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Reporting.Tests.Infrastructure;

/// <summary>Mints development-issuer tokens exactly as scripts/dev-token does (HS256, roles + agency claims).</summary>
public sealed class Tokens(string issuer, string audience, byte[] key)
{
    public static readonly byte[] TestKey = Enumerable.Range(0, 48).Select(i => (byte)(i * 7 + 3)).ToArray();

    public string Agency(string code) => Create([new("roles", "agency"), new("agency", code), new("sub", $"test-{code.ToLowerInvariant()}"), new("name", $"{code} tester")]);
    public string Staff() => Create([new("roles", "staff"), new("sub", "test-staff"), new("name", "staff tester")]);
    public string Admin() => Create([new("roles", "admin"), new("sub", "test-admin"), new("name", "admin tester")]);

    public string Create(IEnumerable<Claim> claims, DateTime? expires = null, byte[]? signingKey = null, string? issuerOverride = null, string? audienceOverride = null)
    {
        var handler = new JsonWebTokenHandler();
        var now = DateTime.UtcNow;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuerOverride ?? issuer,
            Audience = audienceOverride ?? audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = (expires ?? now.AddHours(1)) < now ? now.AddHours(-2) : now.AddMinutes(-1),
            IssuedAt = (expires ?? now.AddHours(1)) < now ? now.AddHours(-2) : now.AddMinutes(-1),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(signingKey ?? key), SecurityAlgorithms.HmacSha256),
        });
    }
}
