using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Reporting.Features.Indicators;
using Reporting.Infrastructure;
using Reporting.Infrastructure.Web;

namespace Reporting.Features.Home;

/// <summary>GET /: what the system is for, and the tasks of the signed-in person's role.</summary>
public sealed class HomePageFunction(SignInOptions signIn)
{
    [Function("HomePage")]
    [AllowAnonymous, WebPage]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{ignored:maxlength(0)?}")] HttpRequest request)
    {
        var viewer = Viewer.Of(request.HttpContext.User);
        Html content;
        if (viewer is null)
        {
            content = Html.Of($"""
                <p class="lead">第7期科学技術・イノベーション基本計画の主要指標（別紙の18指標）について、各府省が毎年の値を入力し、事務局が提出状況と進捗を確認して、年次のフォローアップ報告書を作成します。</p>
                {(signIn.Mode == SignInMode.None
                    ? Html.Raw("<div class=\"banner banner--notice\" role=\"status\"><h2 class=\"banner__title\">サインインできません</h2><p>この環境ではサインインが構成されていません。システムの管理者に連絡してください。</p></div>")
                    : Html.Of($"<p><a class=\"button\" href=\"{signIn.SignInUrl("/")}\">サインインする</a></p><p class=\"muted\">府省・事務局の Microsoft Entra ID のアカウントでサインインします。</p>"))}
                """);
        }
        else
        {
            var tasks = new List<Html>();
            if (viewer.IsAgency)
            {
                tasks.Add(Card("/agency", "値の入力", "担当する指標の値を、年度ごとに1件ずつ入力・修正します。入力期間と締切日もここで確認できます。"));
                tasks.Add(Card("/agency/import", "ファイルで取込", "Excel などで作った CSV ファイルの値を、内容を確認してからまとめて登録します。"));
            }
            if (viewer.IsStaff)
            {
                tasks.Add(Card("/staff", "提出状況と進捗", "府省ごと・指標ごとの提出状況（未提出、速報値、要確認）と、報告書と同じ計算による進捗の評価を確認します。"));
                tasks.Add(Card("/staff/reports", "報告書", "年次報告書を作成し、PDF・HTML版・CSV・JSON をダウンロードします。確定版として公表することもできます。"));
            }
            if (viewer.IsAdmin)
            {
                tasks.Add(Card("/manage/windows", "入力期間", "年度ごとに、府省が値を入力できる期間を設定します。"));
                tasks.Add(Card("/manage/targets", "目標", "指標の目標（値と年）を設定・変更します。"));
            }
            content = tasks.Count == 0
                ? Html.Raw("<p>サインインしているアカウントには、このシステムの役割（入力担当・事務局・管理者）が割り当てられていません。システムの管理者に連絡してください。</p>")
                : Html.Of($"<p class=\"lead\">{viewer.Name} さん（{viewer.RoleLabel}）の作業です。</p><ul class=\"cards\">{tasks}</ul>");
        }
        return WebPage.Render(request.HttpContext, "指標フォローアップ", content);
    }

    private static Html Card(string path, string title, string text) =>
        Html.Of($"<li class=\"card\"><h2><a href=\"{path}\">{title}</a></h2><p>{text}</p></li>");
}

/// <summary>
/// GET /signin: sign in. Behind App Service Authentication, its Entra ID sign-in; in local development, a choice of
/// role and agency; elsewhere, a page saying sign-in is not configured.
/// </summary>
public sealed class SignInPageFunction(SignInOptions signIn, IndicatorStore catalog)
{
    [Function("SignInPage")]
    [AllowAnonymous, WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "signin")] HttpRequest request, string? returnUrl = null)
    {
        var back = SignInOptions.LocalPath(returnUrl);
        switch (signIn.Mode)
        {
            case SignInMode.AppService:
                return WebPage.SeeOther(signIn.SignInUrl(back));
            case SignInMode.None:
                return WebPage.Message(request.HttpContext, StatusCodes.Status404NotFound, "サインインできません",
                    "この環境ではサインインが構成されていません。システムの管理者に連絡してください。");
        }
        var agencies = await catalog.ListAgenciesAsync(request.HttpContext.RequestAborted);
        return DevelopmentSignIn.Form(request.HttpContext, agencies, back, null, null, null);
    }
}

/// <summary>POST /signin: the development sign-in (only where it exists; 404 elsewhere).</summary>
public sealed class SignInFunction(SignInOptions signIn, IndicatorStore catalog, IOptions<AuthOptions> auth)
{
    [Function("SignIn")]
    [AllowAnonymous, WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signin")] HttpRequest request)
    {
        if (signIn.Mode != SignInMode.Development)
        {
            return WebPage.Message(request.HttpContext, StatusCodes.Status404NotFound, "見つかりません", "このページはありません。");
        }
        var cancellationToken = request.HttpContext.RequestAborted;
        var form = await request.ReadFormAsync(cancellationToken);
        var back = SignInOptions.LocalPath(Form.Field(form, "returnUrl"));
        var role = Form.Field(form, "role");
        var agencyCode = Form.Field(form, "agency");
        var name = Form.Field(form, "name") ?? "開発用ユーザー";
        var agencies = await catalog.ListAgenciesAsync(cancellationToken);
        var errors = new List<FieldError>();
        if (role is not (Roles.Agency or Roles.Staff or Roles.Admin)) errors.Add(new("role", "役割", "役割を選んでください。"));
        if (role == Roles.Agency && !agencies.Any(a => a.Code == agencyCode)) errors.Add(new("agency", "府省", "府省を選んでください。"));
        if (name.Length > 40) errors.Add(new("name", "表示名", "表示名は40文字以内で入力してください。"));
        if (errors.Count > 0) return DevelopmentSignIn.Form(request.HttpContext, agencies, back, role, agencyCode, errors);

        // A session's lifetime is wall-clock time, as the token validation reads it (not the app's clock of record).
        var token = DevelopmentSessionHandler.Issue(auth.Value, name, role!, role == Roles.Agency ? agencyCode : null, DateTimeOffset.UtcNow);
        request.HttpContext.Response.Cookies.Append(DevelopmentSessionHandler.Cookie, token, new CookieOptions
        {
            HttpOnly = true,
            Secure = request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = "/",
            MaxAge = DevelopmentSessionHandler.Lifetime,
        });
        return WebPage.SeeOther(back);
    }
}

/// <summary>POST /signout: ends the development session (App Service Authentication signs out at /.auth/logout).</summary>
public sealed class SignOutFunction(SignInOptions signIn)
{
    [Function("SignOut")]
    [AllowAnonymous, WebPage]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "signout")] HttpRequest request)
    {
        if (signIn.Mode == SignInMode.AppService) return WebPage.SeeOther("/.auth/logout?post_logout_redirect_uri=%2F");
        request.HttpContext.Response.Cookies.Delete(DevelopmentSessionHandler.Cookie, new CookieOptions { Path = "/" });
        return WebPage.SeeOther("/");
    }
}

/// <summary>The development sign-in form.</summary>
internal static class DevelopmentSignIn
{
    public static IResult Form(HttpContext context, IReadOnlyList<Agency> agencies, string returnUrl, string? role, string? agency, IReadOnlyList<FieldError>? errors)
    {
        string? ErrorOf(string id) => errors?.FirstOrDefault(e => e.InputId == id)?.Message;
        var content = Html.Of($"""
            <div class="banner banner--notice" role="note"><h2 class="banner__title">開発用のサインインです</h2><p>役割と府省を選んでサインインします。Azure 上ではこの画面はなく、Microsoft Entra ID のアカウントでサインインします。</p></div>
            <form method="post" action="/signin" class="panel">
            {Infrastructure.Web.Form.Hidden("returnUrl", returnUrl)}
            {Infrastructure.Web.Form.Radios("role", "role", "役割", [new(Roles.Agency, "入力担当（府省）"), new(Roles.Staff, "事務局"), new(Roles.Admin, "管理者")], role ?? Roles.Agency, error: ErrorOf("role"), required: true)}
            <div data-shown-for="role=agency">
            {Infrastructure.Web.Form.Select("agency", "agency", "府省", agencies.Select(a => new Infrastructure.Web.Form.Choice(a.Code, $"{a.Name}（{a.Code}）")).ToList(), agency ?? "MEXT", hint: "入力担当を選んだときに使います。", error: ErrorOf("agency"))}
            </div>
            {Infrastructure.Web.Form.Text("name", "name", "表示名", null, hint: "値の履歴に入力者として記録されます（省略時は「開発用ユーザー」）。", error: ErrorOf("name"), autocomplete: "name")}
            <div class="actions"><button type="submit" class="button">サインインする</button></div>
            </form>
            """);
        return WebPage.Render(context, "サインイン", content, errors is { Count: > 0 } ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, errors: errors);
    }
}

/// <summary>GET /assets/{name}: the web interface's style sheet, script and icon.</summary>
public sealed class AssetFunction
{
    [Function("Asset")]
    [AllowAnonymous, NotRateLimited]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "assets/{name}")] HttpRequest request, string name)
    {
        if (Assets.Find(name) is not { } asset) return Results.NotFound();
        // Addressed by its fingerprint: a browser keeps it as long as it likes (another fingerprint is another file).
        request.HttpContext.Response.Headers.CacheControl = request.Query["v"] == asset.Fingerprint ? "public, max-age=31536000, immutable" : "no-cache";
        request.HttpContext.Response.Headers.ETag = $"\"{asset.Fingerprint}\"";
        return Results.Bytes(asset.Content, asset.ContentType);
    }
}
