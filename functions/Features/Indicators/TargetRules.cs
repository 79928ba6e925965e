using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>
/// What an administrator may set as an indicator's target: only targets the progress method can assess. A target that
/// would make the method undefined is refused here, at input, naming the field — never accepted and then failing a
/// report: a reach target equal to the baseline (for a rank that is "keep", not "reach"), one in the wrong direction,
/// one due before the base year, a cumulative total of zero.
/// </summary>
public static class TargetRules
{
    public const int MinYear = 2000;
    public const int MaxYear = 2100;
    public const int MaxLabelLength = 200;

    public static (Target? Target, Dictionary<string, Message[]> Errors) Validate(
        Indicator indicator, TargetKind? requestedKind, double? value, Message? valueError, int? year, int? fromYear, int? toYear, string? label, string? reason,
        Repertoire repertoire)
    {
        var errors = new Dictionary<string, Message[]>();
        void Error(string field, Message message) => errors.TryAdd(field, [message]);

        if (requestedKind is not { } kind)
        {
            Error("kind", new("is required: reach, cumulative, keepRank or notSet.", "目標の種類（到達・累計・順位維持・未設定）を選んでください。"));
            return (null, errors);
        }
        var rank = indicator.ValueKind == ValueKind.Rank;
        var baseYear = indicator.Baseline.Count == 0 ? MinYear - 1 : indicator.Baseline.Max(indicator.BaseYearOf);

        if (kind != TargetKind.NotSet)
        {
            if (valueError is not null) Error("value", valueError);
            else if (value is null) Error("value", ValueRules.Required);
        }
        if (kind == TargetKind.KeepRank && !rank)
        {
            Error("kind", new("keepRank applies to world ranks only; this indicator is measured in " + indicator.Unit + ".",
                $"順位維持は世界順位の指標にだけ設定できます。この指標の単位は{indicator.Unit}です。"));
        }
        if (kind is TargetKind.Reach or TargetKind.KeepRank)
        {
            if (year is not (>= MinYear and <= MaxYear)) Error("year", new($"is required: the year ({MinYear}–{MaxYear}) by which the target applies.",
                $"目標年（{MinYear}〜{MaxYear}）を入力してください。"));
            else if (indicator.Period.LabelOf(new(year.Value - indicator.Period.Years + 1, year.Value)) <= baseYear)
                Error("year", new($"must be after the base period ({indicator.PeriodText(baseYear)}): progress is measured from there to the target year.",
                    $"目標年は基準期間（{indicator.PeriodText(baseYear)}）より後にしてください。進捗は基準期間から目標年までで測ります。"));
        }
        if (kind is TargetKind.Cumulative or TargetKind.NotSet && (fromYear is not null || toYear is not null || kind == TargetKind.Cumulative))
        {
            if (fromYear is not (>= MinYear and <= MaxYear)) Error("fromYear", new($"is required: the first year ({MinYear}–{MaxYear}) of the period.",
                $"期間の最初の年（{MinYear}〜{MaxYear}）を入力してください。"));
            if (toYear is not (>= MinYear and <= MaxYear)) Error("toYear", new($"is required: the last year ({MinYear}–{MaxYear}) of the period.",
                $"期間の最後の年（{MinYear}〜{MaxYear}）を入力してください。"));
            else if (fromYear is >= MinYear and <= MaxYear && toYear < fromYear) Error("toYear", new("must not be before fromYear.", "期間の最後の年は最初の年より前にできません。"));
        }

        if (!errors.ContainsKey("value") && value is { } v)
        {
            switch (kind)
            {
                case TargetKind.Reach:
                    if (ValueRules.CheckNumber(v, indicator) is { } reachError)
                    {
                        Error("value", reachError);
                        break;
                    }
                    var d = indicator.Direction == Direction.HigherIsBetter ? 1 : -1;
                    foreach (var b in indicator.Baseline.Where(b => b.Value is not null))
                    {
                        if (v == b.Value)
                        {
                            Error("value", rank
                                ? new($"equals the baseline ({indicator.FormatValue(v)}): a target to stay at a rank is kind keepRank, not reach.",
                                    $"基準値（{indicator.FormatValue(v)}）と同じです。順位を保つ目標は「順位維持」を選んでください。")
                                : new($"equals the baseline ({indicator.FormatValue(v)}): a reach target must be a change from it.",
                                    $"基準値（{indicator.FormatValue(v)}）と同じです。到達目標は基準値から変化した値にしてください。"));
                            break;
                        }
                        if (d * (v - b.Value!.Value) < 0)
                        {
                            Error("value", new($"is not an improvement on the baseline ({indicator.FormatValue(b.Value.Value)}): " +
                                    (rank ? "a target rank must be a better (smaller) rank." : d > 0 ? "it must be larger." : "it must be smaller."),
                                $"基準値（{indicator.FormatValue(b.Value.Value)}）からの改善になっていません。" +
                                    (rank ? "目標の順位は基準より上位（小さい数）にしてください。" : d > 0 ? "基準値より大きい値にしてください。" : "基準値より小さい値にしてください。")));
                            break;
                        }
                    }
                    break;
                case TargetKind.KeepRank:
                    if (v < 1 || v != Math.Floor(v) || v > indicator.Maximum) Error("value", new($"is a rank to stay within and must be an integer from 1 to {indicator.Maximum:0}.",
                        $"維持する順位は1から{indicator.Maximum:0}までの整数で入力してください。"));
                    break;
                case TargetKind.Cumulative:
                    var years = toYear is { } to && fromYear is { } from && to >= from ? to - from + 1 : 1;
                    if (v <= 0) Error("value", new("must be greater than 0: a cumulative target is a total to reach.", "累計目標は到達する合計なので、0より大きい値にしてください。"));
                    else if (!ValueRules.HasAtMostDecimals(v, indicator.Decimals)) Error("value", new($"has more decimal places than this indicator is published with (at most {indicator.Decimals}).",
                        $"小数点以下は{indicator.Decimals}桁までで入力してください。"));
                    else if (v > indicator.Maximum * years) Error("value", new($"is larger than {years} years of the largest plausible yearly figure ({indicator.FormatValue(indicator.Maximum)}).",
                        $"{years}年分の最大の年間値（{indicator.FormatValue(indicator.Maximum)}）の合計を超えています。"));
                    break;
            }
        }
        if (TextRules.Check(label, repertoire, MaxLabelLength, oneLine: true) is { } labelError) Error("label", labelError);
        if (TextRules.Check(reason, repertoire) is { } reasonError) Error("reason", reasonError);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var fiscal = indicator.YearType == YearType.Fiscal;
        value += 0.0; // −0 is 0
        Target target = kind switch
        {
            TargetKind.Reach => new(kind, value, year, null, null, label ?? $"{Stated(value!.Value, indicator)}（{JapanTime.PeriodLabel(year!.Value, year.Value, fiscal)}）"),
            TargetKind.KeepRank => new(kind, value, year, null, null, label ?? $"上位{Stated(value!.Value)}位以内を維持（{JapanTime.PeriodLabel(year!.Value, year.Value, fiscal)}）"),
            TargetKind.Cumulative => new(kind, value, null, fromYear, toYear, label ?? $"累計{Stated(value!.Value)}{indicator.Unit}（{JapanTime.PeriodLabel(fromYear!.Value, toYear!.Value, fiscal)}合計）"),
            _ => new(TargetKind.NotSet, null, null, fromYear, toYear, label ?? "未設定"),
        };
        return (target, errors);
    }

    /// <summary>A target as an administrator states it: no trailing zeros ("180兆円", not "180.00兆円").</summary>
    private static string Stated(double value) => value.ToString("#,0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static string Stated(double value, Indicator indicator) =>
        indicator.ValueKind == ValueKind.Rank ? $"第{Stated(value)}位" : $"{Stated(value)}{indicator.Unit}";
}
