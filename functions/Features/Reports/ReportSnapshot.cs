using Reporting.Features.Indicators;
using Reporting.Features.Progress;

namespace Reporting.Features.Reports;

/// <summary>
/// Everything a report is made from, frozen at generation time and stored beside the PDF as JSON, so a report can be
/// explained (and re-rendered) from exactly the data it showed.
/// </summary>
public sealed record ReportSnapshot(
    int FiscalYear,
    DateTimeOffset GeneratedAt,
    string Trigger,
    string Publisher,
    IReadOnlyList<IndicatorSnapshot> Indicators,
    IReadOnlyList<Agency>? Agencies = null,
    IReadOnlyList<CatalogChange>? CatalogChanges = null)
{
    /// <summary>The Japanese name of an agency as registered when the report was generated (its code if unknown).</summary>
    public string AgencyName(string code) =>
        (Agencies ?? PlanCatalog.Agencies).FirstOrDefault(a => string.Equals(a.Code, code, StringComparison.OrdinalIgnoreCase))?.Name ?? code;
}

public sealed record IndicatorSnapshot(Indicator Definition, IReadOnlyList<SeriesSnapshot> Series, IndicatorProgress Progress);

public sealed record SeriesSnapshot(string SeriesId, string Name, IReadOnlyList<ValuePoint> Values)
{
    public ValuePoint? Latest => Values.Count == 0 ? null : Values[^1];
}

/// <summary>A value as reported; <see cref="History"/> lists every revision when it was revised (revision &gt; 1).</summary>
public sealed record ValuePoint(int Year, double Value, string? Note, int Revision, string Agency, DateTimeOffset SubmittedAt,
    IReadOnlyList<Submissions.ValueRevision>? History = null,
    Submissions.ValueStatus Status = Submissions.ValueStatus.Final,
    bool Flagged = false,
    string? FlagReason = null);

/// <summary>A report is a draft until staff publish it as the year's final report.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<ReportStatus>))]
public enum ReportStatus { Draft, Final }

/// <summary>A stored report, as listed by the API.</summary>
public sealed record ReportInfo(
    string Id,
    int FiscalYear,
    DateTimeOffset CreatedAt,
    long Size,
    string DownloadPath,
    string SnapshotPath,
    string Trigger,
    string? SnapshotSha256 = null,
    string? SummaryCsvPath = null,
    string? SummaryJsonPath = null,
    ReportStatus Status = ReportStatus.Draft,
    DateTimeOffset? PublishedAt = null,
    string? PublishedBy = null,
    string? DataSha256 = null,
    int Sequence = 0,
    string? HtmlPath = null);
