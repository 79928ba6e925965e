using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Reporting.Infrastructure;
using Reporting.Infrastructure.Web;

namespace Reporting.Features.Submissions.Pages;

/// <summary>GET /manage/windows: every fiscal year's submission window, and a form to set one.</summary>
public sealed class WindowsPageFunction(SubmissionControls controls, TimeProvider clock)
{
    [Function("WindowsPage")]
    [Requires(Policy.Admin), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/windows")] HttpRequest request, string? saved = null)
    {
        var windows = await controls.ListWindowsAsync(request.HttpContext.RequestAborted);
        Banner? banner = null;
        if (saved is not null && windows.FirstOrDefault(w => w.FiscalYear.ToString(CultureInfo.InvariantCulture) == saved) is { } window)
        {
            banner = new Banner(BannerKind.Success, "入力期間を設定しました",
                Html.Of($"<p>{JapanTime.FiscalYearLabel(window.FiscalYear)}の値は、{JapanTime.DayLabel(window.OpensOn)}から{JapanTime.DayLabel(window.ClosesOn)}まで受け付けます。</p>"));
        }
        return WindowViews.Render(request.HttpContext, windows, clock, WindowForm.Default(clock), banner, StatusCodes.Status200OK);
    }
}

/// <summary>POST /manage/windows: sets a fiscal year's window through <see cref="SetWindow"/>, as PUT /api/windows/{fiscalYear} does.</summary>
public sealed class SaveWindowFunction(SetWindow setWindow, SubmissionControls controls, TimeProvider clock)
{
    [Function("SaveWindow")]
    [Requires(Policy.Admin), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/windows")] HttpRequest request)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        var form = await request.ReadFormAsync(cancellationToken);
        var sent = new WindowForm(Form.Field(form, "fiscalYear"), Form.Field(form, "opensOn"), Form.Field(form, "closesOn"));
        var errors = new List<FieldError>();
        DateOnly? Date(string field, string? raw, string label)
        {
            if (raw is null) return null;
            if (DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
            errors.Add(new FieldError(field, label, $"{label}は 2026-04-01 のように年-月-日で入力してください。"));
            return null;
        }
        var opens = Date("opensOn", sent.OpensOn, "受付開始日");
        var closes = Date("closesOn", sent.ClosesOn, "締切日");
        if (errors.Count == 0)
        {
            var set = await setWindow.SetAsync(sent.FiscalYear ?? "", opens, closes, context.User.Who(), cancellationToken);
            if (!set.IsRefused) return WebPage.SeeOther($"/manage/windows?saved={set.Value.FiscalYear}");
            var labels = new Dictionary<string, string> { ["fiscalYear"] = "年度", ["opensOn"] = "受付開始日", ["closesOn"] = "締切日" };
            errors.AddRange(set.Refusal!.Messages.Select(m => new FieldError(m.Field, labels.GetValueOrDefault(m.Field, m.Field), m.Message.Japanese)));
        }
        var windows = await controls.ListWindowsAsync(cancellationToken);
        return WindowViews.Render(context, windows, clock, sent, null, StatusCodes.Status400BadRequest, errors);
    }
}

/// <summary>The window form as sent, or as first shown (the next fiscal year's usual window).</summary>
public sealed record WindowForm(string? FiscalYear, string? OpensOn, string? ClosesOn)
{
    /// <summary>The latest completed fiscal year, collected from April to June of the year after (as most offices do).</summary>
    public static WindowForm Default(TimeProvider clock)
    {
        var year = JapanTime.LatestCompletedFiscalYear(clock);
        return new(year.ToString(CultureInfo.InvariantCulture), $"{year + 1}-04-01", $"{year + 1}-06-30");
    }
}

internal static class WindowViews
{
    public static IResult Render(HttpContext context, IReadOnlyList<SubmissionWindow> windows, TimeProvider clock, WindowForm form, Banner? banner, int status,
        IReadOnlyList<FieldError>? errors = null)
    {
        string? ErrorOf(string id) => errors?.FirstOrDefault(e => e.InputId == id)?.Message;
        var now = clock.GetUtcNow();
        var rows = windows.OrderByDescending(w => w.FiscalYear).Select(w =>
        {
            var state = YearStatus.Of(w.FiscalYear, w, null, now);
            var tag = state.State switch
            {
                WindowState.Open => Html.Of($"<span class=\"tag tag--open\">受付中（あと{state.DaysLeft}日）</span>"),
                WindowState.NotYetOpen => Html.Raw("<span class=\"tag tag--closed\">受付前</span>"),
                _ => Html.Raw("<span class=\"tag tag--closed\">終了</span>"),
            };
            return Html.Of($"""
                <tr><th scope="row">{JapanTime.FiscalYearLabel(w.FiscalYear)}</th><td>{JapanTime.DayLabel(w.OpensOn)}</td><td>{JapanTime.DayLabel(w.ClosesOn)}</td><td>{tag}</td><td>{w.SetBy}<br><span class="muted">{DeskText.Moment(w.SetAt)}</span></td></tr>
                """);
        }).ToList();
        var content = Html.Of($"""
            <p class="lead">府省が値を入力できる期間を、値の年度ごとに設定します（日本時間、初日と最終日を含む）。期間を設定していない年度は、いつでも入力できます。期間外でも、管理者は理由を付けて値を訂正できます。</p>
            <h2>入力期間を設定する</h2>
            <form method="post" action="/manage/windows" class="panel" novalidate>
            {Form.Text("fiscalYear", "fiscalYear", "年度", form.FiscalYear, hint: "値の年度（例: 2025 は令和7年度の値）。すでに期間があれば置き換えます。", error: ErrorOf("fiscalYear"), required: true, css: "year", inputMode: "numeric")}
            {Form.Date("opensOn", "opensOn", "受付開始日", DateOnly.TryParse(form.OpensOn, CultureInfo.InvariantCulture, out var o) ? o : null, error: ErrorOf("opensOn"), required: true)}
            {Form.Date("closesOn", "closesOn", "締切日", DateOnly.TryParse(form.ClosesOn, CultureInfo.InvariantCulture, out var c) ? c : null, error: ErrorOf("closesOn"), required: true)}
            <div class="actions"><button type="submit" class="button">設定する</button></div>
            </form>
            <h2>設定済みの入力期間</h2>
            {(rows.Count == 0 ? Html.Raw("<p>まだ入力期間は設定されていません。</p>") : Html.Of($"""
            <div class="table-scroll" role="region" aria-labelledby="windows-caption" tabindex="0">
            <table>
            <caption id="windows-caption">年度ごとの入力期間（{rows.Count}件）</caption>
            <thead><tr><th scope="col">年度</th><th scope="col">受付開始日</th><th scope="col">締切日</th><th scope="col">状態</th><th scope="col">設定者</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            </div>
            """))}
            """);
        return WebPage.Render(context, "入力期間", content, status, banner, errors);
    }
}
