using Reporting.Features.Indicators;
using Reporting.Features.Submissions;

namespace Reporting.Features.Completeness;

/// <summary>What completeness needs to know of one stored value.</summary>
public sealed record ValueFact(string Series, int Year, double Value, int Revision, ValueStatus Status, bool Flagged, string? FlagReason);

public sealed record RevisedValue(int Year, int Revision);

public sealed record FlaggedValue(int Year, double Value, string Reason);

public sealed record SeriesCompleteness(
    string SeriesId, string SeriesName, IReadOnlyList<int> Submitted, IReadOnlyList<int> Missing, IReadOnlyList<int> Provisional,
    IReadOnlyList<RevisedValue> Revised, IReadOnlyList<FlaggedValue> Flagged);

public sealed record IndicatorCompleteness(string IndicatorId, int Order, string Name, string Agency, IReadOnlyList<SeriesCompleteness> Series);

public sealed record AgencyCompleteness(string Agency, int Series, int Expected, int Submitted, int Missing, int Provisional, int Revised, int Flagged);

public sealed record CompletenessReport(int FiscalYear, int FromYear, int ToYear, IReadOnlyList<IndicatorCompleteness> Indicators, IReadOnlyList<AgencyCompleteness> Agencies);

/// <summary>
/// Data completeness over the last <see cref="Window"/> years up to a fiscal year (DHIS2's reporting-rate view): per
/// indicator and series, which years are submitted, missing, provisional, revised or flagged as outliers, and the same
/// counted by agency. The API and the report's appendix both use this, so they always agree.
/// </summary>
public static class CompletenessCalculator
{
    public const int Window = 5;

    public static CompletenessReport Compute(int fiscalYear, IEnumerable<(Indicator Definition, IReadOnlyList<ValueFact> Values)> indicators)
    {
        var from = fiscalYear - Window + 1;
        var years = Enumerable.Range(from, Window).ToList();
        var rows = indicators.OrderBy(i => i.Definition.Order).Select(i => new IndicatorCompleteness(
            i.Definition.Id, i.Definition.Order, i.Definition.Name, i.Definition.Agency,
            i.Definition.Series.Select(s =>
            {
                var inWindow = i.Values.Where(v => v.Series == s.Id && v.Year >= from && v.Year <= fiscalYear).OrderBy(v => v.Year).ToList();
                return new SeriesCompleteness(
                    s.Id, s.Name,
                    inWindow.Select(v => v.Year).ToList(),
                    years.Where(y => inWindow.All(v => v.Year != y)).ToList(),
                    inWindow.Where(v => v.Status == ValueStatus.Provisional).Select(v => v.Year).ToList(),
                    i.Values.Where(v => v.Series == s.Id && v.Revision > 1 && v.Year <= fiscalYear).OrderBy(v => v.Year).Select(v => new RevisedValue(v.Year, v.Revision)).ToList(),
                    inWindow.Where(v => v.Flagged).Select(v => new FlaggedValue(v.Year, v.Value, v.FlagReason ?? "")).ToList());
            }).ToList())).ToList();

        var agencies = rows.GroupBy(r => r.Agency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var series = g.SelectMany(r => r.Series).ToList();
            return new AgencyCompleteness(g.Key, series.Count, series.Count * Window, series.Sum(s => s.Submitted.Count), series.Sum(s => s.Missing.Count),
                series.Sum(s => s.Provisional.Count), series.Sum(s => s.Revised.Count), series.Sum(s => s.Flagged.Count));
        }).ToList();
        return new CompletenessReport(fiscalYear, from, fiscalYear, rows, agencies);
    }

    public static ValueFact Fact(IndicatorValue v) => new(v.Series, v.Year, v.Value, v.Revision, v.Status, v.Flagged, v.FlagReason);
}
