namespace Reporting.Features.Indicators;

/// <summary>The three viewpoints of the plan's annex (別紙).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<IndicatorGroup>))]
public enum IndicatorGroup
{
    /// <summary>1. 我が国の研究力の向上に関する指標</summary>
    Research,
    /// <summary>2. イノベーション創出の観点も含めた産業の成長に関する指標</summary>
    Industry,
    /// <summary>3. 科学技術・イノベーションへの投資に関する指標</summary>
    Investment,
}

[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<Direction>))]
public enum Direction { HigherIsBetter, LowerIsBetter }

[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<YearType>))]
public enum YearType
{
    /// <summary>年度: April to March.</summary>
    Fiscal,
    /// <summary>年: January to December.</summary>
    Calendar,
}

/// <summary>What a submitted number may be; drives validation.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<ValueKind>))]
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

[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<TargetKind>))]
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
    /// <summary>
    /// The year growth is measured from. A base period of several years (2021–2023年平均) counts as its first year, as
    /// Open SDG counts a year range ("2021-2023") as its first year.
    /// </summary>
    public int Year => FromYear;

    /// <summary>Whether the baseline covers several years (an average or a total) rather than one.</summary>
    public bool IsPeriod => ToYear > FromYear;
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
    string Source,
    int Decimals = 0,
    double Maximum = 1e9)
{
    /// <summary>The smallest value a submission may have: 1 for a rank (first place), 0 otherwise.</summary>
    public double Minimum => ValueKind == ValueKind.Rank ? 1 : 0;

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

    /// <summary>A number of this indicator as published: grouped thousands and exactly <see cref="Decimals"/> decimals.</summary>
    public string FormatNumber(double value) =>
        value.ToString(Decimals <= 0 ? "#,0" : "#,0." + new string('0', Decimals), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A value with its unit as the report prints it: "第13位", "32.2%", "15,744人", "4.35兆円".</summary>
    public string FormatValue(double value) => ValueKind == ValueKind.Rank ? $"第{FormatNumber(value)}位" : $"{FormatNumber(value)}{Unit}";

    /// <summary>"年度" or "年": how the indicator's years are counted, as printed after a year.</summary>
    public string YearSuffix => YearType == YearType.Fiscal ? "年度" : "年";
}

/// <summary>
/// A body that submits values or owns indicators (文部科学省, デジタル庁, …). Codes are what tokens carry
/// (<c>agency.MEXT</c>); names are what the report prints. Kept as data so that an administrator can add one (a new
/// ministry taking over a policy) without a release.
/// </summary>
public sealed record Agency(string Code, string Name);

/// <summary>The catalog fields an administrator may correct after the plan was seeded.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<CatalogField>))]
public enum CatalogField { Name, Agency, Source, Target }

/// <summary>One audited change of the catalog: kept for ever, printed in the report's revision appendix.</summary>
public sealed record CatalogChange(string IndicatorId, CatalogField Field, string? OldValue, string NewValue, string ChangedBy,
    DateTimeOffset ChangedAt, string? Reason);
