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
    string Reason);

public sealed record SeriesProgress(string SeriesId, ProgressStatus Status, ProgressComponents Components);

public sealed record IndicatorProgress(string IndicatorId, ProgressStatus Status, IReadOnlyList<SeriesProgress> Series);

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
        return new IndicatorProgress(indicator.Id, Combine(series.Select(s => s.Status).ToList()), series);
    }

    /// <summary>
    /// An indicator with several series is achieved only when every series is; otherwise its status is the average of the
    /// assessable series' scores (substantial 3, moderate 2, limited 1, deterioration 0), rounded down so a mix never
    /// reads better than its parts.
    /// </summary>
    public static ProgressStatus Combine(IReadOnlyList<ProgressStatus> statuses)
    {
        var assessable = statuses.Where(s => s != ProgressStatus.NotAssessable).ToList();
        if (assessable.Count == 0) return ProgressStatus.NotAssessable;
        if (assessable.Count == statuses.Count && assessable.All(s => s == ProgressStatus.Achieved)) return ProgressStatus.Achieved;
        var mean = assessable.Average(s => s switch
        {
            ProgressStatus.Achieved or ProgressStatus.Substantial => 3.0,
            ProgressStatus.Moderate => 2.0,
            ProgressStatus.Limited => 1.0,
            _ => 0.0,
        });
        return Math.Floor(mean + 1e-9) switch
        {
            >= 3 => ProgressStatus.Substantial,
            2 => ProgressStatus.Moderate,
            1 => ProgressStatus.Limited,
            _ => ProgressStatus.Deterioration,
        };
    }

    public static SeriesProgress AssessSeries(Indicator indicator, string seriesId, IReadOnlyList<Observation> observations)
    {
        var target = indicator.Target;
        var baseline = indicator.BaselineFor(seriesId);
        var sorted = observations.OrderBy(o => o.Year).ToList();
        var latest = sorted.LastOrDefault();
        var d = indicator.Direction == Direction.HigherIsBetter ? 1.0 : -1.0;

        SeriesProgress Result(ProgressStatus status, ProgressComponents c) => new(seriesId, status, c);
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
                return Result(Classify(r), new("rank-pace", y0, t0, yt, t, yT, T, progress, elapsed, r,
                    $"目標までの進捗割合 {progress * 100:0}%、経過期間割合 {elapsed * 100:0}%（比 R = {r:0.00}）。"));
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
        var components = new ProgressComponents("cumulative-pro-rata", null, from, sum, lastYear, total, to, null, null, ratio,
            $"累計 {sum:#,0.###}（{from}～{lastYear}）、按分目標 {share:#,0.###}（比 R = {ratio:0.00}）。");
        return sum >= total ? result(ProgressStatus.Achieved, components with { Reason = $"累計 {sum:#,0.###} が目標 {total:#,0.###} に達しています。" })
            : result(Classify(ratio), components);
    }

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
