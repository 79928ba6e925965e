using System.Text.Json;
using System.Text.Json.Serialization;
using Reporting.Features.Indicators;

namespace Reporting.Features.Progress;

[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<ProgressStatus>))]
public enum ProgressStatus { Achieved, Substantial, Moderate, Limited, Deterioration, NotAssessable }

/// <summary>
/// How a series is assessed. Written camelCase like every other enum of the API (cagrRatio): generated clients read an
/// enum member by its name, and cannot read a name with dashes. Snapshots written before read as well (cagr-ratio).
/// </summary>
[JsonConverter(typeof(ProgressMethodJson))]
public enum ProgressMethod
{
    /// <summary>Observed compound growth against the growth the target requires (Open SDG, quantitative target).</summary>
    CagrRatio,
    /// <summary>Share of the way to a target rank covered against the share of time elapsed.</summary>
    RankPace,
    /// <summary>A rank to keep within a bound: met or not met.</summary>
    RankBound,
    /// <summary>The total of the reported years against the pro-rata share of the target for those years.</summary>
    CumulativeProRata,
    /// <summary>Observed compound growth alone, the target being not yet set (Open SDG, no quantitative target).</summary>
    GrowthOnly,
}

/// <summary>Writes <see cref="ProgressMethod"/> camelCase; reads it in any letter case, and as the snapshots of earlier versions wrote it (cagr-ratio).</summary>
public sealed class ProgressMethodJson : JsonConverter<ProgressMethod>
{
    public override ProgressMethod Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var name = reader.TokenType == JsonTokenType.String ? reader.GetString()!.Replace("-", "", StringComparison.Ordinal) : throw new JsonException();
        return name.Length > 0 && char.IsAsciiLetter(name[0]) && Enum.TryParse<ProgressMethod>(name, ignoreCase: true, out var method) && Enum.IsDefined(method)
            ? method
            : throw new JsonException();
    }

    public override void Write(Utf8JsonWriter writer, ProgressMethod value, JsonSerializerOptions options) =>
        writer.WriteStringValue(JsonNamingPolicy.CamelCase.ConvertName(value.ToString()));
}

/// <summary>Where the base value of a series' assessment comes from.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<BaseValueSource>))]
public enum BaseValueSource
{
    /// <summary>The figure the plan's annex gives for the base period.</summary>
    Plan,
    /// <summary>The value submitted for the base year (its latest revision), which supersedes the plan's figure.</summary>
    Submitted,
}

public sealed record Observation(int Year, double Value);

/// <summary>The inputs and results of one series' assessment: printed in the report and kept in its snapshot.</summary>
public sealed record ProgressComponents(
    ProgressMethod Method,
    double? BaseValue,
    int? BaseYear,
    double? CurrentValue,
    int? CurrentYear,
    double? TargetValue,
    int? TargetYear,
    double? ObservedGrowth,
    double? RequiredGrowth,
    double? Ratio,
    string Reason,
    double? Score = null,
    double? ProgressShare = null,
    double? ElapsedShare = null,
    double? CumulativeTotal = null,
    double? ProRataTarget = null,
    BaseValueSource? BaseSource = null,
    IReadOnlyList<int>? ReportedYears = null,
    IReadOnlyList<int>? MissingYears = null,
    YearPeriod? BasePeriod = null,
    YearPeriod? CurrentPeriod = null,
    YearPeriod? TargetPeriod = null);

public sealed record SeriesProgress(string SeriesId, ProgressStatus Status, ProgressComponents Components);

public sealed record IndicatorProgress(string IndicatorId, ProgressStatus Status, IReadOnlyList<SeriesProgress> Series, double? Score = null);

/// <summary>
/// Progress toward the plan's targets by the method Statistics Canada developed for SDG progress (inspired by
/// Eurostat's) and Open SDG implements (sdg-build's ProgressMeasure): the compound growth observed since the base year
/// is compared with the growth the target requires. R ≥ 0.95 substantial, 0.60 ≤ R &lt; 0.95 moderate, 0 ≤ R &lt; 0.60
/// limited, R &lt; 0 deterioration; a value at or beyond the target is "achieved" whatever the trend. Where the plan's
/// targets need it the method is adapted, as 付録A states: ranks use a linear pace, rank-keeping targets a bound check,
/// cumulative targets the pro-rata share of the reported years, and targets not yet set (●●) the growth rate alone.
/// <para>Pure and total: for any finite input every number it returns is finite, and what cannot be computed is
/// "not assessable" with the reason. The deciding figures (R, a growth rate without a target, scores) are rounded to
/// the precision the report prints before they are classified, so a printed figure always explains its status.</para>
/// </summary>
public static class ProgressAssessor
{
    public const double Substantial = 0.95;
    public const double Moderate = 0.60;
    public const double NoTargetSubstantialGrowth = 0.015;
    public const double NoTargetModerateGrowth = 0.005;

    public static IndicatorProgress Assess(Indicator indicator, IReadOnlyDictionary<string, IReadOnlyList<Observation>> observations)
    {
        var series = indicator.Series
            .Select(s => AssessSeries(indicator, s.Id, observations.TryGetValue(s.Id, out var o) ? o : []))
            .ToList();
        var (status, score) = Combine(indicator.Target.Kind, series);
        return new IndicatorProgress(indicator.Id, status, series, score);
    }

    /// <summary>
    /// Several series are combined as Open SDG does — each assessed series' score (−5…+5) averaged, the mean read on
    /// the same scale — with two deliberate differences: "achieved" needs every series achieved (a series without data
    /// is not taken as achieved), and a rank-keeping target is met or not met: one series outside its bound makes the
    /// indicator not met (×, −5), and it is met only when every series is within.
    /// </summary>
    public static (ProgressStatus Status, double? Score) Combine(TargetKind kind, IReadOnlyList<SeriesProgress> series)
    {
        var scored = series.Where(s => s.Status != ProgressStatus.NotAssessable && s.Components.Score is not null).ToList();
        if (kind == TargetKind.KeepRank)
        {
            if (scored.Any(s => s.Status != ProgressStatus.Achieved)) return (ProgressStatus.Deterioration, -5);
            return scored.Count > 0 && scored.Count == series.Count ? (ProgressStatus.Achieved, 5) : (ProgressStatus.NotAssessable, null);
        }
        if (scored.Count == 0) return (ProgressStatus.NotAssessable, null);
        if (scored.Count == series.Count && scored.All(s => s.Status == ProgressStatus.Achieved)) return (ProgressStatus.Achieved, 5);
        var mean = RoundScore(scored.Average(s => s.Components.Score!.Value));
        return (FromScore(mean), mean);
    }

    /// <summary>Open SDG's bands: [2.5, 5] on track, [0, 2.5) moderate, [−2.5, 0) limited, [−5, −2.5) deterioration.</summary>
    public static ProgressStatus FromScore(double score) => score >= 2.5 ? ProgressStatus.Substantial
        : score >= 0 ? ProgressStatus.Moderate
        : score >= -2.5 ? ProgressStatus.Limited
        : ProgressStatus.Deterioration;

    /// <summary>Score of a ratio R against a target: −5 at R ≤ −0.6, linear to 0 at R = 0.6, linear to +5 at R = 1.3.</summary>
    public static double ScoreOfRatio(double r) => r <= -0.6 ? -5
        : r < 0.6 ? -5 + (r + 0.6) / 1.2 * 5
        : r < 1.3 ? (r - 0.6) / 0.7 * 5
        : 5;

    /// <summary>Score of a growth rate without a target: −5 at −2 %, −2.5 at 0, 0 at 0.5 %, 2.5 at 1.5 %, +5 at 2 %.</summary>
    public static double ScoreOfGrowth(double g) => g <= -0.02 ? -5
        : g < 0 ? -5 + (g + 0.02) / 0.02 * 2.5
        : g < 0.005 ? -2.5 + g / 0.005 * 2.5
        : g < 0.015 ? (g - 0.005) / 0.01 * 2.5
        : g < 0.02 ? 2.5 + (g - 0.015) / 0.005 * 2.5
        : 5;

    /// <summary>R as printed (two decimals): what the status is decided on.</summary>
    public static double RoundRatio(double r) => Math.Round(r, 2, MidpointRounding.AwayFromZero);

    /// <summary>A growth rate as printed (0.1 %): what a status without a target is decided on.</summary>
    public static double RoundGrowth(double g) => Math.Round(g, 3, MidpointRounding.AwayFromZero);

    /// <summary>
    /// A score as printed (two decimals). One step of a printed R (0.01) or growth rate (0.1 %) moves the score by at
    /// least 0.04, so two decimals never round a score across a band boundary.
    /// </summary>
    public static double RoundScore(double s) => Math.Round(s, 2, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The base of a series' assessment, after Open SDG: the base year t0 is the year that labels the plan's base period
    /// (for a three-year average labelled by its last year, 2021–2023 is 2023), and the base value is the value in the
    /// data for that year when there is one — its latest revision, which supersedes the figure printed in the plan.
    /// Without it, the plan's figure. A base period of another kind than the values (2021–2025年度合計 of a yearly
    /// amount) has no value to compare with, and without a figure in the plan (●●) either, the first value from the
    /// base period on is the base, as Open SDG takes the next year with data.
    /// </summary>
    public static (double Value, int Year, BaseValueSource Source)? BaseOf(Indicator indicator, Baseline? baseline, IReadOnlyList<Observation> sorted)
    {
        if (baseline is null)
        {
            return sorted.Count == 0 ? null : (sorted[0].Value, sorted[0].Year, BaseValueSource.Submitted);
        }
        var t0 = indicator.BaseYearOf(baseline);
        if (indicator.IsComparable(baseline))
        {
            if (sorted.FirstOrDefault(o => o.Year == t0) is { } atBase)
            {
                return (atBase.Value, t0, BaseValueSource.Submitted);
            }
            if (baseline.Value is { } planned)
            {
                return (planned, t0, BaseValueSource.Plan);
            }
        }
        return sorted.FirstOrDefault(o => o.Year >= t0) is { } next ? (next.Value, next.Year, BaseValueSource.Submitted) : null;
    }

    public static SeriesProgress AssessSeries(Indicator indicator, string seriesId, IReadOnlyList<Observation> observations)
    {
        var target = indicator.Target;
        var baseline = indicator.BaselineFor(seriesId);
        // One value per year, the data as given (the latest revision of each): later duplicates of a year are ignored.
        var sorted = observations.Where(o => double.IsFinite(o.Value)).GroupBy(o => o.Year).Select(g => g.First()).OrderBy(o => o.Year).ToList();
        var latest = sorted.LastOrDefault();
        var d = indicator.Direction == Direction.HigherIsBetter ? 1.0 : -1.0;
        var method = MethodOf(indicator);
        var @base = BaseOf(indicator, baseline, sorted);
        var dueYear = indicator.TargetLabelYear;
        string P(int year) => indicator.PeriodText(year);

        ProgressComponents Components(string reason) => new(method, @base?.Value, @base?.Year, latest?.Value, latest?.Year,
            target.Value, dueYear, null, null, null, reason, BaseSource: @base?.Source,
            BasePeriod: @base is { } b0 ? indicator.PeriodOf(b0.Year) : null,
            CurrentPeriod: latest is null ? null : indicator.PeriodOf(latest.Year),
            TargetPeriod: dueYear is { } due && target.Kind != TargetKind.Cumulative ? indicator.PeriodOf(due) : null);
        SeriesProgress Result(ProgressStatus status, ProgressComponents c) => Checked(seriesId, status, c);
        SeriesProgress NotAssessable(string reason) => new(seriesId, ProgressStatus.NotAssessable, Components(reason));

        if (latest is null)
        {
            return NotAssessable("提出された値がない。");
        }

        switch (target.Kind)
        {
            case TargetKind.KeepRank when target.Value is { } bound:
            {
                var within = d * (latest.Value - bound) >= 0;
                return Result(within ? ProgressStatus.Achieved : ProgressStatus.Deterioration, Components(within
                    ? I($"最新値（{Describe(latest.Value, indicator)}）は目標（第{bound:0}位以内）の範囲内である。")
                    : I($"最新値（{Describe(latest.Value, indicator)}）は目標（第{bound:0}位以内）の範囲外である。")));
            }
            case TargetKind.Cumulative when target is { Value: { } total, FromYear: { } from, ToYear: { } to }:
                return AssessCumulative(indicator, seriesId, total, from, to, sorted);
        }

        // A value at or beyond the target is achieved whatever the trend (Open SDG checks this first).
        if (target is { Kind: TargetKind.Reach, Value: { } yT } && d * (latest.Value - yT) >= 0)
        {
            return Result(ProgressStatus.Achieved, Components($"最新値（{Describe(latest.Value, indicator)}）が目標値（{Describe(yT, indicator)}）に達している。"));
        }
        if (@base is not { } b)
        {
            return NotAssessable(baseline is null ? "基準となる値がなく、推移を評価できない。" : $"基準期間（{P(indicator.BaseYearOf(baseline))}）以降の値がなく、推移を評価できない。");
        }
        var (y0, t0, _) = b;
        var (yt, t) = (latest.Value, latest.Year);
        if (t <= t0)
        {
            return NotAssessable($"基準期間（{P(t0)}）より後の値がなく、推移を評価できない。");
        }

        if (target is { Kind: TargetKind.Reach, Value: { } yTarget, Year: not null } && dueYear is { } T)
        {
            if (T <= t0)
            {
                return NotAssessable($"目標の期間（{P(T)}）が基準期間（{P(t0)}）以前のため評価できない。");
            }
            // A value of several years is compared with the base period and the target period of the same kind: say which.
            var periods = indicator.Period.Years > 1 ? I($"基準（{P(t0)}）から最新（{P(t)}）まで{t - t0}年、目標（{P(T)}）まで{T - t0}年。") : "";
            if (indicator.ValueKind == ValueKind.Rank)
            {
                // Growth rates mean little for ranks: compare the share of the way covered with the share of time elapsed.
                if (y0 == yTarget)
                {
                    return NotAssessable($"基準値（{Describe(y0, indicator)}）が目標値と同じで、目標までの道のりがないため評価できない。");
                }
                var progress = (y0 - yt) / (y0 - yTarget);
                var elapsed = (double)(t - t0) / (T - t0);
                var r = RoundRatio(progress / elapsed);
                return Result(Classify(r), Components(
                        periods + I($"目標までの進捗割合 {Percent(progress)}、経過期間の割合 {Percent(elapsed)}（比 R = {r:0.00}）。"))
                    with { Ratio = r, ProgressShare = progress, ElapsedShare = elapsed });
            }
            if (y0 <= 0)
            {
                return NotAssessable("基準値が0のため成長率を計算できない。");
            }
            var observed = Cagr(y0, yt, t - t0);
            var required = Cagr(y0, yTarget, T - t0);
            if (!double.IsFinite(required) || Math.Abs(required) < 1e-12)
            {
                return NotAssessable($"基準値（{Describe(y0, indicator)}）が目標値と同じで、必要な成長率が0のため評価できない。");
            }
            var ratio = RoundRatio(d * observed / Math.Abs(required));
            return Result(Classify(ratio), Components(
                    periods + I($"実績の年平均成長率 {Signed(observed)}、目標達成に必要な年平均成長率 {Signed(required)}（比 R = {ratio:0.00}）。"))
                with { ObservedGrowth = observed, RequiredGrowth = required, Ratio = ratio });
        }

        // No target yet: the growth rate alone, signs reversed when lower is better.
        if (y0 <= 0)
        {
            return NotAssessable("基準値が0のため成長率を計算できない。");
        }
        var growth = RoundGrowth(d * Cagr(y0, yt, t - t0));
        var status = growth >= NoTargetSubstantialGrowth ? ProgressStatus.Substantial
            : growth >= NoTargetModerateGrowth ? ProgressStatus.Moderate
            : growth >= 0 ? ProgressStatus.Limited
            : ProgressStatus.Deterioration;
        return Result(status, Components($"目標値が未設定のため、基準（{P(t0)}）からの年平均成長率 {Signed(growth)} で評価した。")
            with { ObservedGrowth = growth });
    }

    /// <summary>
    /// A cumulative target is compared over the years that have values only: a missing year is unknown, not zero, so the
    /// total of the reported years is set against the pro-rata share of the target for that many years, and the missing
    /// years are named.
    /// </summary>
    private static SeriesProgress AssessCumulative(Indicator indicator, string seriesId, double total, int from, int to, List<Observation> sorted)
    {
        var y = indicator.YearSuffix;
        var inPeriod = sorted.Where(o => o.Year >= from && o.Year <= to).ToList();
        var latest = sorted[^1];
        if (inPeriod.Count == 0)
        {
            return new(seriesId, ProgressStatus.NotAssessable, new ProgressComponents(ProgressMethod.CumulativeProRata, null, from,
                latest.Value, latest.Year, total, to, null, null, null, $"累計期間（{from}～{to}{y}）の値がまだない。", CurrentPeriod: indicator.PeriodOf(latest.Year)));
        }
        var sum = inPeriod.Sum(o => o.Value);
        var reported = inPeriod.Select(o => o.Year).ToList();
        var missing = Enumerable.Range(from, reported[^1] - from + 1).Except(reported).ToList();
        var years = to - from + 1;
        var share = total * reported.Count / years;
        var ratio = RoundRatio(sum / share);
        var period = reported.Count == 1 ? $"{reported[0]}{y}" : $"{string.Join("・", reported)}{y}の{reported.Count}か年";
        var gaps = missing.Count == 0 ? "" : $"。{string.Join("・", missing)}{y}は未提出のため含まない";
        var components = new ProgressComponents(ProgressMethod.CumulativeProRata, null, from, inPeriod[^1].Value, inPeriod[^1].Year, total, to,
            null, null, ratio,
            I($"累計 {indicator.FormatNumber(sum)}（{period}{gaps}）、按分目標 {indicator.FormatNumber(share)}（{reported.Count}/{years}か年分）（比 R = {ratio:0.00}）。"),
            ElapsedShare: (double)reported.Count / years, CumulativeTotal: sum, ProRataTarget: share, ReportedYears: reported, MissingYears: missing,
            CurrentPeriod: indicator.PeriodOf(inPeriod[^1].Year));
        return sum >= total
            ? Checked(seriesId, ProgressStatus.Achieved, components with { Reason = $"累計 {indicator.FormatNumber(sum)}（{period}{gaps}）が目標 {indicator.FormatNumber(total)} に達している。" })
            : Checked(seriesId, Classify(ratio), components);
    }

    /// <summary>
    /// Scores the series and makes sure every number it carries is finite: a result that is not (a ratio of extreme
    /// values, say) is "not assessable" with the reason, never a number no reader or serialiser can use.
    /// </summary>
    private static SeriesProgress Checked(string seriesId, ProgressStatus status, ProgressComponents c)
    {
        double?[] numbers = [c.BaseValue, c.CurrentValue, c.TargetValue, c.ObservedGrowth, c.RequiredGrowth, c.Ratio, c.ProgressShare,
            c.ElapsedShare, c.CumulativeTotal, c.ProRataTarget];
        if (numbers.Any(n => n is { } v && !double.IsFinite(v)))
        {
            return new(seriesId, ProgressStatus.NotAssessable, c with
            {
                ObservedGrowth = null, RequiredGrowth = null, Ratio = null, ProgressShare = null, ElapsedShare = null, CumulativeTotal = null,
                ProRataTarget = null, Score = null,
                BaseValue = Finite(c.BaseValue), CurrentValue = Finite(c.CurrentValue), TargetValue = Finite(c.TargetValue),
                Reason = "値の比が極端で、成長率を有限の値として計算できないため評価できない。",
            });
        }
        return new(seriesId, status, c with { Score = ScoreOf(status, c) });
    }

    private static string I(FormattableString text) => FormattableString.Invariant(text);

    private static double? Finite(double? v) => v is { } x && double.IsFinite(x) ? x : null;

    /// <summary>The Open SDG score of one series: +5 when achieved, from R against a target, from growth without one.</summary>
    private static double? ScoreOf(ProgressStatus status, ProgressComponents c) => status switch
    {
        ProgressStatus.NotAssessable => null,
        ProgressStatus.Achieved => 5,
        ProgressStatus.Deterioration when c.Method == ProgressMethod.RankBound => -5,
        _ when c.Method == ProgressMethod.GrowthOnly && c.ObservedGrowth is { } g => RoundScore(ScoreOfGrowth(g)),
        _ when c.Ratio is { } r => RoundScore(ScoreOfRatio(r)),
        _ => null,
    };

    private static double Cagr(double from, double to, int years) => Math.Pow(to / from, 1.0 / years) - 1;

    private static ProgressStatus Classify(double r) => r >= Substantial ? ProgressStatus.Substantial
        : r >= Moderate ? ProgressStatus.Moderate
        : r >= 0 ? ProgressStatus.Limited
        : ProgressStatus.Deterioration;

    /// <summary>The method for the indicator's target; a target without the figures its kind needs is judged on growth alone.</summary>
    public static ProgressMethod MethodOf(Indicator indicator) => indicator.Target switch
    {
        { Kind: TargetKind.KeepRank, Value: not null } => ProgressMethod.RankBound,
        { Kind: TargetKind.Cumulative, Value: not null, FromYear: not null, ToYear: not null } => ProgressMethod.CumulativeProRata,
        { Kind: TargetKind.Reach, Value: not null, Year: not null } when indicator.ValueKind == ValueKind.Rank => ProgressMethod.RankPace,
        { Kind: TargetKind.Reach, Value: not null, Year: not null } => ProgressMethod.CagrRatio,
        _ => ProgressMethod.GrowthOnly,
    };

    private static string Describe(double value, Indicator indicator) => indicator.FormatValue(value);

    private static string Percent(double share) => (share * 100).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    private static string Signed(double growth) => growth.ToString("+0.0%;-0.0%;0.0%", System.Globalization.CultureInfo.InvariantCulture);

    public static string Symbol(ProgressStatus status) => status switch
    {
        ProgressStatus.Achieved => "◎",
        ProgressStatus.Substantial => "○",
        ProgressStatus.Moderate => "△",
        ProgressStatus.Limited => "▲",
        ProgressStatus.Deterioration => "×",
        _ => "−",
    };

    public static string Label(ProgressStatus status) => status switch
    {
        ProgressStatus.Achieved => "目標達成",
        ProgressStatus.Substantial => "順調",
        ProgressStatus.Moderate => "一定の進捗",
        ProgressStatus.Limited => "進捗に遅れ",
        ProgressStatus.Deterioration => "悪化",
        _ => "評価不能",
    };

    /// <summary>The method's name as the report prints it.</summary>
    public static string MethodName(ProgressMethod method) => method switch
    {
        ProgressMethod.CagrRatio => "成長率比",
        ProgressMethod.RankPace => "順位の進捗",
        ProgressMethod.RankBound => "順位の維持",
        ProgressMethod.CumulativeProRata => "累計の按分",
        ProgressMethod.GrowthOnly => "成長率のみ",
        _ => method.ToString(),
    };
}
