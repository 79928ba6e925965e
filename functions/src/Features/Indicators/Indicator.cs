namespace Reporting.Features.Indicators;

/// <summary>The three viewpoints of the plan's annex (別紙).</summary>
public enum IndicatorGroup
{
    /// <summary>1. 我が国の研究力の向上に関する指標</summary>
    Research,
    /// <summary>2. イノベーション創出の観点も含めた産業の成長に関する指標</summary>
    Industry,
    /// <summary>3. 科学技術・イノベーションへの投資に関する指標</summary>
    Investment,
}

public enum Direction { HigherIsBetter, LowerIsBetter }

public enum YearType
{
    /// <summary>年度: April to March.</summary>
    Fiscal,
    /// <summary>年: January to December.</summary>
    Calendar,
}

/// <summary>What a submitted number may be; drives validation.</summary>
public enum ValueKind
{
    /// <summary>0–100.</summary>
    Percentage,
    /// <summary>A world rank: a positive integer.</summary>
    Rank,
    /// <summary>A non-negative integer (people, projects, municipalities).</summary>
    Count,
    /// <summary>A non-negative amount (money, people per researcher).</summary>
    Amount,
}

public enum TargetKind
{
    /// <summary>Reach a value (or a rank) by a year.</summary>
    Reach,
    /// <summary>A total summed over a range of years.</summary>
    Cumulative,
    /// <summary>Keep a rank within a bound (e.g. 上位5位以内を維持).</summary>
    KeepRank,
    /// <summary>Not decided yet (●● in the draft); the period may already be known.</summary>
    NotSet,
}

public sealed record Series(string Id, string Name);

/// <summary>A baseline for one series. <see cref="Value"/> is null where the plan has not published it (●●).</summary>
public sealed record Baseline(string SeriesId, double? Value, int FromYear, int ToYear, string Label)
{
    /// <summary>The year growth is measured from: a multi-year average counts as its last year.</summary>
    public int Year => ToYear;
}

/// <summary>
/// The plan's target. <see cref="Year"/> is the year to reach it (Reach, KeepRank);
/// <see cref="FromYear"/>–<see cref="ToYear"/> the range a cumulative total covers.
/// </summary>
public sealed record Target(TargetKind Kind, double? Value, int? Year, int? FromYear, int? ToYear, string Label)
{
    /// <summary>The year by which the target is judged.</summary>
    public int? DueYear => Kind == TargetKind.Cumulative || (Kind == TargetKind.NotSet && ToYear is not null) ? ToYear : Year;
}

/// <summary>One indicator of the plan's annex, as the catalog keeps it.</summary>
public sealed record Indicator(
    string Id,
    int Order,
    IndicatorGroup Group,
    string Name,
    string Unit,
    ValueKind ValueKind,
    Direction Direction,
    YearType YearType,
    IReadOnlyList<Series> Series,
    IReadOnlyList<Baseline> Baseline,
    Target Target,
    string Agency,
    string Source)
{
    public bool HasSeries(string seriesId) => Series.Any(s => s.Id == seriesId);

    public Baseline? BaselineFor(string seriesId) => Baseline.FirstOrDefault(b => b.SeriesId == seriesId);

    public static string GroupName(IndicatorGroup group) => group switch
    {
        IndicatorGroup.Research => "我が国の研究力の向上に関する指標",
        IndicatorGroup.Industry => "イノベーション創出の観点も含めた産業の成長に関する指標",
        IndicatorGroup.Investment => "科学技術・イノベーションへの投資に関する指標",
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };

    public static int GroupNumber(IndicatorGroup group) => (int)group + 1;
}
