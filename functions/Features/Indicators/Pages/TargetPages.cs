using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;
using Reporting.Infrastructure.Web;

namespace Reporting.Features.Indicators.Pages;

/// <summary>GET /manage/targets: every indicator's target, each with a link to change it.</summary>
public sealed class TargetsPageFunction(IndicatorStore catalog)
{
    [Function("TargetsPage")]
    [Requires(Policy.Admin), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/targets")] HttpRequest request, string? saved = null)
    {
        var indicators = await catalog.ListAsync(request.HttpContext.RequestAborted);
        Banner? banner = null;
        if (saved is not null && indicators.FirstOrDefault(i => i.Id == saved) is { } changed)
        {
            banner = new Banner(BannerKind.Success, "目標を変更しました", Html.Of($"<p>{changed.Order}. {changed.Name}: {changed.Target.Label}</p>"));
        }
        var rows = indicators.OrderBy(i => i.Order).Select(i => Html.Of($"""
            <tr><td class="number">{i.Order}</td><th scope="row">{i.Name}</th><td>{i.Target.Label}</td>
            <td class="nowrap"><a href="/manage/targets/{i.Id}">変更する<span class="visually-hidden">（{i.Name}）</span></a></td></tr>
            """));
        var content = Html.Of($"""
            <p class="lead">各指標の目標です。目標を変えると、次に作成する報告書から新しい目標で進捗を評価します。変更は理由とともに指標一覧の変更履歴に記録され、報告書の付録に載ります。</p>
            <div class="table-scroll" role="region" aria-labelledby="targets-caption" tabindex="0">
            <table>
            <caption id="targets-caption">指標の目標（{indicators.Count}件）</caption>
            <thead><tr><th scope="col" class="number">番号</th><th scope="col">指標</th><th scope="col">目標</th><th scope="col">変更</th></tr></thead>
            <tbody>{rows}</tbody>
            </table>
            </div>
            """);
        return WebPage.Render(request.HttpContext, "目標", content, banner: banner);
    }
}

/// <summary>GET /manage/targets/{id}: the form to set one indicator's target.</summary>
public sealed class TargetPageFunction(IndicatorStore catalog)
{
    [Function("TargetPage")]
    [Requires(Policy.Admin), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/targets/{id}")] HttpRequest request, string id)
    {
        if (await catalog.FindAsync(id, request.HttpContext.RequestAborted) is not { } indicator)
        {
            return WebPage.Message(request.HttpContext, StatusCodes.Status404NotFound, "見つかりません", $"指標「{id}」は指標一覧にありません。", Html.Raw("<p><a href=\"/manage/targets\">目標の一覧へ</a></p>"));
        }
        return TargetViews.Edit(request.HttpContext, indicator, TargetForm.Of(indicator.Target), null, StatusCodes.Status200OK);
    }
}

/// <summary>POST /manage/targets/{id}: sets the target through <see cref="SetTarget"/>, as PUT /api/indicators/{id}/target does.</summary>
public sealed class SaveTargetFunction(SetTarget setTarget, IndicatorStore catalog)
{
    [Function("SaveTarget")]
    [Requires(Policy.Admin), WebPage]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/targets/{id}")] HttpRequest request, string id)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        if (await catalog.FindAsync(id, cancellationToken) is not { } indicator)
        {
            return WebPage.Message(context, StatusCodes.Status404NotFound, "見つかりません", $"指標「{id}」は指標一覧にありません。", Html.Raw("<p><a href=\"/manage/targets\">目標の一覧へ</a></p>"));
        }
        var form = await request.ReadFormAsync(cancellationToken);
        var sent = TargetForm.Read(form);
        var errors = new List<FieldError>();
        int? Year(string field, string? raw, string label)
        {
            if (raw is null) return null;
            if (int.TryParse(Numerals.Halfwidth(raw), NumberStyles.None, CultureInfo.InvariantCulture, out var y)) return y;
            errors.Add(new FieldError(field, label, $"{label}は 2030 のように4桁の数字で入力してください。"));
            return null;
        }
        TargetKind? kind = sent.Kind switch
        {
            "reach" => TargetKind.Reach,
            "cumulative" => TargetKind.Cumulative,
            "keepRank" => TargetKind.KeepRank,
            "notSet" => TargetKind.NotSet,
            _ => null,
        };
        double value = 0;
        var valueError = sent.Value is null ? null : Numerals.ParseDecimal(sent.Value, out value) ?? ValueRules.CheckMagnitude(value);
        var year = Year("year", sent.Year, "目標年");
        var from = Year("fromYear", sent.FromYear, "期間の最初の年");
        var to = Year("toYear", sent.ToYear, "期間の最後の年");
        if (errors.Count == 0)
        {
            // Only what the kind uses is sent on: a value typed for another kind is not a target's.
            var uses = kind is TargetKind.Reach or TargetKind.KeepRank ? (Value: true, Year: true, Period: false)
                : kind == TargetKind.Cumulative ? (Value: true, Year: false, Period: true)
                : (Value: false, Year: false, Period: true);
            var body = new SetTargetRequest(kind ?? default, uses.Value && valueError is null && sent.Value is not null ? value : null,
                uses.Year ? year : null, uses.Period ? from : null, uses.Period ? to : null, sent.Label, sent.Reason);
            var result = kind is null
                ? Refusal.Invalid("kind", new("is required: reach, cumulative, keepRank or notSet.", "目標の種類を選んでください。"))
                : uses.Value && valueError is not null ? Refusal.Invalid("value", valueError) : await setTarget.SetAsync(indicator.Id, body, context.User.Who(), cancellationToken);
            if (!result.IsRefused) return WebPage.SeeOther($"/manage/targets?saved={Uri.EscapeDataString(indicator.Id)}");
            errors.AddRange(result.Refusal!.Messages.Select(m => new FieldError(m.Field, TargetViews.Label(m.Field), m.Message.Japanese)));
        }
        return TargetViews.Edit(context, indicator, sent, errors, StatusCodes.Status400BadRequest);
    }
}

/// <summary>The target form as sent, or as first shown (the current target).</summary>
public sealed record TargetForm(string? Kind, string? Value, string? Year, string? FromYear, string? ToYear, string? Label, string? Reason)
{
    public static TargetForm Of(Target target) => new(
        target.Kind switch { TargetKind.Reach => "reach", TargetKind.Cumulative => "cumulative", TargetKind.KeepRank => "keepRank", _ => "notSet" },
        target.Value?.ToString("0.##########", CultureInfo.InvariantCulture), target.Year?.ToString(CultureInfo.InvariantCulture),
        target.FromYear?.ToString(CultureInfo.InvariantCulture), target.ToYear?.ToString(CultureInfo.InvariantCulture), null, null);

    public static TargetForm Read(IFormCollection form) => new(Form.Field(form, "kind"), Form.Field(form, "value"), Form.Field(form, "year"),
        Form.Field(form, "fromYear"), Form.Field(form, "toYear"), Form.Field(form, "label"), Form.Field(form, "reason"));
}

internal static class TargetViews
{
    public static string Label(string field) => field switch
    {
        "kind" => "目標の種類",
        "value" => "目標値",
        "year" => "目標年",
        "fromYear" => "期間の最初の年",
        "toYear" => "期間の最後の年",
        "label" => "表示",
        "reason" => "理由",
        _ => field,
    };

    public static IResult Edit(HttpContext context, Indicator indicator, TargetForm form, IReadOnlyList<FieldError>? errors, int status)
    {
        string? ErrorOf(string id) => errors?.FirstOrDefault(e => e.InputId == id)?.Message;
        var rank = indicator.ValueKind == ValueKind.Rank;
        var kinds = new List<Form.Choice> { new("reach", rank ? "到達（この順位以内に入る）" : "到達（この値に達する）"), new("cumulative", "累計（期間の合計）") };
        if (rank) kinds.Add(new("keepRank", "順位維持（この順位以内を保つ）"));
        kinds.Add(new("notSet", "未設定"));
        var content = Html.Of($"""
            <p><a href="/manage/targets">← 目標の一覧へ</a></p>
            <dl class="summary-list">
            <dt>現在の目標</dt><dd>{indicator.Target.Label}</dd>
            <dt>基準値</dt><dd>{string.Join("／", indicator.Baseline.Select(b => b.Label))}</dd>
            <dt>単位</dt><dd>{indicator.Unit}（{indicator.ValueBasisText}）</dd>
            </dl>
            <form method="post" action="/manage/targets/{indicator.Id}" class="panel" novalidate>
            {Form.Radios("kind", "kind", "目標の種類", kinds, form.Kind, error: ErrorOf("kind"), required: true)}
            {Form.Text("value", "value", "目標値", form.Value, hint: $"単位: {indicator.Unit}。到達・累計・順位維持のときに入力します。", error: ErrorOf("value"), css: "number", inputMode: "decimal")}
            {Form.Text("year", "year", "目標年", form.Year, hint: "到達・順位維持の目標の年（例: 2030）。", error: ErrorOf("year"), css: "year", inputMode: "numeric")}
            {Form.Text("fromYear", "fromYear", "期間の最初の年", form.FromYear, hint: "累計の目標の期間（未設定でも期間が決まっていれば入力できます）。", error: ErrorOf("fromYear"), css: "year", inputMode: "numeric")}
            {Form.Text("toYear", "toYear", "期間の最後の年", form.ToYear, error: ErrorOf("toYear"), css: "year", inputMode: "numeric")}
            {Form.Text("label", "label", "表示", form.Label, hint: "報告書に載せる目標の書き方（省略すると値と年から作ります。例: 世界第3位（2030年））。", error: ErrorOf("label"))}
            {Form.TextArea("reason", "reason", "理由", form.Reason, hint: "変更の理由（例: 総合科学技術・イノベーション会議の決定）。変更履歴と報告書の付録に載ります。", error: ErrorOf("reason"))}
            <div class="actions"><button type="submit" class="button">目標を変更する</button><a class="button button--secondary" href="/manage/targets">やめる</a></div>
            </form>
            """);
        return WebPage.Render(context, $"目標の変更: {indicator.Order}. {indicator.Name}", content, status, errors: errors);
    }
}
