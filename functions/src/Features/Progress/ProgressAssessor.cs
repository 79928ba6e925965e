using Reporting.Features.Indicators;

namespace Reporting.Features.Progress;

public enum ProgressStatus { Achieved, Substantial, Moderate, Limited, Deterioration, NotAssessable }

public sealed record Observation(int Year, double Value);

/// <summary>The inputs and results of one series' assessment: printed in the report and kept in its snapshot.</summary>
public sealed record ProgressComponents(
    string Method,
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
    double? ProRataTarget = null);

public sealed record SeriesProgress(string SeriesId, ProgressStatus Status, ProgressComponents Components);

public sealed record IndicatorProgress(string IndicatorId, ProgressStatus Status, IReadOnlyList<SeriesProgress> Series, double? Score = null);

/// <summary>
/// Progress toward the plan's targets, after the method statistics offices use for SDG progress (UN ESCAP, as in Open SDG
/// and Statistics Canada): the growth achieved since the baseline is compared with the growth the target requires.
/// R ≥ 0.95 substantial, 0.60 ≤ R &lt; 0.95 moderate, 0 ≤ R &lt; 0.60 limited, R &lt; 0 deterioration; at or beyond the
/// target in the desired direction is "achieved". Ranks use a linear pace, rank-keeping targets a bound check,
/// cumulative targets the pro-rata share, and targets not yet set the growth rate alone.
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
        var (status, score) = Combine(series);
        return new IndicatorProgress(indicator.Id, status, series, score);
    }

    /// <summary>
    /// Several series are combined as Open SDG does: each assessable series' score (−5…+5) is averaged and the mean is
    /// read on the same scale; "achieved" only when every series has achieved its target.
    /// </summary>
    public static (ProgressStatus Status, double? Score) Combine(IReadOnlyList<SeriesProgress> series)
    {
        var scored = series.Where(s => s.Status != ProgressStatus.NotAssessable && s.Components.Score is not null).ToList();
        if (scored.Count == 0) return (ProgressStatus.NotAssessable, null);
        if (scored.Count == series.Count && scored.All(s => s.Status == ProgressStatus.Achieved)) return (ProgressStatus.Achieved, 5);
        var mean = scored.Average(s => s.Components.Score!.Value);
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

    public static SeriesProgress AssessSeries(Indicator indicator, string seriesId, IReadOnlyList<Observation> observations)
    {
        var target = indicator.Target;
        var baseline = indicator.BaselineFor(seriesId);
        var sorted = observations.OrderBy(o => o.Year).ToList();
        var latest = sorted.LastOrDefault();
        var d = indicator.Direction == Direction.HigherIsBetter ? 1.0 : -1.0;

        SeriesProgress Result(ProgressStatus status, ProgressComponents c) => new(seriesId, status, c with { Score = ScoreOf(status, c) });
        ProgressComponents Empty(string method, string reason) => new(method, baseline?.Value, baseline?.Year, latest?.Value, latest?.Year,
            target.Value, target.DueYear, null, null, null, reason);

        if (latest is null)
        {
            return Result(ProgressStatus.NotAssessable, Empty(MethodOf(indicator), "提出された値がありません。"));
        }

        switch (target.Kind)
        {
            case TargetKind.KeepRank:
            {
                var bound = target.Value!.Value;
                var within = latest.Value <= bound;
                return Result(within ? ProgressStatus.Achieved : ProgressStatus.Deterioration,
                    Empty("rank-bound", within
                        ? $"最新値（第{latest.Value:0}位）が目標（第{bound:0}位以内）の範囲内です。"
                        : $"最新値（第{latest.Value:0}位）が目標（第{bound:0}位以内）を外れています。"));
            }
            case TargetKind.Cumulative:
                return AssessCumulative(target, latest, sorted, Result, Empty);
        }

        // Growth is measured from the plan's baseline; without one (●●), from the first submitted value.
        var (y0, t0) = baseline?.Value is { } bv ? (bv, baseline.Year) : (sorted[0].Value, sorted[0].Year);
        var (yt, t) = (latest.Value, latest.Year);
        if (t <= t0)
        {
            return Result(ProgressStatus.NotAssessable, Empty(MethodOf(indicator), $"基準年（{t0}）より後の値がなく、推移を評価できません。") with { BaseValue = y0, BaseYear = t0 });
        }

        if (target.Kind == TargetKind.Reach && target.Value is { } yT && target.Year is { } T)
        {
            if (d * (yt - yT) >= 0)
            {
                return Result(ProgressStatus.Achieved, new(MethodOf(indicator), y0, t0, yt, t, yT, T, null, null, null, "最新値が目標値に達しています。"));
            }
            if (T <= t0)
            {
                return Result(ProgressStatus.NotAssessable, new(MethodOf(indicator), y0, t0, yt, t, yT, T, null, null, null, "目標年が基準年以前のため評価できません。"));
            }
            if (indicator.ValueKind == ValueKind.Rank)
            {
                // Growth rates mean little for ranks: compare the share of the way covered with the share of time elapsed.
                var progress = (y0 - yt) / (y0 - yT);
                var elapsed = (double)(t - t0) / (T - t0);
                var r = progress / elapsed;
                return Result(Classify(r), new("rank-pace", y0, t0, yt, t, yT, T, null, null, r,
                    $"目標までの進捗割合 {progress * 100:0}%、経過期間割合 {elapsed * 100:0}%（比 R = {r:0.00}）。",
                    ProgressShare: progress, ElapsedShare: elapsed));
            }
            if (y0 <= 0 || yt <= 0 || yT <= 0)
            {
                return Result(ProgressStatus.NotAssessable, new("cagr-ratio", y0, t0, yt, t, yT, T, null, null, null, "値が0以下のため成長率を計算できません。"));
            }
            var observed = Cagr(y0, yt, t - t0);
            var required = Cagr(y0, yT, T - t0);
            if (Math.Abs(required) < 1e-12)
            {
                return Result(ProgressStatus.NotAssessable, new("cagr-ratio", y0, t0, yt, t, yT, T, observed, required, null, "基準値と目標値が等しく、必要成長率が0です。"));
            }
            var ratio = d * observed / Math.Abs(required);
            return Result(Classify(ratio), new("cagr-ratio", y0, t0, yt, t, yT, T, observed, required, ratio,
                $"実績の年平均成長率 {observed:+0.0%;-0.0%;0.0%}、目標達成に必要な年平均成長率 {required:+0.0%;-0.0%;0.0%}（比 R = {ratio:0.00}）。"));
        }

        // No target yet: the growth rate alone, signs reversed when lower is better.
        if (y0 <= 0 || yt <= 0)
        {
            return Result(ProgressStatus.NotAssessable, new("growth-only", y0, t0, yt, t, null, null, null, null, null, "値が0以下のため成長率を計算できません。"));
        }
        var growth = d * Cagr(y0, yt, t - t0);
        var status = growth >= NoTargetSubstantialGrowth ? ProgressStatus.Substantial
            : growth >= NoTargetModerateGrowth ? ProgressStatus.Moderate
            : growth >= 0 ? ProgressStatus.Limited
            : ProgressStatus.Deterioration;
        return Result(status, new("growth-only", y0, t0, yt, t, null, null, growth, null, null,
            $"目標値が未設定のため、年平均成長率 {growth:+0.0%;-0.0%;0.0%} で評価しています。"));
    }

    private static SeriesProgress AssessCumulative(Target target, Observation latest, List<Observation> sorted,
        Func<ProgressStatus, ProgressComponents, SeriesProgress> result, Func<string, string, ProgressComponents> empty)
    {
        var (from, to, total) = (target.FromYear!.Value, target.ToYear!.Value, target.Value!.Value);
        var inPeriod = sorted.Where(o => o.Year >= from && o.Year <= to).ToList();
        if (inPeriod.Count == 0)
        {
            return result(ProgressStatus.NotAssessable, empty("cumulative-pro-rata", $"累計期間（{from}～{to}）の値がまだありません。"));
        }
        var sum = inPeriod.Sum(o => o.Value);
        var lastYear = Math.Min(inPeriod[^1].Year, to);
        var share = total * (lastYear - from + 1) / (to - from + 1);
        var ratio = sum / share;
        var components = new ProgressComponents("cumulative-pro-rata", null, from, inPeriod[^1].Value, inPeriod[^1].Year, total, to, null, null, ratio,
            $"累計 {sum:#,0.###}（{from}～{lastYear}）、按分目標 {share:#,0.###}（比 R = {ratio:0.00}）。",
            ElapsedShare: (double)(lastYear - from + 1) / (to - from + 1), CumulativeTotal: sum, ProRataTarget: share);
        return sum >= total ? result(ProgressStatus.Achieved, components with { Reason = $"累計 {sum:#,0.###} が目標 {total:#,0.###} に達しています。" })
            : result(Classify(ratio), components);
    }

    /// <summary>The Open SDG score of one series: +5 when achieved, from R against a target, from growth without one.</summary>
    private static double? ScoreOf(ProgressStatus status, ProgressComponents c) => status switch
    {
        ProgressStatus.NotAssessable => null,
        ProgressStatus.Achieved => 5,
        ProgressStatus.Deterioration when c.Method == "rank-bound" => -5,
        _ when c.Method == "growth-only" && c.ObservedGrowth is { } g => ScoreOfGrowth(g),
        _ when c.Ratio is { } r => ScoreOfRatio(r),
        _ => null,
    };

    private static double Cagr(double from, double to, int years) => Math.Pow(to / from, 1.0 / years) - 1;

    private static ProgressStatus Classify(double r) => r >= Substantial ? ProgressStatus.Substantial
        : r >= Moderate ? ProgressStatus.Moderate
        : r >= 0 ? ProgressStatus.Limited
        : ProgressStatus.Deterioration;

    private static string MethodOf(Indicator indicator) => indicator.Target.Kind switch
    {
        TargetKind.NotSet => "growth-only",
        TargetKind.KeepRank => "rank-bound",
        TargetKind.Cumulative => "cumulative-pro-rata",
        _ when indicator.ValueKind == ValueKind.Rank => "rank-pace",
        _ => "cagr-ratio",
    };

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
}
