namespace Reporting.Features.Indicators;

/// <summary>
/// An indicator as the API shows it: the catalog entry plus its group's and agency's Japanese names.
/// <see cref="ReferencePeriod"/> says how many years one value covers and which year it is submitted under.
/// </summary>
public sealed record IndicatorResponse(
    string Id, int Order, IndicatorGroup Group, string GroupName, string Name, string Unit, ValueKind ValueKind,
    Direction Direction, YearType YearType, IReadOnlyList<Series> Series, IReadOnlyList<BaselineResponse> Baseline, Target Target,
    string Agency, string AgencyName, string Source, int Decimals, double Minimum, double Maximum, ReferencePeriod ReferencePeriod)
{
    public static IndicatorResponse From(Indicator i, IReadOnlyList<Agency> agencies) => new(
        i.Id, i.Order, i.Group, Indicator.GroupName(i.Group), i.Name, i.Unit, i.ValueKind, i.Direction, i.YearType,
        i.Series, i.Baseline.Select(b => BaselineResponse.From(b, i)).ToList(), i.Target, i.Agency,
        agencies.FirstOrDefault(a => a.Code == i.Agency)?.Name ?? i.Agency, i.Source, i.Decimals, i.Minimum, i.Maximum, i.Period);
}

/// <summary>
/// A baseline of the annex: its value and base period (fromYear–toYear) and <see cref="Year"/>, the base year the
/// assessment measures from — for a base period of the values' own kind the year it is submitted under, so a value
/// sent for that year revises the baseline (<see cref="RevisedBySubmission"/>).
/// </summary>
public sealed record BaselineResponse(string SeriesId, double? Value, int FromYear, int ToYear, string Label, int Year, bool RevisedBySubmission)
{
    public static BaselineResponse From(Baseline b, Indicator i) => new(b.SeriesId, b.Value, b.FromYear, b.ToYear, b.Label, i.BaseYearOf(b), i.IsComparable(b));
}
