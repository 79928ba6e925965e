using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Reporting.Features.Completeness;
using Reporting.Features.Reports;
using Reporting.Infrastructure;
using Reporting.Infrastructure.Web;

namespace Reporting.Features.Progress.Pages;

/// <summary>
/// GET /staff[?year=]: for the year's report, what each agency has submitted (submitted, missing, provisional, flagged
/// and why) and the progress of every indicator — computed from the data now exactly as a report generated now
/// would print it (the same snapshot and the same summary rows as the report's CSV and JSON).
/// </summary>
public sealed class StaffOverviewPageFunction(ReportService reports, TimeProvider clock)
{
    [Function("StaffOverviewPage")]
    [Requires(Policy.Staff), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "staff")] HttpRequest request, string? year = null)
    {
        var latest = JapanTime.CurrentFiscalYear(clock);
        var chosen = FiscalYearRoute.TryParse(year ?? "", latest, out var y) ? y : JapanTime.LatestCompletedFiscalYear(clock);
        var snapshot = await reports.BuildSnapshotAsync(chosen, "preview", request.HttpContext.RequestAborted);
        return StaffOverviewView.Render(request.HttpContext, snapshot, Enumerable.Range(latest - 5, 6).OrderDescending().ToList());
    }
}

internal static class StaffOverviewView
{
    private static string Years(IReadOnlyList<int> years) => years.Count == 0 ? "—" : string.Join("、", years);

    public static IResult Render(HttpContext context, ReportSnapshot snapshot, IReadOnlyList<int> years)
    {
        var year = snapshot.FiscalYear;
        var completeness = ReportFigures.Completeness(snapshot);
        var summary = ReportSummary.Rows(snapshot);
        var agencyRows = completeness.Agencies.Select(a => Html.Of($"""
            <tr><th scope="row">{snapshot.AgencyName(a.Agency)}（{a.Agency}）</th><td class="number">{a.Expected}</td><td class="number">{a.Submitted}</td>
            <td class="number">{(a.Missing > 0 ? Html.Of($"<span class=\"tag tag--missing\">{a.Missing}</span>") : Html.Raw("0"))}</td>
            <td class="number">{a.Provisional}</td><td class="number">{a.Revised}</td><td class="number">{a.Flagged}</td></tr>
            """));
        var indicatorRows = completeness.Indicators.SelectMany(i => i.Series.Select((s, n) => Html.Of($"""
            <tr>
            {(n == 0 ? Html.Of($"<th scope=\"row\" rowspan=\"{i.Series.Count}\">{i.Order}. {i.Name}</th><td rowspan=\"{i.Series.Count}\" class=\"nowrap\">{snapshot.AgencyName(i.Agency)}</td>") : Html.Empty)}
            <td>{(i.Series.Count > 1 ? s.SeriesName : "—")}</td>
            <td>{(s.Missing.Count == 0 ? Html.Raw("<span class=\"tag tag--final\">すべて提出</span>") : Html.Of($"<span class=\"tag tag--missing\">未提出</span> {Years(s.Missing)}"))}</td>
            <td>{Years(s.Provisional)}</td>
            <td>{(s.Flagged.Count == 0 ? Html.Raw("—") : Html.Of($"<ul class=\"plain\">{s.Flagged.Select(f => Html.Of($"<li><span class=\"tag tag--flagged\">要確認</span> {f.Year}: {f.Reason}</li>"))}</ul>"))}</td>
            </tr>
            """)));
        var progressRows = summary.Select(r => Html.Of($"""
            <tr>
            <td class="number">{r.No}</td>
            <th scope="row">{r.Name}{Html.When(summary.Count(o => o.IndicatorId == r.IndicatorId) > 1, Html.Of($"<br><span class=\"muted\">{r.Series}</span>"))}</th>
            <td>{r.Baseline}</td>
            <td class="number">{r.LatestValueText}<br><span class="muted">{r.LatestPeriodText}</span></td>
            <td>{r.Target}</td>
            <td class="nowrap"><span class="status-symbol" aria-hidden="true">{r.SeriesSymbol}</span> {r.SeriesStatusLabel}</td>
            <td class="number">{ReportFigures.ScoreText(r.SeriesScore)}</td>
            </tr>
            """));
        var content = Html.Of($"""
            <p class="lead">{JapanTime.FiscalYearLabel(year)}の報告書に向けた、各府省の提出状況と指標の進捗です。いまのデータから、報告書と同じ方法で計算しています（{DeskTime(snapshot.GeneratedAt)}時点）。</p>
            <form method="get" action="/staff" class="actions" aria-label="対象年度の切り替え">
            {Form.Select("year", "year", "対象年度", years.Select(y => new Form.Choice(y.ToString(CultureInfo.InvariantCulture), JapanTime.FiscalYearLabel(y))).ToList(), year.ToString(CultureInfo.InvariantCulture))}
            <button type="submit" class="button button--secondary">表示する</button>
            </form>
            <h2 id="agencies">府省ごとの提出状況（{completeness.FromYear}〜{completeness.ToYear}）</h2>
            <div class="table-scroll" role="region" aria-labelledby="agencies-caption" tabindex="0">
            <table>
            <caption id="agencies-caption">府省ごとの値の数（直近{CompletenessCalculator.Window}年、系列×年）</caption>
            <thead><tr><th scope="col">府省</th><th scope="col" class="number">必要な値</th><th scope="col" class="number">提出済み</th><th scope="col" class="number">未提出</th><th scope="col" class="number">速報値</th><th scope="col" class="number">改訂</th><th scope="col" class="number">要確認</th></tr></thead>
            <tbody>{agencyRows}</tbody>
            </table>
            </div>
            <h2 id="indicators">指標ごとの提出状況</h2>
            <div class="table-scroll" role="region" aria-labelledby="indicators-caption" tabindex="0">
            <table>
            <caption id="indicators-caption">指標・系列ごとの未提出の年、速報値の年、要確認の値とその理由</caption>
            <thead><tr><th scope="col">指標</th><th scope="col">担当</th><th scope="col">系列</th><th scope="col">未提出</th><th scope="col">速報値の年</th><th scope="col">要確認（理由）</th></tr></thead>
            <tbody>{indicatorRows}</tbody>
            </table>
            </div>
            <h2 id="progress">進捗の評価</h2>
            <p>報告書の総括表と同じ値です。評価は ◎ 目標達成、○ 順調、△ 一定の進捗、▲ 進捗に遅れ、× 悪化、− 評価不能 です（方法は報告書の付録Aのとおり）。</p>
            <div class="table-scroll" role="region" aria-labelledby="progress-caption" tabindex="0">
            <table>
            <caption id="progress-caption">指標の進捗（{JapanTime.FiscalYearLabel(year)}、系列ごと）</caption>
            <thead><tr><th scope="col" class="number">番号</th><th scope="col">指標</th><th scope="col">基準値</th><th scope="col" class="number">最新値</th><th scope="col">目標</th><th scope="col">評価</th><th scope="col" class="number">評点</th></tr></thead>
            <tbody>{progressRows}</tbody>
            </table>
            </div>
            <p><a href="/staff/reports?year={year}">報告書の作成・ダウンロードへ</a></p>
            """);
        return WebPage.Render(context, "提出状況と進捗", content);
    }

    private static string DeskTime(DateTimeOffset instant) => Submissions.Pages.DeskText.Moment(instant);
}
