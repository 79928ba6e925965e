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

    public static string Period(int year, Indicator indicator) => Infrastructure.JapanTime.PeriodLabel(year, year, indicator.YearType == YearType.Fiscal);

    /// <summary>The white-paper form with the era: "2024（令和6）年度", "2024（令和6）年".</summary>
    public static string PeriodWithEra(int year, Indicator indicator) =>
        $"{year}（{Infrastructure.JapanTime.EraYear(year)}）{(indicator.YearType == YearType.Fiscal ? "年度" : "年")}";
}
