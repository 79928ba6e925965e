using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Reporting.Infrastructure;

/// <summary>
/// Reads the identity App Service Authentication (Easy Auth) forwards in <c>X-MS-CLIENT-PRINCIPAL</c>. Anyone can send
/// that header to an app that is not behind Easy Auth, so it is trusted only when <c>Auth:TrustAppServiceAuthentication</c>
/// is set, never by default.
/// </summary>
public sealed class AppServiceAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "AppServiceAuthentication";
    public const string Header = "X-MS-CLIENT-PRINCIPAL";

    private sealed record Principal(string? auth_typ, string? name_typ, string? role_typ, List<PrincipalClaim>? claims);
    private sealed record PrincipalClaim(string typ, string val);

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers[Header].ToString();
        if (header.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
        try
        {
            var principal = JsonSerializer.Deserialize<Principal>(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            if (principal?.claims is null) return Task.FromResult(AuthenticateResult.Fail("X-MS-CLIENT-PRINCIPAL has no claims."));
            var roleType = principal.role_typ ?? Roles.RoleClaim;
            var claims = principal.claims.Select(c => new Claim(c.typ == roleType ? Roles.RoleClaim : c.typ, c.val));
            var identity = new ClaimsIdentity(claims, principal.auth_typ ?? SchemeName, principal.name_typ ?? "name", Roles.RoleClaim);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return Task.FromResult(AuthenticateResult.Fail("X-MS-CLIENT-PRINCIPAL is not valid."));
        }
    }
}
