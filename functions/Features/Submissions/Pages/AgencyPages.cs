using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Reporting.Features.Indicators;
using Reporting.Infrastructure;
using Reporting.Infrastructure.Web;

namespace Reporting.Features.Submissions.Pages;

/// <summary>GET /agency[?year=]: an agency's indicators for the year, each with its baseline, target, latest values and status.</summary>
public sealed class AgencyHomePageFunction(AgencyDesk desk)
{
    [Function("AgencyHomePage")]
    [Requires(Policy.Agency), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "agency")] HttpRequest request, string? year = null)
    {
        var context = request.HttpContext;
        var opened = await desk.OpenAsync(context.User.AgencyCode()!, AgencyViews.Year(year), context.RequestAborted);
        if (opened.IsRefused) return AgencyViews.Refused(context, opened.Refusal!);
        return AgencyViews.Home(context, opened.Value);
    }
}

/// <summary>GET /agency/indicators/{id}[?year=]: the form of one indicator for a year, one value per series.</summary>
public sealed class ValueEntryPageFunction(AgencyDesk desk)
{
    [Function("ValueEntryPage")]
    [Requires(Policy.Agency), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "agency/indicators/{id}")] HttpRequest request, string id,
        string? year = null, string? saved = null, string? unchanged = null)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        var found = await desk.IndicatorAsync(Submitter.From(context.User), id, cancellationToken);
        if (found.IsRefused) return AgencyViews.Refused(context, found.Refusal!);
        var (years, status) = await desk.YearAsync(AgencyViews.Year(year), cancellationToken);
        var (indicator, agency) = found.Value;
        Banner? banner = null;
        if (saved is not null && indicator.ValueOf(saved, status.Year) is { } value)
        {
            banner = AgencyViews.Saved(indicator.Indicator, value);
        }
        else if (unchanged is not null && indicator.Indicator.Series.FirstOrDefault(s => s.Id == unchanged) is { } series)
        {
            banner = new Banner(BannerKind.Success, "変更はありません", Html.Of($"<p>{(indicator.Indicator.Series.Count == 1 ? "" : series.Name)}{indicator.Indicator.PeriodText(status.Year)}の値は、入力と同じ値・区分・備考がすでに保存されています。</p>"));
        }
        return AgencyViews.Entry(context, indicator, agency, years, status, forms: [], banner, StatusCodes.Status200OK);
    }
}

/// <summary>
/// POST /agency/indicators/{id}: saves one value (one series, one year) through <see cref="SubmitValues"/>, as a PUT of
/// the API does: the same rules, the refusal beside the field in Japanese, and the version the form was filled in
/// against as If-Match (If-None-Match: * for a new value), so a value changed meanwhile is reported, never overwritten.
/// </summary>
public sealed class SaveValueFunction(SubmitValues submit, AgencyDesk desk)
{
    [Function("SaveValue")]
    [Requires(Policy.Agency), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "agency/indicators/{id}")] HttpRequest request, string id)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        var submitter = Submitter.From(context.User);
        // Whose indicator it is comes before anything the form says.
        if (await submit.CheckAccessAsync(submitter, id, cancellationToken) is { } denied) return AgencyViews.Refused(context, denied);
        var form = await request.ReadFormAsync(cancellationToken);
        var entry = EntryForm.Read(form);
        double parsed = 0;
        var valueError = entry.Value is null ? ValueRules.Required : Numerals.ParseDecimal(entry.Value, out parsed) ?? ValueRules.CheckMagnitude(parsed);
        var submission = new ValueSubmission(id, entry.Series, entry.Year ?? "", valueError is null ? parsed : null, valueError,
            entry.Note, entry.Status, IfMatch: entry.ETag is { Length: > 0 } etag ? etag : null, CreateOnly: entry.ETag is null or "");
        var outcome = await submit.SubmitAsync(submitter, submission, cancellationToken);
        var year = int.TryParse(entry.Year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) ? y : (int?)null;
        if (!outcome.IsRefused)
        {
            var written = outcome.Value;
            var flag = written.Kind == WriteKind.Unchanged ? "unchanged" : "saved";
            return WebPage.SeeOther($"/agency/indicators/{Uri.EscapeDataString(id)}?year={written.Value.Year}&{flag}={Uri.EscapeDataString(written.Value.Series)}");
        }

        // Refused: the same page again, with what was typed, the refusal beside its field, and the version now stored.
        var found = await desk.IndicatorAsync(submitter, id, cancellationToken);
        if (found.IsRefused) return AgencyViews.Refused(context, found.Refusal!);
        var (years, status) = await desk.YearAsync(year, cancellationToken);
        var refusal = outcome.Refusal!;
        var (indicator, agency) = found.Value;
        var current = entry.Series is { } series && year is { } yy ? indicator.ValueOf(series, yy) : null;
        Banner? banner = null;
        if (refusal.Kind == RefusalKind.PreconditionFailed)
        {
            // Someone else saved this value after the form was opened: say who and what, keep the clerk's input, and
            // let them save again knowingly (against the version they now see).
            banner = new Banner(BannerKind.Problem, "ほかの人が先に保存しました", Html.Of($"""
                <p>{refusal.Detail.Japanese}</p>
                {(current is null ? Html.Empty : Html.Of($"<p>現在の値: <strong>{DeskText.Value(indicator.Indicator, current)}</strong>（{DeskText.Status(current.Status)}、第{current.Revision}版、{DeskText.Moment(current.SubmittedAt)} {current.SubmittedBy}）</p>"))}
                <p>入力した内容は下の欄に残してあります。現在の値を確認し、必要ならもう一度「保存する」を押してください。</p>
                """));
            entry = entry with { ETag = current?.ETag ?? "" };
        }
        // A rule about a field of the form is said beside it; anything else (a closed window, a locked year, the year
        // itself) in the banner.
        var onForm = new HashSet<string>(StringComparer.Ordinal) { "value", "status", "note" };
        bool Beside((string Field, Message Message) m) => refusal.Kind == RefusalKind.Invalid && onForm.Contains(m.Field);
        var errors = refusal.Messages.Where(Beside).GroupBy(m => m.Field).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(m => m.Message.Japanese)));
        var elsewhere = refusal.Messages.Where(m => !Beside(m)).ToList();
        if (banner is null && elsewhere.Count > 0)
        {
            banner = new Banner(BannerKind.Problem, refusal.Title.Japanese, Html.Join(elsewhere.Select(m => Html.Of($"<p>{m.Message.Japanese}</p>"))));
        }
        return AgencyViews.Entry(context, indicator, agency, years, status, [entry with { Errors = errors }], banner, Problems.StatusOf(refusal.Kind));
    }
}

/// <summary>GET /agency/indicators/{id}/history?series=&amp;year=: every revision of one value (who, when, what, why).</summary>
public sealed class ValueHistoryPageFunction(AgencyDesk desk)
{
    [Function("ValueHistoryPage")]
    [Requires(Policy.Agency), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "agency/indicators/{id}/history")] HttpRequest request, string id,
        string? series = null, string? year = null)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        var found = await desk.IndicatorAsync(Submitter.From(context.User), id, cancellationToken);
        if (found.IsRefused) return AgencyViews.Refused(context, found.Refusal!);
        var indicator = found.Value.Indicator.Indicator;
        var chosen = indicator.Series.FirstOrDefault(s => s.Id == series) ?? (indicator.Series.Count == 1 ? indicator.Series[0] : null);
        if (chosen is null || AgencyViews.Year(year) is not { } y)
        {
            return WebPage.Message(context, StatusCodes.Status404NotFound, "見つかりません", "履歴を表示する系列と年度を指定してください。",
                Html.Of($"<p><a href=\"/agency/indicators/{id}\">入力画面へ戻る</a></p>"));
        }
        var value = await desk.HistoryAsync(indicator.Id, chosen.Id, y, cancellationToken);
        return AgencyViews.History(context, indicator, chosen, y, value);
    }
}

/// <summary>What one series' form holds: as sent (after a refusal) or empty (a fresh page).</summary>
public sealed record EntryForm(string? Series, string? Year, string? Value, string? Status, string? Note, string? ETag, IReadOnlyDictionary<string, string> Errors)
{
    public static EntryForm Read(IFormCollection form) =>
        new(Form.Field(form, "series"), Form.Field(form, "year"), Form.Field(form, "value"), Form.Field(form, "status"),
            form.TryGetValue("note", out var note) && note.ToString().Length > 0 ? note.ToString() : null, form.TryGetValue("etag", out var etag) ? etag.ToString() : null,
            new Dictionary<string, string>());
}

/// <summary>The agency pages.</summary>
internal static class AgencyViews
{
    public static int? Year(string? raw) => FiscalYearRoute.TryParse(raw ?? "", FiscalYearRoute.Latest, out var year) ? year : null;

    public static IResult Refused(HttpContext context, Refusal refusal) =>
        WebPage.Message(context, Problems.StatusOf(refusal.Kind), refusal.Title.Japanese, refusal.Detail.Japanese, Html.Raw("<p><a href=\"/agency\">指標の一覧へ戻る</a></p>"));

    public static Banner Saved(Indicator indicator, IndicatorValue value)
    {
        var series = indicator.Series.First(s => s.Id == value.Series);
        return new Banner(BannerKind.Success, "保存しました", Html.Of($"""
            <p>{(indicator.Series.Count == 1 ? "" : series.Name)}{indicator.PeriodText(value.Year)}の値: <strong>{indicator.FormatValue(value.Value)}</strong>（{DeskText.Status(value.Status)}、第{value.Revision}版）</p>
            {Html.When(value.Flagged, Html.Of($"<p><span class=\"tag tag--flagged\">要確認</span> {value.FlagReason ?? "前年からの変化が大きい値です。"} 値に誤りがないか確認してください（誤りでなければそのままで構いません）。</p>"))}
            """));
    }

    public static IResult Home(HttpContext context, Desk desk)
    {
        var year = desk.Year.Year;
        var rows = desk.Indicators.Select(d =>
        {
            var i = d.Indicator;
            var recent = i.Series.Select(s => Html.Of($"""
                <li>{Html.When(i.Series.Count > 1, Html.Of($"<span class=\"muted\">{s.Name}: </span>"))}{(d.Recent(s.Id, year) is { Count: > 0 } values
                    ? Html.Join(values.Select((v, n) => Html.Of($"{(n > 0 ? "、" : "")}<span class=\"nowrap\">{i.PeriodText(v.Year)} {i.FormatValue(v.Value)}</span>")))
                    : Html.Raw("<span class=\"muted\">まだ値はありません</span>"))}</li>
                """));
            var status = i.Series.Select(s => Html.Of($"<li>{Html.When(i.Series.Count > 1, Html.Of($"{s.Name}: "))}{DeskText.Tag(d.ValueOf(s.Id, year))}</li>"));
            return Html.Of($"""
                <tr>
                <td class="number">{i.Order}</td>
                <th scope="row"><a href="/agency/indicators/{i.Id}?year={year}">{i.Name}</a></th>
                <td>{string.Join("／", i.Baseline.Select(b => b.Label))}</td>
                <td>{i.Target.Label}</td>
                <td><ul class="plain">{recent}</ul></td>
                <td><ul class="plain">{status}</ul></td>
                </tr>
                """);
        }).ToList();
        var content = Html.Of($"""
            <p class="lead">{desk.Agency.Name}（{desk.Agency.Code}）が入力する指標です。指標名を選ぶと、{JapanTime.FiscalYearLabel(year)}の値を入力できます。</p>
            {DeskText.YearPicker("/agency", desk.Years, year)}
            {DeskText.WindowPanel(desk.Year)}
            {(rows.Count == 0
                ? Html.Raw("<p>この府省が入力する指標はありません。</p>")
                : Html.Of($"""
                <div class="table-scroll" role="region" aria-labelledby="indicators-caption" tabindex="0">
                <table>
                <caption id="indicators-caption">担当する指標（{rows.Count}件）と{JapanTime.FiscalYearLabel(year)}の入力状況</caption>
                <thead><tr><th scope="col" class="number">番号</th><th scope="col">指標</th><th scope="col">基準値</th><th scope="col">目標</th><th scope="col">最近の値</th><th scope="col">{year}の値</th></tr></thead>
                <tbody>{rows}</tbody>
                </table>
                </div>
                """))}
            <p>ファイルでまとめて登録するときは <a href="/agency/import">ファイルで取込</a> を使います。</p>
            """);
        return WebPage.Render(context, "値の入力", content);
    }

    public static IResult Entry(HttpContext context, DeskIndicator desk, Agency agency, IReadOnlyList<int> years, YearStatus status,
        IReadOnlyList<EntryForm> forms, Banner? banner, int code)
    {
        var indicator = desk.Indicator;
        var year = status.Year;
        var allErrors = new List<FieldError>();
        var sections = indicator.Series.Select(series =>
        {
            var current = desk.ValueOf(series.Id, year);
            var sent = forms.FirstOrDefault(f => f.Series == series.Id);
            var id = $"{series.Id}";
            // An indicator of one series (全体) is entered as the indicator itself: its series is not named.
            var single = indicator.Series.Count == 1;
            var seriesLabel = single ? indicator.PeriodText(year) : $"{series.Name}、{indicator.PeriodText(year)}";
            string? ErrorOf(string field) => sent?.Errors.GetValueOrDefault(field);
            foreach (var (field, label) in new[] { ("value", "値"), ("status", "区分"), ("note", "備考") })
            {
                if (ErrorOf(field) is { } message) allErrors.Add(new FieldError($"{field}-{id}", single ? label : $"{series.Name} {label}", message));
            }
            var formHtml = status.AcceptsAgencies
                ? Html.Of($"""
                    <form method="post" action="/agency/indicators/{indicator.Id}" novalidate>
                    {Form.Hidden("series", series.Id)}{Form.Hidden("year", year.ToString(CultureInfo.InvariantCulture))}{Form.Hidden("etag", sent is not null ? sent.ETag : current?.ETag ?? "")}
                    {Form.Text($"value-{id}", "value", "値", sent is not null ? sent.Value : current is null ? null : indicator.FormatNumber(current.Value).Replace(",", "", StringComparison.Ordinal),
                        hint: DeskText.ValueHint(indicator), error: ErrorOf("value"), required: true, css: "number", inputMode: "decimal")}
                    {Form.Radios($"status-{id}", "status", "区分", [new("final", "確報値"), new("provisional", "速報値")],
                        sent?.Status ?? (current?.Status == ValueStatus.Provisional ? "provisional" : "final"), error: ErrorOf("status"))}
                    {Form.TextArea($"note-{id}", "note", "備考", sent is not null ? sent.Note : current?.Note, hint: $"任意。{ValueRules.MaxNoteLength}文字以内。報告書の注記になります（例: 速報値、調査方法の変更）。", error: ErrorOf("note"))}
                    <div class="actions"><button type="submit" class="button">保存する<span class="visually-hidden">（{seriesLabel}）</span></button></div>
                    </form>
                    """)
                : Html.Raw("<p class=\"muted\">この年度の値は、いまは入力・修正できません（上の案内を参照）。</p>");
            var recent = desk.Recent(series.Id, year);
            var table = recent.Count == 0 ? Html.Raw("<p class=\"muted\">まだ値はありません。</p>") : Html.Of($"""
                <div class="table-scroll" role="region" aria-labelledby="recent-{id}" tabindex="0">
                <table>
                <caption id="recent-{id}">{(single ? "" : series.Name)}最近の値</caption>
                <thead><tr><th scope="col">期間</th><th scope="col" class="number">値</th><th scope="col">区分</th><th scope="col">備考</th><th scope="col" class="number">版</th><th scope="col">最終更新</th><th scope="col">履歴</th></tr></thead>
                <tbody>{recent.Select(v => Html.Of($"""
                    <tr><th scope="row">{indicator.PeriodText(v.Year)}</th><td class="number">{indicator.FormatValue(v.Value)}</td><td>{DeskText.Tag(v)}</td><td>{v.Note}</td><td class="number">{v.Revision}</td><td>{DeskText.Moment(v.SubmittedAt)} {v.SubmittedBy}</td>
                    <td><a href="/agency/indicators/{indicator.Id}/history?series={series.Id}&amp;year={v.Year}">履歴<span class="visually-hidden">（{(single ? "" : series.Name + "、")}{indicator.PeriodText(v.Year)}）</span></a></td></tr>
                    """))}</tbody>
                </table>
                </div>
                """);
            return Html.Of($"""
                <section class="entry" aria-labelledby="series-{id}">
                <h2 id="series-{id}">{(single ? $"{indicator.PeriodText(year)}の値" : $"{series.Name}（{indicator.PeriodText(year)}の値）")}</h2>
                {(current is null
                    ? Html.Raw("<p>現在の値: <span class=\"tag tag--missing\">未入力</span></p>")
                    : Html.Of($"<p>現在の値: <strong>{indicator.FormatValue(current.Value)}</strong> {DeskText.Tag(current)}（第{current.Revision}版、{DeskText.Moment(current.SubmittedAt)} {current.SubmittedBy}）</p>"))}
                {formHtml}
                {table}
                </section>
                """);
        }).ToList();
        var baseline = indicator.Baseline.Select(b => Html.Of($"<li>{(indicator.Series.Count > 1 ? indicator.Series.FirstOrDefault(s => s.Id == b.SeriesId)?.Name + ": " : "")}{b.Label}</li>"));
        var content = Html.Of($"""
            <p><a href="/agency?year={year}">← 指標の一覧へ</a></p>
            <dl class="summary-list">
            <dt>担当</dt><dd>{agency.Name}</dd>
            <dt>単位</dt><dd>{indicator.Unit}（{indicator.ValueBasisText}）</dd>
            <dt>基準値</dt><dd><ul class="plain">{baseline}</ul></dd>
            <dt>目標</dt><dd>{indicator.Target.Label}</dd>
            <dt>出典</dt><dd>{indicator.Source}</dd>
            </dl>
            {DeskText.YearPicker($"/agency/indicators/{indicator.Id}", years, year)}
            {DeskText.WindowPanel(status)}
            {sections}
            """);
        return WebPage.Render(context, $"{indicator.Order}. {indicator.Name}", content, code, banner, allErrors);
    }

    public static IResult History(HttpContext context, Indicator indicator, Series series, int year, IndicatorValue? value)
    {
        var revisions = value?.History ?? [];
        var content = Html.Of($"""
            <p><a href="/agency/indicators/{indicator.Id}?year={year}">← 入力画面へ</a></p>
            {(revisions.Count == 0
                ? Html.Raw("<p>この値はまだ入力されていません。</p>")
                : Html.Of($"""
                <div class="table-scroll" role="region" aria-labelledby="history-caption" tabindex="0">
                <table>
                <caption id="history-caption">{(indicator.Series.Count == 1 ? "" : series.Name)}{indicator.PeriodText(year)}の値の改訂の記録（新しい順、{revisions.Count}件）</caption>
                <thead><tr><th scope="col" class="number">版</th><th scope="col" class="number">値</th><th scope="col" class="number">変更前</th><th scope="col">区分</th><th scope="col">備考</th><th scope="col">理由</th><th scope="col">入力者</th><th scope="col">日時</th></tr></thead>
                <tbody>{revisions.OrderByDescending(r => r.Revision).Select(r => Html.Of($"""
                    <tr><th scope="row" class="number">{r.Revision}</th><td class="number">{indicator.FormatValue(r.Value)}</td><td class="number">{(r.PreviousValue is { } p ? indicator.FormatValue(p) : "—")}</td><td>{DeskText.Status(r.Status)}</td><td>{r.Note}</td><td>{r.Reason}</td><td>{r.SubmittedBy}（{r.Agency}）</td><td class="nowrap">{DeskText.Moment(r.SubmittedAt)}</td></tr>
                    """))}</tbody>
                </table>
                </div>
                """))}
            """);
        return WebPage.Render(context, $"値の履歴: {indicator.Name}", content);
    }
}
