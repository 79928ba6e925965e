using Reporting.Tests.Infrastructure;
using System.Net;
using System.Text;
using System.Text.Json;
using static Reporting.Tests.Infrastructure.Requests;

namespace Reporting.Tests.Web;

/// <summary>
/// Who may open the web interface, and how: sign-in (App Service Authentication in Azure, the development sign-in only
/// in development), a person who is not signed in sent to sign in, another role refused in Japanese, forms only from
/// this site, pages self-contained under a strict policy and never cached — through the real worker, without a browser.
/// </summary>
public sealed class WebAccessTests
{
    private static ReportingApp Development(Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string> { ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development" };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return new ReportingApp(settings);
    }

    private static string Origin(ReportingApp app) => app.BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>Signs in with the development form, as a browser posts it; the session cookie it sets.</summary>
    private static async Task<string> SignInAsync(ReportingApp app, string role, string? agency = null)
    {
        using var client = app.CreateClient();
        var form = new Dictionary<string, string> { ["role"] = role, ["name"] = "テスト 担当", ["returnUrl"] = "/" };
        if (agency is not null) form["agency"] = agency;
        var request = new HttpRequestMessage(HttpMethod.Post, "/signin") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Origin", Origin(app));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("reporting-dev-session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        return cookie.Split(';')[0];
    }

    private static HttpRequestMessage Get(string path, string? cookie = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return request;
    }

    private static HttpRequestMessage PostForm(string path, string cookie, Dictionary<string, string> form, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Cookie", cookie);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    [Fact]
    public async Task A_person_who_is_not_signed_in_is_sent_to_sign_in_and_brought_back_afterwards()
    {
        await using var app = Development();
        using var client = app.CreateClient();
        var response = await client.SendAsync(Get("/agency?year=2025"));
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        Assert.Equal("/signin?returnUrl=%2Fagency%3Fyear%3D2025", response.Headers.Location!.OriginalString);

        var signIn = await client.SendAsync(Get("/signin?returnUrl=%2Fagency"));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var html = await signIn.Content.ReadAsStringAsync();
        Assert.Contains("開発用のサインインです", html);
        Assert.Contains("value=\"/agency\"", html);

        // Never to another site, whatever the link says.
        Assert.Contains("value=\"/\"", await (await client.SendAsync(Get("/signin?returnUrl=https%3A%2F%2Fevil.example%2F"))).Content.ReadAsStringAsync());
        Assert.Contains("value=\"/\"", await (await client.SendAsync(Get("/signin?returnUrl=%2F%2Fevil.example"))).Content.ReadAsStringAsync());

        var cookie = await SignInAsync(app, "agency", "MEXT");
        var page = await client.SendAsync(Get("/agency", cookie));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("文部科学省（MEXT）が入力する指標です", await page.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Production", null)]
    [InlineData(null, null)]
    [InlineData("Development", "reporting-prod-a1b2")]
    public async Task The_development_sign_in_does_not_exist_outside_local_development(string? environment, string? appServiceInstance)
    {
        var settings = new Dictionary<string, string>();
        if (environment is not null) settings["AZURE_FUNCTIONS_ENVIRONMENT"] = environment;
        if (appServiceInstance is not null) settings["WEBSITE_INSTANCE_ID"] = appServiceInstance;
        await using var app = new ReportingApp(settings);
        await using var development = Development();
        var cookie = await SignInAsync(development, "admin");
        using var client = app.CreateClient();

        var page = await client.SendAsync(Get("/signin"));
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.DoesNotContain("開発用", await page.Content.ReadAsStringAsync());
        var post = new HttpRequestMessage(HttpMethod.Post, "/signin") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["role"] = "admin" }) };
        post.Headers.Add("Origin", Origin(app));
        var posted = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.False(posted.Headers.Contains("Set-Cookie"));

        // A development session (signed with the same key) is nobody here: not on the pages, not on the API.
        Assert.Equal(HttpStatusCode.SeeOther, (await client.SendAsync(Get("/manage/windows", cookie))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Get("/api/windows", cookie))).StatusCode);
    }

    [Fact]
    public async Task A_form_posted_from_another_site_is_refused_and_changes_nothing()
    {
        await using var app = Development();
        var cookie = await SignInAsync(app, "agency", "MEXT");
        using var client = app.CreateClient();
        var form = new Dictionary<string, string> { ["series"] = "total", ["year"] = "2025", ["value"] = "40", ["status"] = "final", ["etag"] = "" };

        foreach (var origin in new[] { "https://evil.example", null })
        {
            var refused = await client.SendAsync(PostForm("/agency/indicators/research-time-share", cookie, form, origin));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("別のサイトから送られた操作は受け付けません", await refused.Content.ReadAsStringAsync());
        }
        // The API's writes with the session from another site: refused too.
        var put = new HttpRequestMessage(HttpMethod.Put, "/api/indicators/research-time-share/values/2025") { Content = Body("""{"value": 40}""") };
        put.Headers.Add("Cookie", cookie);
        put.Headers.Add("Origin", "https://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(put)).StatusCode);
        Assert.Empty(await app.AllValueEntitiesAsync());

        var accepted = await client.SendAsync(PostForm("/agency/indicators/research-time-share", cookie, form, Origin(app)));
        Assert.Equal(HttpStatusCode.SeeOther, accepted.StatusCode);
        Assert.Equal("/agency/indicators/research-time-share?year=2025&saved=total", accepted.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_page_of_another_role_is_refused_in_Japanese()
    {
        await using var app = Development();
        using var client = app.CreateClient();
        var staff = await SignInAsync(app, "staff");
        var refused = await client.SendAsync(Get("/agency", staff));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("このページは開けません", await refused.Content.ReadAsStringAsync());
        var clerk = await SignInAsync(app, "agency", "CAO");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(Get("/manage/targets", clerk))).StatusCode);
        // Another agency's indicator: not theirs to open.
        var other = await client.SendAsync(Get("/agency/indicators/research-time-share", clerk));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Contains("MEXTの担当です", await other.Content.ReadAsStringAsync());
    }

    private static string Principal(params (string Type, string Value)[] claims) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        claims = claims.Select(c => new { typ = c.Type, val = c.Value }),
    })));

    [Fact]
    public async Task Behind_App_Service_Authentication_people_sign_in_there_and_its_principal_is_believed_on_the_pages_and_never_under_api()
    {
        await using var app = new ReportingApp(new Dictionary<string, string>
        {
            ["Auth:TrustAppServiceAuthentication"] = "true",
            ["Auth:AppServiceExcludedPaths"] = "/api/*",
        });
        using var client = app.CreateClient();
        var signIn = await client.SendAsync(Get("/signin?returnUrl=%2Fstaff"));
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fstaff", signIn.Headers.Location!.OriginalString);
        Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fstaff", (await client.SendAsync(Get("/staff"))).Headers.Location!.OriginalString);

        var principal = Principal(("name", "文科 花子"), ("http://schemas.microsoft.com/ws/2008/06/identity/claims/role", "agency.MEXT"));
        var page = Get("/agency");
        page.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        var answered = await client.SendAsync(page);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var html = await answered.Content.ReadAsStringAsync();
        Assert.Contains("文科 花子", html);
        Assert.Contains("/.auth/logout", html);

        // Easy Auth leaves /api alone: a principal header there is whatever a caller wrote, and is not believed.
        var api = Get("/api/indicators");
        api.Headers.Add("X-MS-CLIENT-PRINCIPAL", principal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(api)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.AsAgency("MEXT").GetAsync("/api/indicators")).StatusCode);
    }

    [Fact]
    public async Task Pages_are_self_contained_under_a_strict_policy_in_Japanese_and_never_kept_by_a_cache()
    {
        await using var app = Development();
        using var client = app.CreateClient();
        var cookie = await SignInAsync(app, "admin");
        foreach (var path in new[] { "/", "/signin", "/staff", "/staff/reports", "/manage/windows", "/manage/targets", "/manage/targets/top10-papers-rank" })
        {
            var response = await client.SendAsync(Get(path, cookie));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var html = await response.Content.ReadAsStringAsync();
            Assert.StartsWith("<!doctype html>\n<html lang=\"ja\">", html);
            // Nothing from elsewhere: every address in the page is this site's.
            Assert.DoesNotMatch("(src|href|action)=\"(https?:)?//", html);
            Assert.DoesNotContain("<script>", html);
            Assert.DoesNotContain("style=\"", html);
        }
        var css = await client.SendAsync(Get(Reporting.Infrastructure.Web.Assets.Url("ui.css")));
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", css.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get("/assets/nothing.js"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.SendAsync(Get("/favicon.ico"))).StatusCode);
    }

    [Fact]
    public async Task The_api_description_describes_the_api_and_no_page()
    {
        await using var app = Development();
        var document = await JsonOf(await app.As(null).GetAsync("/api/openapi.json"));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.StartsWith("/api/", p));
    }

    [Fact]
    public async Task Storage_that_stays_away_is_a_page_in_Japanese_saying_so_never_an_error_document()
    {
        var gate = new StorageGate();
        await using var app = new ReportingApp(new Dictionary<string, string> { ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development" }) { TestServices = gate.Register };
        var cookie = await SignInAsync(app, "agency", "MEXT");
        gate.Fail(m => m.Request.Uri.Path.Contains("IndicatorValues", StringComparison.Ordinal));
        using var client = app.CreateClient();
        var response = await client.SendAsync(Get("/agency", cookie));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("データの保存先に一時的に接続できません", html);
        Assert.DoesNotContain("Exception", html);
        Assert.DoesNotContain("Azure", html);
    }
}
