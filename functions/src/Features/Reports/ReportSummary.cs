using System.Globalization;
using System.Text;
using System.Text.Json;
using Reporting.Features.Progress;
using Reporting.Features.Reports.Rendering;
using Reporting.Infrastructure;

namespace Reporting.Features.Reports;

/// <summary>One line of the summary table, as stored beside each PDF in CSV and JSON.</summary>
public sealed record SummaryRow(
    int No,
    string IndicatorId,
    string Group,
    string Name,
    string Series,
    double? LatestValue,
    int? LatestYear,
    string Unit,
    string Baseline,
    string Target,
    ProgressStatus Status,
    string StatusLabel,
    string Symbol,
    double? Score,
    string Agency);

/// <summary>The report's summary table for spreadsheets and systems: CSV that Excel opens correctly, and JSON.</summary>
public static class ReportSummary
{
    public static IReadOnlyList<SummaryRow> Rows(ReportSnapshot snapshot) => snapshot.Indicators
        .SelectMany(i => i.Series.Select(s => new SummaryRow(
            i.Definition.Order,
            i.Definition.Id,
            Indicators.Indicator.GroupName(i.Definition.Group),
            i.Definition.Name,
            s.Name,
            s.Latest?.Value,
            s.Latest?.Year,
            i.Definition.Unit,
            i.Definition.BaselineFor(s.SeriesId)?.Label ?? "",
            i.Definition.Target.Label,
            i.Progress.Status,
            ProgressAssessor.Label(i.Progress.Status),
            ProgressAssessor.Symbol(i.Progress.Status),
            i.Progress.Score,
            ReportDocument.AgencyName(i.Definition.Agency))))
        .ToList();

    /// <summary>UTF-8 with a byte-order mark (so Excel reads it as UTF-8, not Shift_JIS), CRLF, RFC 4180 quoting.</summary>
    public static byte[] Csv(IReadOnlyList<SummaryRow> rows)
    {
        var csv = new StringBuilder();
        string[] header = ["番号", "指標ID", "観点", "指標", "系列", "最新値", "最新値の年", "単位", "基準値", "目標", "評価", "評価記号", "スコア", "担当府省"];
        csv.Append(string.Join(',', header.Select(Quote))).Append("\r\n");
        foreach (var r in rows)
        {
            string[] cells =
            [
                r.No.ToString(CultureInfo.InvariantCulture), r.IndicatorId, r.Group, r.Name, r.Series,
                r.LatestValue?.ToString("R", CultureInfo.InvariantCulture) ?? "", r.LatestYear?.ToString(CultureInfo.InvariantCulture) ?? "",
                r.Unit, r.Baseline, r.Target, r.StatusLabel, r.Symbol, r.Score?.ToString("0.00", CultureInfo.InvariantCulture) ?? "", r.Agency,
            ];
            csv.Append(string.Join(',', cells.Select(Quote))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public static byte[] Json(IReadOnlyList<SummaryRow> rows) => JsonSerializer.SerializeToUtf8Bytes(rows, Infrastructure.Json.Options);

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
}
