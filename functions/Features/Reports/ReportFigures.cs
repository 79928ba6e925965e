using System.Globalization;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Features.Submissions;

namespace Reporting.Features.Reports;

/// <summary>One series' figures as every output prints them.</summary>
public sealed record SeriesFigures(
    string SeriesId,
    string SeriesName,
    ValuePoint? Latest,
    string LatestText,
    string LatestPeriod,
    ProgressStatus Status,
    double? Score,
    ProgressComponents Components)
{
    public bool Provisional => Latest?.Status == ValueStatus.Provisional;
    public bool Flagged => Latest?.Flagged == true;
    public string StatusText => $"{ProgressAssessor.Symbol(Status)} {ProgressAssessor.Label(Status)}";
    public string ScoreText => ReportFigures.ScoreText(Score);
}

/// <summary>One indicator's figures as every output prints them.</summary>
public sealed record IndicatorFigures(
    IndicatorSnapshot Item,
    string AgencyName,
    ProgressStatus Status,
    double? Score,
    IReadOnlyList<SeriesFigures> Series)
{
    public Indicator Definition => Item.Definition;
    public bool MultiSeries => Series.Count > 1;
    public string StatusText => $"{ProgressAssessor.Symbol(Status)} {ProgressAssessor.Label(Status)}";
    public string ScoreText => ReportFigures.ScoreText(Score);
}

/// <summary>
/// Every figure a report states — latest values with their marks (速報, 要確認), statuses and scores of each indicator and
/// of each series — computed once from the snapshot. The PDF (summary table, chapter pages, 付録A) and the CSV and JSON
/// companions all print these, so they cannot disagree with each other, and the snapshot's progress is what the
/// progress API served for the same data.
/// </summary>
public static class ReportFigures
{
    public const string ProvisionalMark = "（速報）";
    public const string FlaggedMark = "（要確認）";

    public static IReadOnlyList<IndicatorFigures> Of(ReportSnapshot snapshot) =>
        snapshot.Indicators.Select(item => new IndicatorFigures(
            item,
            snapshot.AgencyName(item.Definition.Agency),
            item.Progress.Status,
            item.Progress.Score,
            item.Series.Select(s =>
            {
                var progress = item.Progress.Series.FirstOrDefault(p => p.SeriesId == s.SeriesId);
                var latest = s.Latest;
                return new SeriesFigures(
                    s.SeriesId,
                    s.Name,
                    latest,
                    latest is null ? "未提出" : ValueText(latest, item.Definition),
                    latest is null ? "" : Rendering.ValueFormat.Period(latest.Year, item.Definition),
                    progress?.Status ?? ProgressStatus.NotAssessable,
                    progress?.Components.Score,
                    progress?.Components ?? new ProgressComponents(ProgressAssessor.MethodOf(item.Definition), null, null, null, null, null, null,
                        null, null, null, "提出された値がない。"));
            }).ToList())).ToList();

    /// <summary>A value as printed: in the indicator's precision and unit, marked when provisional or flagged for checking.</summary>
    public static string ValueText(ValuePoint point, Indicator indicator) =>
        indicator.FormatValue(point.Value) + (point.Status == ValueStatus.Provisional ? ProvisionalMark : "") + (point.Flagged ? FlaggedMark : "");

    /// <summary>A score as printed everywhere: two decimals, as the assessor rounds it.</summary>
    /// <summary>What has been submitted for the report's years, as its appendix and the staff's page show it.</summary>
    public static Features.Completeness.CompletenessReport Completeness(ReportSnapshot snapshot) =>
        Features.Completeness.CompletenessCalculator.Compute(snapshot.FiscalYear, snapshot.Indicators.Select(i => (i.Definition,
            (IReadOnlyList<Features.Completeness.ValueFact>)i.Series.SelectMany(sr => sr.Values.Select(v =>
                new Features.Completeness.ValueFact(sr.SeriesId, v.Year, v.Value, v.Revision, v.Status, v.Flagged, v.FlagReason))).ToList())));

    public static string ScoreText(double? score) => score is { } s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "—";
}
