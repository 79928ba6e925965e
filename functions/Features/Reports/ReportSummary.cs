using System.Globalization;
using System.Text;
using System.Text.Json;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;

namespace Reporting.Features.Reports;

/// <summary>
/// One line of the summary table, one per series, as stored beside each PDF in CSV and JSON. It carries the series'
/// own status and score and, separately, its indicator's — a series never repeats its indicator's status as its own.
/// </summary>
public sealed record SummaryRow(
    int No,
    string IndicatorId,
    string Group,
    string Name,
    string SeriesId,
    string Series,
    double? LatestValue,
    string LatestValueText,
    int? LatestYear,
    YearPeriod? LatestPeriod,
    string LatestPeriodText,
    YearType YearType,
    string YearTypeLabel,
    bool Provisional,
    bool Flagged,
    string? FlagReason,
    string Unit,
    string Baseline,
    double? BaseValue,
    int? BaseYear,
    YearPeriod? BasePeriod,
    BaseValueSource? BaseSource,
    string Target,
    ProgressMethod Method,
    ProgressStatus SeriesStatus,
    string SeriesStatusLabel,
    string SeriesSymbol,
    double? SeriesScore,
    ProgressStatus Status,
    string StatusLabel,
    string Symbol,
    double? Score,
    string Agency,
    string AgencyName);

/// <summary>The report's summary table for spreadsheets and systems: CSV that Excel opens correctly, and JSON.</summary>
public static partial class ReportSummary
{
    public static IReadOnlyList<SummaryRow> Rows(ReportSnapshot snapshot) => ReportFigures.Of(snapshot)
        .SelectMany(i => i.Series.Select(s => new SummaryRow(
            i.Definition.Order,
            i.Definition.Id,
            Indicator.GroupName(i.Definition.Group),
            i.Definition.Name,
            s.SeriesId,
            s.SeriesName,
            s.Latest?.Value,
            s.LatestText,
            s.Latest?.Year,
            s.Latest is { } latest ? i.Definition.PeriodOf(latest.Year) : null,
            s.LatestPeriod,
            i.Definition.YearType,
            i.Definition.YearSuffix,
            s.Provisional,
            s.Flagged,
            s.Latest?.FlagReason,
            i.Definition.Unit,
            i.Definition.BaselineFor(s.SeriesId)?.Label ?? "",
            s.Components.BaseValue,
            s.Components.BaseYear,
            s.Components.BasePeriod,
            s.Components.BaseSource,
            i.Definition.Target.Label,
            s.Components.Method,
            s.Status,
            ProgressAssessor.Label(s.Status),
            ProgressAssessor.Symbol(s.Status),
            s.Score,
            i.Status,
            ProgressAssessor.Label(i.Status),
            ProgressAssessor.Symbol(i.Status),
            i.Score,
            i.Definition.Agency,
            i.AgencyName)))
        .ToList();

    /// <summary>UTF-8 with a byte-order mark (so Excel reads it as UTF-8, not Shift_JIS), CRLF, RFC 4180 quoting.</summary>
    public static byte[] Csv(IReadOnlyList<SummaryRow> rows)
    {
        var csv = new StringBuilder();
        string[] header =
        [
            "番号", "指標ID", "観点", "指標", "系列ID", "系列", "最新値", "最新値（表示）", "最新値の年", "最新値の期間（始）", "最新値の期間（終）", "最新値の期間",
            "年の区分", "速報値", "要確認", "要確認の理由",
            "単位", "基準値（計画）", "評価に用いた基準値", "基準年", "基準期間（始）", "基準期間（終）", "基準値の出所", "目標", "評価方法",
            "系列の評価", "系列の評価記号", "系列のスコア", "指標の評価", "指標の評価記号", "指標のスコア", "担当府省コード", "担当府省",
        ];
        csv.Append(string.Join(',', header.Select(Quote))).Append("\r\n");
        foreach (var r in rows)
        {
            string[] cells =
            [
                N(r.No), r.IndicatorId, r.Group, r.Name, r.SeriesId, r.Series,
                r.LatestValue?.ToString("R", CultureInfo.InvariantCulture) ?? "", r.LatestValueText, r.LatestYear is { } y ? N(y) : "",
                r.LatestPeriod is { } lp ? N(lp.From) : "", r.LatestPeriod is { } lp2 ? N(lp2.To) : "", r.LatestPeriodText, r.YearTypeLabel,
                r.Provisional ? "速報" : "", r.Flagged ? "要確認" : "", r.FlagReason ?? "",
                r.Unit, r.Baseline, r.BaseValue?.ToString("R", CultureInfo.InvariantCulture) ?? "", r.BaseYear is { } by ? N(by) : "",
                r.BasePeriod is { } bp ? N(bp.From) : "", r.BasePeriod is { } bp2 ? N(bp2.To) : "",
                r.BaseSource switch { BaseValueSource.Plan => "計画", BaseValueSource.Submitted => "提出値", _ => "" },
                r.Target, ProgressAssessor.MethodName(r.Method),
                r.SeriesStatusLabel, r.SeriesSymbol, ReportFigures.ScoreText(r.SeriesScore).Replace("—", ""),
                r.StatusLabel, r.Symbol, ReportFigures.ScoreText(r.Score).Replace("—", ""), r.Agency, r.AgencyName,
            ];
            csv.Append(string.Join(',', cells.Select(Quote))).Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public static byte[] Json(IReadOnlyList<SummaryRow> rows) => JsonSerializer.SerializeToUtf8Bytes(rows, Infrastructure.Json.Info<IReadOnlyList<SummaryRow>>());

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string cell)
    {
        cell = Neutralize(cell);
        return cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"") + "\"" : cell;
    }

    /// <summary>
    /// CSV injection (OWASP): a cell a spreadsheet would run as a formula — one starting with = + - @, a tab or a carriage
    /// return, such as a target label "=HYPERLINK(…)" — is written with a leading apostrophe. A plain number ("-3.2") is
    /// left as it is: it is not a formula, and it must stay a number.
    /// </summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[-+]?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex PlainNumber();

    internal static string Neutralize(string cell) =>
        cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
        && !PlainNumber().IsMatch(cell)
            ? "'" + cell
            : cell;
}
