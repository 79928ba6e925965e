using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Reporting.Features.Submissions;
using Reporting.Features.Submissions.Pages;
using Reporting.Infrastructure;
using Reporting.Infrastructure.Web;

namespace Reporting.Features.Reports.Pages;

/// <summary>GET /staff/reports: generate a year's report; every report with its downloads and whether it is final.</summary>
public sealed class ReportsPageFunction(ReportStore store, SubmissionControls controls, TimeProvider clock)
{
    [Function("ReportsPage")]
    [Requires(Policy.Staff), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/reports")] HttpRequest request,
        string? year = null, string? generated = null, string? existing = null, string? published = null)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        var reports = await store.ListAsync(null, cancellationToken);
        Banner? banner = null;
        if (generated is not null && reports.FirstOrDefault(r => r.Id == generated) is { } made)
        {
            banner = new Banner(BannerKind.Success, "報告書を作成しました", Html.Of($"<p>{JapanTime.FiscalYearLabel(made.FiscalYear)}の報告書（{DeskText.Moment(made.CreatedAt)}、下書き）を作成しました。下の表からダウンロードできます。</p>"));
        }
        else if (existing is not null && reports.FirstOrDefault(r => r.Id == existing) is { } same)
        {
            banner = new Banner(BannerKind.Success, "データに変更はありません", Html.Of($"<p>{JapanTime.FiscalYearLabel(same.FiscalYear)}のデータは、{DeskText.Moment(same.CreatedAt)}に作成した報告書から変わっていないため、その報告書をそのまま使います。</p>"));
        }
        else if (published is not null && reports.FirstOrDefault(r => r.Id == published) is { } final)
        {
            banner = new Banner(BannerKind.Success, "確定版として公表しました", Html.Of($"<p>{JapanTime.FiscalYearLabel(final.FiscalYear)}の報告書を確定版にしました。{final.FiscalYear}年度の値はロックされ、府省は変更できません（管理者は理由を付して訂正できます）。</p>"));
        }
        var selected = FiscalYearRoute.TryParse(year ?? "", JapanTime.CurrentFiscalYear(clock), out var y) ? y : JapanTime.LatestCompletedFiscalYear(clock);
        var finals = await ReportViews.FinalsAsync(controls, reports, cancellationToken);
        return ReportViews.List(context, reports, finals, selected, JapanTime.CurrentFiscalYear(clock), banner, null, StatusCodes.Status200OK);
    }
}

/// <summary>POST /staff/reports: generates a year's report now (the same run as the API's and the timer's).</summary>
public sealed class GenerateReportFunction(ReportService reports, ReportStore store, SubmissionControls controls, TimeProvider clock)
{
    [Function("GenerateReport")]
    [Requires(Policy.Staff), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/reports")] HttpRequest request)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        var form = await request.ReadFormAsync(cancellationToken);
        var latest = JapanTime.CurrentFiscalYear(clock);
        if (!FiscalYearRoute.TryParse(Form.Field(form, "fiscalYear") ?? "", latest, out var year))
        {
            var all = await store.ListAsync(null, cancellationToken);
            var error = new FieldError("fiscalYear", "年度", $"2000年度から{latest}年度までの年度を選んでください。");
            // The list as the page shows it (which years are final), with the refusal beside the field.
            var finals = await ReportViews.FinalsAsync(controls, all, cancellationToken);
            return ReportViews.List(context, all, finals, JapanTime.LatestCompletedFiscalYear(clock), latest, null, error, StatusCodes.Status400BadRequest);
        }
        var (info, created) = await reports.GenerateAsync(year, "staff", cancellationToken);
        return WebPage.SeeOther($"/staff/reports?year={year}&{(created ? "generated" : "existing")}={Uri.EscapeDataString(info.Id)}");
    }
}

/// <summary>GET /staff/reports/{fiscalYear}/publish?id=: what publishing a draft does, to confirm.</summary>
public sealed class PublishReportPageFunction(ReportStore store)
{
    [Function("PublishReportPage")]
    [Requires(Policy.Staff), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/reports/{fiscalYear}/publish")] HttpRequest request,
        string fiscalYear, string? id = null)
    {
        var context = request.HttpContext;
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out var year) || id is null || !ReportStore.IsValidId(id)
            || await store.FindAsync(year, id, context.RequestAborted) is not { } report)
        {
            return WebPage.Message(context, StatusCodes.Status404NotFound, "報告書が見つかりません", "公表する報告書を一覧から選んでください。", Html.Raw("<p><a href=\"/staff/reports\">報告書の一覧へ</a></p>"));
        }
        return ReportViews.Confirm(context, report, null, StatusCodes.Status200OK);
    }
}

/// <summary>POST /staff/reports/{fiscalYear}/publish: the draft becomes the year's final report (<see cref="PublishReport"/>).</summary>
public sealed class PublishReportFormFunction(PublishReport publish, ReportStore store)
{
    [Function("PublishReportForm")]
    [Requires(Policy.Staff), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "staff/reports/{fiscalYear}/publish")] HttpRequest request, string fiscalYear)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        var form = await request.ReadFormAsync(cancellationToken);
        var id = Form.Field(form, "id");
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out var year) || id is null || !ReportStore.IsValidId(id))
        {
            return WebPage.Message(context, StatusCodes.Status404NotFound, "報告書が見つかりません", "公表する報告書を一覧から選んでください。", Html.Raw("<p><a href=\"/staff/reports\">報告書の一覧へ</a></p>"));
        }
        var published = await publish.PublishAsync(year, id, context.User.Who(), cancellationToken);
        if (!published.IsRefused) return WebPage.SeeOther($"/staff/reports?year={year}&published={Uri.EscapeDataString(id)}");
        var refusal = published.Refusal!;
        if (await store.FindAsync(year, id, cancellationToken) is not { } report)
        {
            return WebPage.Message(context, Problems.StatusOf(refusal.Kind), refusal.Title.Japanese, refusal.Detail.Japanese, Html.Raw("<p><a href=\"/staff/reports\">報告書の一覧へ</a></p>"));
        }
        return ReportViews.Confirm(context, report, new Banner(BannerKind.Problem, "公表できませんでした", Html.Of($"<p>{refusal.Detail.Japanese}</p>")), Problems.StatusOf(refusal.Kind));
    }
}

/// <summary>
/// GET /staff/reports/{fiscalYear}/file?id=&amp;format=: a report's file for someone signed in to the web interface — the
/// same use case and answer as the API's download, under the interface's own path (App Service Authentication signs
/// people in on the pages; the API under /api takes bearer tokens).
/// </summary>
public sealed class ReportFilePageFunction(DownloadReport download)
{
    [Function("ReportFile")]
    [Requires(Policy.Staff), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff/reports/{fiscalYear}/file")] HttpRequest request,
        string fiscalYear, string? id = null, string? format = null)
    {
        var context = request.HttpContext;
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out var year) || id is null || !ReportStore.IsValidId(id)
            || !Enum.TryParse<ReportFormat>(format ?? "pdf", ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || !(format ?? "pdf").All(char.IsAsciiLetter))
        {
            return WebPage.Message(context, StatusCodes.Status404NotFound, "ファイルが見つかりません", "報告書の一覧からダウンロードしてください。", Html.Raw("<p><a href=\"/staff/reports\">報告書の一覧へ</a></p>"));
        }
        var opened = await download.OpenAsync(year, id, parsed, context.RequestAborted);
        if (opened.IsRefused)
        {
            return WebPage.Message(context, Problems.StatusOf(opened.Refusal!.Kind), opened.Refusal.Title.Japanese, opened.Refusal.Detail.Japanese,
                Html.Raw("<p><a href=\"/staff/reports\">報告書の一覧へ</a></p>"));
        }
        return opened.Value.AsResult(context);
    }
}

internal static class ReportViews
{
    /// <summary>Each year's publication lock (a final report, or one being published), for the years that have reports.</summary>
    public static async Task<Dictionary<int, YearLock?>> FinalsAsync(SubmissionControls controls, IReadOnlyList<ReportInfo> reports, CancellationToken cancellationToken)
    {
        var finals = new Dictionary<int, YearLock?>();
        foreach (var fy in reports.Select(r => r.FiscalYear).Distinct())
        {
            finals[fy] = await controls.GetLockAsync(fy, cancellationToken);
        }
        return finals;
    }

    private static Html Downloads(ReportInfo r)
    {
        var label = $"{JapanTime.FiscalYearLabel(r.FiscalYear)}、{DeskText.Moment(r.CreatedAt)}";
        Html Link(string format, string text) => Html.Of($"<li><a href=\"/staff/reports/{r.FiscalYear}/file?id={r.Id}&amp;format={format}\">{text}<span class=\"visually-hidden\">（{label}）</span></a></li>");
        return Html.Of($"""<ul class="plain">{Link("pdf", "PDF")}{Html.When(r.HtmlPath is not null, Link("html", "HTML版"))}{Link("csv", "CSV（総括表）")}{Link("json", "JSON（総括表）")}</ul>""");
    }

    public static IResult List(HttpContext context, IReadOnlyList<ReportInfo> reports, IReadOnlyDictionary<int, YearLock?> locks, int selected, int latest,
        Banner? banner, FieldError? error, int status)
    {
        var years = Enumerable.Range(latest - 5, 6).OrderDescending().ToList();
        var rows = reports.OrderByDescending(r => r.FiscalYear).ThenByDescending(r => r.CreatedAt).Select(r =>
        {
            var isLatestOfYear = reports.Where(o => o.FiscalYear == r.FiscalYear).MaxBy(o => o.CreatedAt) == r;
            var yearLock = locks.GetValueOrDefault(r.FiscalYear);
            var action = r.Status == ReportStatus.Final
                ? Html.Raw("<span class=\"muted\">—</span>")
                : yearLock is null && isLatestOfYear
                    ? Html.Of($"<a href=\"/staff/reports/{r.FiscalYear}/publish?id={r.Id}\">確定版として公表する<span class=\"visually-hidden\">（{JapanTime.FiscalYearLabel(r.FiscalYear)}、{DeskText.Moment(r.CreatedAt)}）</span></a>")
                    : Html.Raw("<span class=\"muted\">（新しい報告書があります）</span>");
            return Html.Of($"""
                <tr>
                <th scope="row">{JapanTime.FiscalYearLabel(r.FiscalYear)}</th>
                <td class="nowrap">{DeskText.Moment(r.CreatedAt)}</td>
                <td>{(r.Status == ReportStatus.Final
                    ? Html.Of($"<span class=\"tag tag--final\">確定版</span><br><span class=\"muted\">{(r.PublishedAt is { } at ? DeskText.Moment(at) : "")} {r.PublishedBy}</span>")
                    : Html.Raw("<span class=\"tag tag--provisional\">下書き</span>"))}</td>
                <td>{Trigger(r.Trigger)}</td>
                <td>{Downloads(r)}</td>
                <td>{action}</td>
                </tr>
                """);
        }).ToList();
        var content = Html.Of($"""
            <h2>報告書を作成する</h2>
            <form method="post" action="/staff/reports" class="panel" novalidate>
            {Form.Select("fiscalYear", "fiscalYear", "年度", years.Select(y => new Form.Choice(y.ToString(CultureInfo.InvariantCulture), JapanTime.FiscalYearLabel(y))).ToList(),
                selected.ToString(CultureInfo.InvariantCulture), hint: "いまのデータで報告書（PDF・HTML版・CSV・JSON）を作成します。前回からデータが変わっていなければ、前回の報告書をそのまま使います。", error: error?.Message)}
            <div class="actions"><button type="submit" class="button">作成する</button></div>
            </form>
            <h2>作成済みの報告書</h2>
            {(rows.Count == 0 ? Html.Raw("<p>まだ報告書はありません。</p>") : Html.Of($"""
            <div class="table-scroll" role="region" aria-labelledby="reports-caption" tabindex="0">
            <table>
            <caption id="reports-caption">作成済みの報告書（新しい順、{rows.Count}件）</caption>
            <thead><tr><th scope="col">年度</th><th scope="col">作成日時</th><th scope="col">状態</th><th scope="col">作成のきっかけ</th><th scope="col">ダウンロード</th><th scope="col">公表</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            </div>
            """))}
            """);
        return WebPage.Render(context, "報告書", content, status, banner, error is null ? null : [error]);
    }

    private static string Trigger(string trigger) => trigger switch
    {
        "staff" => "事務局が作成",
        "timer" => "定期作成",
        "timer (past due)" => "定期作成（遅延分）",
        _ => trigger,
    };

    public static IResult Confirm(HttpContext context, ReportInfo report, Banner? banner, int status)
    {
        var label = JapanTime.FiscalYearLabel(report.FiscalYear);
        var content = Html.Of($"""
            <dl class="summary-list">
            <dt>報告書</dt><dd>{label}（{DeskText.Moment(report.CreatedAt)}に作成）</dd>
            <dt>ダウンロード</dt><dd>{Downloads(report)}</dd>
            </dl>
            <h2>公表すると、次のようになります</h2>
            <ul>
            <li>この報告書が{label}の<strong>確定版</strong>になります。</li>
            <li>{report.FiscalYear}年度の値は<strong>ロック</strong>され、府省は入力・修正できなくなります。管理者だけが、理由を付けて訂正できます。</li>
            <li>この報告書を作成した後にデータが変わっていた場合は公表されません。その場合は報告書を作成し直してから公表してください。</li>
            <li>公表は取り消せません。</li>
            </ul>
            <form method="post" action="/staff/reports/{report.FiscalYear}/publish" class="actions">
            {Form.Hidden("id", report.Id)}
            <button type="submit" class="button button--danger">確定版として公表する</button>
            <a class="button button--secondary" href="/staff/reports?year={report.FiscalYear}">やめる</a>
            </form>
            """);
        return WebPage.Render(context, $"{label}の報告書を公表する", content, status, banner);
    }
}
