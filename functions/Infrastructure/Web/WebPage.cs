using System.Security.Claims;
using System.Text;

namespace Reporting.Infrastructure.Web;

/// <summary>Who is looking at a page, as the page greets them and decides what to offer.</summary>
public sealed record Viewer(string Name, string? AgencyCode, bool IsStaff, bool IsAdmin)
{
    public bool IsAgency => AgencyCode is not null;

    public string RoleLabel => IsAdmin ? "管理者" : IsStaff ? "事務局" : IsAgency ? $"入力担当（{AgencyCode}）" : "権限なし";

    public static Viewer? Of(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var admin = user.IsInRole(Roles.Admin);
        var staff = admin || user.IsInRole(Roles.Staff);
        var agency = user.IsAgency() ? user.AgencyCode() : null;
        return new Viewer(user.FindFirst("name")?.Value ?? user.Who(), agency, staff, admin);
    }
}

/// <summary>How a banner at the top of a page reads: what happened, in its colour and with its role for screen readers.</summary>
public enum BannerKind
{
    /// <summary>Something was done (saved, generated, published): a status message.</summary>
    Success,
    /// <summary>Something needs attention but nothing failed (a closed window, a locked year).</summary>
    Notice,
    /// <summary>What was asked was not done: an alert.</summary>
    Problem,
}

public sealed record Banner(BannerKind Kind, string Title, Html Body);

/// <summary>A field whose input was refused: the summary at the top links to it, the field shows the message beside it.</summary>
public sealed record FieldError(string InputId, string Label, string Message);

/// <summary>
/// The web interface's pages: one layout (site name, who is signed in, the menu of their role, the page's banner and
/// error summary, its content), served self-contained under a strict Content-Security-Policy — the style sheet and the
/// script of this app, nothing from elsewhere, no inline script or style.
/// </summary>
public static class WebPage
{
    public const string SiteName = "第7期基本計画 指標フォローアップ";

    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private sealed record MenuItem(string Path, string Label, Func<Viewer, bool> Shown);

    private static readonly MenuItem[] Menu =
    [
        new("/agency", "値の入力", v => v.IsAgency),
        new("/agency/import", "ファイルで取込", v => v.IsAgency),
        new("/staff", "提出状況と進捗", v => v.IsStaff),
        new("/staff/reports", "報告書", v => v.IsStaff),
        new("/manage/windows", "入力期間", v => v.IsAdmin),
        new("/manage/targets", "目標", v => v.IsAdmin),
    ];

    /// <summary>A page: <paramref name="title"/> is its heading and (after any error) its document title.</summary>
    public static IResult Render(HttpContext context, string title, Html content, int status = StatusCodes.Status200OK, Banner? banner = null,
        IReadOnlyList<FieldError>? errors = null, string? heading = null) =>
        new PageResult(Layout(context, title, content, banner, errors ?? [], heading ?? title), status);

    /// <summary>A page that only says why something cannot be shown (403, 404, 429, 503).</summary>
    public static IResult Message(HttpContext context, int status, string title, string message, Html? more = null) =>
        Render(context, title, Html.Of($"<p>{message}</p>{more}"), status);

    private static string Layout(HttpContext context, string title, Html content, Banner? banner, IReadOnlyList<FieldError> errors, string heading)
    {
        var viewer = Viewer.Of(context.User);
        var signIn = context.RequestServices.GetRequiredService<SignInOptions>();
        var path = context.Request.Path.Value ?? "/";
        var menu = viewer is null ? [] : Menu.Where(m => m.Shown(viewer)).ToList();
        var current = menu.Where(m => path == m.Path || path.StartsWith(m.Path + "/", StringComparison.Ordinal))
            .OrderByDescending(m => m.Path.Length).FirstOrDefault();
        var nav = menu.Count == 0 ? Html.Empty : Html.Of($"""
            <nav class="site-nav" aria-label="メインメニュー"><ul>{menu.Select(m => m == current
                ? Html.Of($"<li><a href=\"{m.Path}\" aria-current=\"page\">{m.Label}</a></li>")
                : Html.Of($"<li><a href=\"{m.Path}\">{m.Label}</a></li>"))}</ul></nav>
            """);
        var who = viewer is null
            ? Html.Of($"<a class=\"button button--secondary\" href=\"{signIn.SignInUrl(path)}\">サインイン</a>")
            : Html.Of($"""<p class="who"><span class="who__name">{viewer.Name}</span> <span class="who__role">{viewer.RoleLabel}</span></p>{SignOut(signIn)}""");
        var summary = errors.Count == 0 ? Html.Empty : Html.Of($"""
            <div class="error-summary" role="alert" tabindex="-1" data-autofocus aria-labelledby="error-summary-title">
            <h2 id="error-summary-title">入力内容を確認してください（{errors.Count}件）</h2>
            <ul>{errors.Select(e => Html.Of($"<li><a href=\"#{e.InputId}\">{e.Label}: {e.Message}</a></li>"))}</ul>
            </div>
            """);
        var bannerHtml = banner is null ? Html.Empty : Html.Of($"""
            <div class="banner banner--{banner.Kind.ToString().ToLowerInvariant()}" role="{(banner.Kind == BannerKind.Problem ? "alert" : "status")}" tabindex="-1"{Html.When(errors.Count == 0, Html.Raw(" data-autofocus"))} aria-labelledby="banner-title">
            <h2 class="banner__title" id="banner-title">{banner.Title}</h2>{banner.Body}
            </div>
            """);
        var documentTitle = (errors.Count > 0 || banner?.Kind == BannerKind.Problem ? "エラー: " : "") + title + " | " + SiteName;
        return "<!doctype html>\n" + Html.Of($"""
            <html lang="ja">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{documentTitle}</title>
            <link rel="stylesheet" href="{Assets.Url("ui.css")}">
            <link rel="icon" href="{Assets.Url("favicon.svg")}" type="image/svg+xml">
            <script src="{Assets.Url("ui.js")}" defer></script>
            </head>
            <body>
            <a class="skip-link" href="#main">本文へ移動</a>
            <header class="site-header">
            <div class="site-header__inner">
            <p class="site-name"><a href="/">第7期科学技術・イノベーション基本計画<span class="site-name__sub">指標フォローアップ</span></a></p>
            <div class="site-header__who">{who}</div>
            </div>
            {nav}
            </header>
            <main id="main" class="main" tabindex="-1">
            {bannerHtml}{summary}
            <h1>{heading}</h1>
            {content}
            </main>
            <footer class="site-footer">
            <p>第7期科学技術・イノベーション基本計画（令和8〜12年度）の主要指標のフォローアップのためのシステムです。プログラムからは <a href="/api/openapi.json">API（OpenAPI）</a> で利用できます。</p>
            </footer>
            </body>
            </html>
            """);
    }

    private static Html SignOut(SignInOptions signIn) => signIn.Mode == SignInMode.AppService
        ? Html.Of($"<a class=\"button button--secondary\" href=\"/.auth/logout?post_logout_redirect_uri=%2F\">サインアウト</a>")
        : Html.Raw("<form method=\"post\" action=\"/signout\" class=\"inline-form\"><button type=\"submit\" class=\"button button--secondary\">サインアウト</button></form>");

    /// <summary>Redirects a browser after a form was handled (303: the next request is a GET).</summary>
    public static IResult SeeOther(string location) => new SeeOtherResult(location);

    private sealed class SeeOtherResult(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            httpContext.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        }
    }

    private sealed class PageResult(string html, int status) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "text/html; charset=utf-8";
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.ContentLanguage = "ja";
            // What a page shows is the caller's own (their agency's values, drafts): never kept by a cache.
            response.Headers.CacheControl = "no-store";
            response.Headers["Referrer-Policy"] = "same-origin";
            response.Headers["X-Frame-Options"] = "DENY";
            var bytes = Encoding.UTF8.GetBytes(html);
            response.ContentLength = bytes.Length;
            await response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }
}

/// <summary>
/// A function that serves a page of the web interface, not the API: a caller who is not signed in is sent to sign in, a
/// refusal is a page in Japanese, and the API description leaves it out.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class WebPageAttribute : Attribute;
