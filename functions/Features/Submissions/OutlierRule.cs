using System.Globalization;

namespace Reporting.Features.Submissions;

/// <summary>
/// A value more than <c>factor</c> times (or less than 1/<c>factor</c>) the previous year's is flagged 要確認 for staff:
/// it is still accepted and used, and the report lists it. Decided whenever a value is read, from the previous year's
/// value as it is then — a flag stored at submission would go stale when that year is revised.
/// </summary>
public static class OutlierRule
{
    public static IndicatorValue Apply(IndicatorValue value, IndicatorValue? previousYear, double factor)
    {
        if (previousYear is null || previousYear.Value <= 0 || value.Value <= 0 || factor <= 1)
        {
            return value with { Flagged = false, FlagReason = null };
        }
        var ratio = value.Value / previousYear.Value;
        return ratio > factor || ratio < 1 / factor
            ? value with
            {
                Flagged = true,
                FlagReason = string.Create(CultureInfo.InvariantCulture,
                    $"前年（{value.Year - 1}）の値 {previousYear.Value:#,0.###} の {ratio:0.##} 倍（閾値 {factor:0.##} 倍）。"),
            }
            : value with { Flagged = false, FlagReason = null };
    }

    /// <summary>Flags <paramref name="value"/> against the previous year's value in <paramref name="values"/>.</summary>
    public static IndicatorValue Apply(IndicatorValue value, IReadOnlyDictionary<(string Series, int Year), IndicatorValue> values, double factor) =>
        Apply(value, values.GetValueOrDefault((value.Series, value.Year - 1)), factor);
}
