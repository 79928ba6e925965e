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

    public static (Target? Target, Dictionary<string, string[]> Errors) Validate(
        Indicator indicator, TargetKind? requestedKind, double? value, string? valueError, int? year, int? fromYear, int? toYear, string? label, string? reason,
        Repertoire repertoire)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors.TryAdd(field, [message]);

        if (requestedKind is not { } kind)
        {
            Error("kind", "is required: reach, cumulative, keepRank or notSet.");
            return (null, errors);
        }
        var rank = indicator.ValueKind == ValueKind.Rank;
        var baseYear = indicator.Baseline.Count == 0 ? MinYear - 1 : indicator.Baseline.Max(indicator.BaseYearOf);

        if (kind != TargetKind.NotSet)
        {
            if (valueError is not null) Error("value", valueError);
            else if (value is null) Error("value", "is required.");
        }
        if (kind == TargetKind.KeepRank && !rank)
        {
            Error("kind", "keepRank applies to world ranks only; this indicator is measured in " + indicator.Unit + ".");
        }
        if (kind is TargetKind.Reach or TargetKind.KeepRank)
        {
            if (year is not (>= MinYear and <= MaxYear)) Error("year", $"is required: the year ({MinYear}–{MaxYear}) by which the target applies.");
            else if (indicator.Period.LabelOf(new(year.Value - indicator.Period.Years + 1, year.Value)) <= baseYear)
                Error("year", $"must be after the base period ({indicator.PeriodText(baseYear)}): progress is measured from there to the target year.");
        }
        if (kind is TargetKind.Cumulative or TargetKind.NotSet && (fromYear is not null || toYear is not null || kind == TargetKind.Cumulative))
        {
            if (fromYear is not (>= MinYear and <= MaxYear)) Error("fromYear", $"is required: the first year ({MinYear}–{MaxYear}) of the period.");
            if (toYear is not (>= MinYear and <= MaxYear)) Error("toYear", $"is required: the last year ({MinYear}–{MaxYear}) of the period.");
            else if (fromYear is >= MinYear and <= MaxYear && toYear < fromYear) Error("toYear", "must not be before fromYear.");
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
                                ? $"equals the baseline ({indicator.FormatValue(v)}): a target to stay at a rank is kind keepRank, not reach."
                                : $"equals the baseline ({indicator.FormatValue(v)}): a reach target must be a change from it.");
                            break;
                        }
                        if (d * (v - b.Value!.Value) < 0)
                        {
                            Error("value", $"is not an improvement on the baseline ({indicator.FormatValue(b.Value.Value)}): " +
                                (rank ? "a target rank must be a better (smaller) rank." : d > 0 ? "it must be larger." : "it must be smaller."));
                            break;
                        }
                    }
                    break;
                case TargetKind.KeepRank:
                    if (v < 1 || v != Math.Floor(v) || v > indicator.Maximum) Error("value", $"is a rank to stay within and must be an integer from 1 to {indicator.Maximum:0}.");
                    break;
                case TargetKind.Cumulative:
                    var years = toYear is { } to && fromYear is { } from && to >= from ? to - from + 1 : 1;
                    if (v <= 0) Error("value", "must be greater than 0: a cumulative target is a total to reach.");
                    else if (!ValueRules.HasAtMostDecimals(v, indicator.Decimals)) Error("value", $"has more decimal places than this indicator is published with (at most {indicator.Decimals}).");
                    else if (v > indicator.Maximum * years) Error("value", $"is larger than {years} years of the largest plausible yearly figure ({indicator.FormatValue(indicator.Maximum)}).");
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
