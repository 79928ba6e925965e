using System.Globalization;
using Reporting.Features.Indicators;

namespace Reporting.Features.Reports.Rendering;

/// <summary>How numbers read in the report: thousands separators, each indicator's own precision, ranks as 第N位.</summary>
public static class ValueFormat
{
    /// <summary>A number outside any indicator (a count of pages or years): thousands separators, no trailing zeros.</summary>
    public static string Number(double value) =>
        value.ToString(value == Math.Floor(value) ? "#,0" : "#,0.###", CultureInfo.InvariantCulture);

    /// <summary>A value of an indicator in its published precision and unit.</summary>
    public static string WithUnit(double value, Indicator indicator) => indicator.FormatValue(value);

    /// <summary>The period a value submitted under <paramref name="year"/> covers: "2025年度", "2023–2025年平均".</summary>
    public static string Period(int year, Indicator indicator) => indicator.PeriodText(year);

    /// <summary>
    /// The white-paper form with the era: "2024（令和6）年度", "2024（令和6）年"; a period of several years
    /// "2023–2025（令和5–7）年平均".
    /// </summary>
    public static string PeriodWithEra(int year, Indicator indicator)
    {
        var period = indicator.PeriodOf(year);
        var suffix = indicator.YearType == YearType.Fiscal ? "年度" : "年";
        if (period.Years == 1) return $"{year}（{Infrastructure.JapanTime.EraYear(year)}）{suffix}";
        var era = $"{Infrastructure.JapanTime.EraYear(period.From)}–{Infrastructure.JapanTime.EraYear(period.To).Replace("令和", "", StringComparison.Ordinal).Replace("平成", "", StringComparison.Ordinal)}";
        return $"{period.From}–{period.To}（{era}）{suffix}" + (indicator.Period.Kind == PeriodKind.Average ? "平均" : "");
    }
}
