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


    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers[Header].ToString();
        if (header.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
        try
        {
            var principal = JsonSerializer.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(header)), Json.Info<AppServicePrincipal>());
            if (principal?.Claims is null) return Task.FromResult(AuthenticateResult.Fail("X-MS-CLIENT-PRINCIPAL has no claims."));
            // Roles arrive under the type role_typ names, which has been "roles" or the WS-Federation role URI: either is a role.
            var roleType = principal.RoleType ?? Roles.RoleClaim;
            var claims = principal.Claims.Select(c => new Claim(c.Type == roleType || c.Type == ClaimTypes.Role ? Roles.RoleClaim : c.Type, c.Value));
            var identity = new ClaimsIdentity(claims, principal.AuthType ?? SchemeName, principal.NameType ?? "name", Roles.RoleClaim);
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return Task.FromResult(AuthenticateResult.Fail("X-MS-CLIENT-PRINCIPAL is not valid."));
        }
    }
}

/// <summary>The principal App Service authentication passes in X-MS-CLIENT-PRINCIPAL (base64 JSON), as it names its members.</summary>
public sealed record AppServicePrincipal(
    [property: System.Text.Json.Serialization.JsonPropertyName("auth_typ")] string? AuthType,
    [property: System.Text.Json.Serialization.JsonPropertyName("name_typ")] string? NameType,
    [property: System.Text.Json.Serialization.JsonPropertyName("role_typ")] string? RoleType,
    [property: System.Text.Json.Serialization.JsonPropertyName("claims")] List<AppServiceClaim>? Claims);

public sealed record AppServiceClaim(
    [property: System.Text.Json.Serialization.JsonPropertyName("typ")] string Type,
    [property: System.Text.Json.Serialization.JsonPropertyName("val")] string Value);
