using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.IdentityModel.Tokens;

namespace Reporting.Infrastructure;

/// <summary>
/// Token validation settings. In Azure: Microsoft Entra ID — access tokens of the configured tenant, v1 or v2 (the
/// app registration's <c>requestedAccessTokenVersion</c> decides which; daemons using client credentials often get v1),
/// for the API's Application ID URI or client id, signed with the keys the tenant's OpenID Connect metadata lists.
/// Locally and in tests: a development issuer with a symmetric key.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>An issuer accepted as is: the development issuer locally; normally empty in Azure.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>The Application ID URI (api://reporting): the audience of v1 access tokens.</summary>
    public string Audience { get; set; } = "";

    /// <summary>The API app registration's Application (client) ID: the audience of v2 access tokens.</summary>
    public string? ClientId { get; set; }

    /// <summary>The Entra tenant whose tokens are accepted; its v1 and v2 issuers are derived from it.</summary>
    public string? TenantId { get; set; }

    /// <summary>The Entra sign-in endpoint (https://login.microsoftonline.com/, or a sovereign cloud's).</summary>
    public string Instance { get; set; } = "https://login.microsoftonline.com/";

    /// <summary>
    /// OpenID Connect authority whose metadata lists the signing keys; by default {Instance}{TenantId}/v2.0. The v1 and
    /// v2 endpoints of a tenant publish the same keys.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Metadata only over HTTPS (always in Azure; tests serve a local metadata document over HTTP).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Base64 HMAC key of the development issuer. Never set in Azure.</summary>
    public string? DevSigningKey { get; set; }

    /// <summary>Trust App Service Authentication's X-MS-CLIENT-PRINCIPAL header. Off unless the app runs behind Easy Auth.</summary>
    public bool TrustAppServiceAuthentication { get; set; }

    /// <summary>
    /// Path prefixes App Service Authentication is configured to leave alone (its <c>excludedPaths</c>, "/api/" in the
    /// Bicep): it neither signs requests there in nor removes a principal header a caller forged, so the header is not
    /// trusted there; those requests authenticate with bearer tokens only. Comma-separated.
    /// </summary>
    public string? AppServiceExcludedPaths { get; set; }

    /// <summary>Whether App Service Authentication's principal is to be believed for a request to <paramref name="path"/>.</summary>
    public bool TrustsAppServicePrincipalAt(PathString path) =>
        TrustAppServiceAuthentication && !(AppServiceExcludedPaths ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(prefix => path.StartsWithSegments(prefix.TrimEnd('*').TrimEnd('/'), StringComparison.OrdinalIgnoreCase));

    /// <summary>The issuers of the configured tenant: v2 (login.microsoftonline.com/{tid}/v2.0) and v1 (sts.windows.net/{tid}/).</summary>
    public IReadOnlyList<string> TenantIssuers()
    {
        if (string.IsNullOrWhiteSpace(TenantId)) return [];
        var instance = Instance.TrimEnd('/') + "/";
        // v1 tokens name the security token service, not the sign-in host: sts.windows.net for the public cloud.
        var sts = new Uri(instance).Host switch
        {
            "login.chinacloudapi.cn" => "https://sts.chinacloudapi.cn/",
            _ => "https://sts.windows.net/",
        };
        return [$"{instance}{TenantId}/v2.0", $"{sts}{TenantId}/"];
    }

    /// <summary>Where the signing keys are published: the configured authority, or the tenant's v2 endpoint.</summary>
    public string? MetadataAuthority() =>
        !string.IsNullOrWhiteSpace(Authority) ? Authority
        : !string.IsNullOrWhiteSpace(TenantId) ? $"{Instance.TrimEnd('/')}/{TenantId}/v2.0"
        : null;
}

public static class Roles
{
    public const string Agency = "agency";
    public const string Staff = "staff";
    public const string Admin = "admin";

    /// <summary>Claim carrying the agency code (MEXT, CAO, METI, JPO, …) of an agency token.</summary>
    public const string AgencyClaim = "agency";

    /// <summary>Entra app roles cannot carry parameters, so an agency is also recognised by a role "agency.{CODE}".</summary>
    public const string AgencyRolePrefix = "agency.";

    public const string RoleClaim = "roles";
}

public static class CallerExtensions
{
    /// <summary>
    /// The agency a token speaks for: its one <c>agency</c> claim, or its one <c>agency.{CODE}</c> app role. Null when it has
    /// none, or when what it carries is not one well-formed code (several claims or roles, a list "MEXT,CAO", "*", padding,
    /// full-width letters): such a token speaks for no agency and is refused before anything is read.
    /// </summary>
    public static string? AgencyCode(this ClaimsPrincipal user)
    {
        var explicitCodes = user.FindAll(Roles.AgencyClaim).Select(c => c.Value).ToList();
        var roleCodes = user.FindAll(Roles.RoleClaim).Select(c => c.Value)
            .Where(v => v.StartsWith(Roles.AgencyRolePrefix, StringComparison.OrdinalIgnoreCase))
            .Select(v => v[Roles.AgencyRolePrefix.Length..]).ToList();
        var codes = explicitCodes.Count > 0 ? explicitCodes : roleCodes;
        if (codes.Count != 1) return null;
        // Letter case is not significant in an ASCII code (agency.mext is MEXT); anything else must already be well-formed.
        var code = codes[0].All(char.IsAscii) ? codes[0].ToUpperInvariant() : codes[0];
        return Features.Indicators.IndicatorStore.IsWellFormedAgencyCode(code) ? code : null;
    }

    public static bool IsAgency(this ClaimsPrincipal user) =>
        user.FindAll(Roles.RoleClaim).Any(c => c.Value == Roles.Agency || c.Value.StartsWith(Roles.AgencyRolePrefix, StringComparison.OrdinalIgnoreCase));

    /// <summary>Who to record in the revision history: the token's display name if any, its subject otherwise.</summary>
    public static string Who(this ClaimsPrincipal user) =>
        user.FindFirst("preferred_username")?.Value ?? user.FindFirst("name")?.Value ?? user.FindFirst("sub")?.Value ?? "unknown";
}

public static class AuthRegistration
{
    public static IServiceCollection AddReportingAuth(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.Configure<AuthOptions>(configuration.GetSection(AuthOptions.Section));
        var signIn = new Web.SignInOptions(configuration);
        services.AddSingleton(signIn);
        // A bearer token when the request carries one; otherwise what a browser carries by itself: App Service
        // Authentication's principal where the app is behind it, or the development session where that exists.
        const string Selector = "bearer-or-session";
        var authentication = services.AddAuthentication(Selector);
        authentication.AddPolicyScheme(Selector, Selector, o => o.ForwardDefaultSelector = context =>
            context.Request.Headers.Authorization.Any() ? JwtBearerDefaults.AuthenticationScheme
            : options.TrustsAppServicePrincipalAt(context.Request.Path) && context.Request.Headers.ContainsKey(AppServiceAuthenticationHandler.Header) ? AppServiceAuthenticationHandler.SchemeName
            : signIn.Mode == Web.SignInMode.Development && context.Request.Cookies.ContainsKey(Web.DevelopmentSessionHandler.Cookie) ? Web.DevelopmentSessionHandler.SchemeName
            : JwtBearerDefaults.AuthenticationScheme);
        if (options.TrustAppServiceAuthentication)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, AppServiceAuthenticationHandler>(AppServiceAuthenticationHandler.SchemeName, o => { });
        }
        authentication.AddScheme<AuthenticationSchemeOptions, Web.DevelopmentSessionHandler>(Web.DevelopmentSessionHandler.SchemeName, o => { });
        authentication.AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            var issuers = new[] { options.Issuer }.Concat(options.TenantIssuers()).Where(i => !string.IsNullOrWhiteSpace(i)).ToList();
            var audiences = new[] { options.Audience, options.ClientId }.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!).ToList();
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                // Without any configured issuer nothing validates (an empty list is not "anything").
                ValidIssuers = issuers.Count > 0 ? issuers : [Guid.NewGuid().ToString("N")],
                ValidateAudience = true,
                ValidAudiences = audiences.Count > 0 ? audiences : [Guid.NewGuid().ToString("N")],
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromMinutes(2),
                RoleClaimType = Roles.RoleClaim,
                NameClaimType = "sub",
            };
            if (!string.IsNullOrWhiteSpace(options.DevSigningKey))
            {
                jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Convert.FromBase64String(options.DevSigningKey));
                jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
            else if (options.MetadataAuthority() is { } authority)
            {
                // Entra signs access tokens with RS256 and publishes the keys in the tenant's metadata (refreshed by
                // the handler when a token names a key it has not seen).
                jwt.Authority = authority;
                jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
                jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.RsaSha256];
            }
            else
            {
                // Fail closed: with neither a key nor an authority, no token validates.
                jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N")));
            }

            // 401 and 403 carry an RFC 9457 body like every other error.
            jwt.Events = new JwtBearerEvents
            {
                OnChallenge = async context =>
                {
                    context.HandleResponse();
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await Problems.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required",
                        context.AuthenticateFailure is null
                            ? "Send a bearer token: Authorization: Bearer <token>."
                            : "The bearer token is not valid (signature, issuer, audience or lifetime).");
                },
                OnForbidden = context => Problems.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                    "Your role does not allow this operation."),
            };
        });

        var authorization = services.AddAuthorizationBuilder();
        foreach (var rule in Policies.All)
        {
            authorization.AddPolicy(rule.Name, p => p.RequireAssertion(c => rule.Allows(c.User)));
        }
        return services;
    }
}
