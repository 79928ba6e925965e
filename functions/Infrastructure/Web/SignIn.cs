using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Reporting.Infrastructure.Web;

/// <summary>How people sign in to the web interface.</summary>
public enum SignInMode
{
    /// <summary>Nobody can: neither App Service Authentication nor development sign-in is configured.</summary>
    None,
    /// <summary>App Service Authentication (Easy Auth) with Microsoft Entra ID: the browser holds its session cookie.</summary>
    AppService,
    /// <summary>Locally: pick a role and an agency. Never in Azure, never outside the Development environment.</summary>
    Development,
}

/// <summary>
/// Which sign-in the web interface offers. App Service Authentication where the app trusts its principal; the
/// development sign-in only where every one of these holds: the development signing key is set, the Functions
/// environment is Development (as <c>func start</c> and the development host set it), and the app is not running on App
/// Service (no <c>WEBSITE_INSTANCE_ID</c>). Anything else offers no sign-in, and the development session is refused.
/// </summary>
public sealed class SignInOptions(IConfiguration configuration)
{
    public SignInMode Mode { get; } = Decide(configuration);

    private static SignInMode Decide(IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        if (auth.TrustAppServiceAuthentication) return SignInMode.AppService;
        var development = string.Equals(configuration["AZURE_FUNCTIONS_ENVIRONMENT"], "Development", StringComparison.OrdinalIgnoreCase);
        var onAppService = !string.IsNullOrEmpty(configuration["WEBSITE_INSTANCE_ID"]) || !string.IsNullOrEmpty(configuration["WEBSITE_SITE_NAME"]);
        return development && !onAppService && !string.IsNullOrWhiteSpace(auth.DevSigningKey) ? SignInMode.Development : SignInMode.None;
    }

    /// <summary>Where a browser goes to sign in, coming back to <paramref name="returnUrl"/> (a path of this app).</summary>
    public string SignInUrl(string returnUrl) => Mode == SignInMode.AppService
        ? "/.auth/login/aad?post_login_redirect_uri=" + Uri.EscapeDataString(LocalPath(returnUrl))
        : "/signin?returnUrl=" + Uri.EscapeDataString(LocalPath(returnUrl));

    /// <summary>A path of this app, or "/": never another site (an open redirect) or a protocol-relative URL.</summary>
    public static string LocalPath(string? url) =>
        url is { Length: > 0 } u && u[0] == '/' && (u.Length == 1 || (u[1] != '/' && u[1] != '\\')) && !u.Any(char.IsControl) ? u : "/";
}

/// <summary>
/// The development session: a cookie holding a short-lived token of the development issuer (the same key, issuer and
/// audience as the development bearer tokens), validated as a bearer token is. It exists only in
/// <see cref="SignInMode.Development"/>; elsewhere the scheme authenticates nobody.
/// </summary>
public sealed class DevelopmentSessionHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    SignInOptions signIn, IOptionsMonitor<JwtBearerOptions> bearer)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DevelopmentSession";
    public const string Cookie = "reporting-dev-session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (signIn.Mode != SignInMode.Development || Request.Cookies[Cookie] is not { Length: > 0 } token) return AuthenticateResult.NoResult();
        var parameters = bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var result = await new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, parameters);
        return result.IsValid
            ? AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(result.ClaimsIdentity), SchemeName))
            : AuthenticateResult.Fail("The development session is not valid.");
    }

    /// <summary>The session token of someone who signed in locally as <paramref name="role"/> (and agency).</summary>
    public static string Issue(AuthOptions auth, string name, string role, string? agency, DateTimeOffset now)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = "dev:" + name,
            ["name"] = name,
            [Roles.RoleClaim] = agency is null ? new[] { role } : new[] { Roles.AgencyRolePrefix + agency },
        };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(auth.DevSigningKey!)), SecurityAlgorithms.HmacSha256),
        });
    }
}

/// <summary>
/// Credentials a browser sends by itself — App Service Authentication's session (its principal header, without a bearer
/// token) or the development session cookie. A request that changes something with them must come from this app's own
/// pages: its Origin (or, without one, Sec-Fetch-Site) must be this site's, or it is a cross-site request forgery.
/// </summary>
public static class AmbientCredentials
{
    public static bool AreUsed(HttpRequest request) =>
        !request.Headers.Authorization.Any()
        && (request.Headers.ContainsKey(AppServiceAuthenticationHandler.Header) || request.Cookies.ContainsKey(DevelopmentSessionHandler.Cookie));

    public static bool IsSameOrigin(HttpRequest request)
    {
        if (request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
        }
        return request.Headers["Sec-Fetch-Site"].ToString() is "same-origin";
    }

    public static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
}
