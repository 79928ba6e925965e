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

/// <summary>What one value of an indicator stands for: one year, or a period of several years.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<PeriodKind>))]
public enum PeriodKind
{
    /// <summary>One year (年 or 年度).</summary>
    SingleYear,
    /// <summary>The average of several years (Top10%補正論文数: 2021–2023年平均).</summary>
    Average,
    /// <summary>A survey whose questions cover several years (全国イノベーション調査: 2021–2023年).</summary>
    Survey,
}

/// <summary>Which year of a period labels its value: the year it is submitted under and plotted at.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<PeriodLabel>))]
public enum PeriodLabel
{
    /// <summary>The first year (2021–2023 is 2021): Open SDG's reading of a year range.</summary>
    FirstYear,
    /// <summary>The last year (2023–2025 is 2025): the year the period ends, as the annex labels its latest figures.</summary>
    LastYear,
}

/// <summary>The years one value covers, from–to inclusive, in the indicator's year type.</summary>
public sealed record YearPeriod(int From, int To)
{
    public int Years => To - From + 1;
}

/// <summary>
/// The reference period of an indicator's values: how many years one value covers, what it is over them (one year, an
/// average, a survey period), and which year labels it. One convention holds for every value of the indicator — its
/// base period, each submitted value, its target — so that t − t0 is always the distance between two periods of the
/// same kind (2021–2023 and 2023–2025 are two years apart, whichever year labels them).
/// </summary>
public sealed record ReferencePeriod(int Years = 1, PeriodKind Kind = PeriodKind.SingleYear, PeriodLabel LabelledBy = PeriodLabel.LastYear)
{
    public static ReferencePeriod SingleYear { get; } = new();

    /// <summary>The period a value submitted under <paramref name="year"/> covers.</summary>
    public YearPeriod Of(int year) => LabelledBy == PeriodLabel.FirstYear ? new(year, year + Years - 1) : new(year - Years + 1, year);

    /// <summary>The year that labels a period of this kind.</summary>
    public int LabelOf(YearPeriod period) => LabelledBy == PeriodLabel.FirstYear ? period.From : period.To;

    /// <summary>Whether a period (a base period of the annex) is of this kind: as long as one value's.</summary>
    public bool IsOfThisKind(YearPeriod period) => period.Years == Years;
}

/// <summary>A baseline for one series. <see cref="Value"/> is null where the plan has not published it (●●).</summary>
public sealed record Baseline(string SeriesId, double? Value, int FromYear, int ToYear, string Label)
{
    public YearPeriod Period => new(FromYear, ToYear);
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
    double Maximum = 1e9,
    ReferencePeriod? Reference = null)
{
    /// <summary>What one value covers and which year labels it (one year when the catalog says nothing).</summary>
    public ReferencePeriod Period => Reference ?? ReferencePeriod.SingleYear;

    /// <summary>The period a value submitted under <paramref name="year"/> covers.</summary>
    public YearPeriod PeriodOf(int year) => Period.Of(year);

    /// <summary>
    /// Whether the base period of <paramref name="baseline"/> is of the kind each value is (2021–2023年平均 for a
    /// three-year average): then it is one value of the series, labelled like every other, and a value submitted
    /// under its year revises it. A base period of another length (2021–2025年度合計 of a yearly amount) is not.
    /// </summary>
    public bool IsComparable(Baseline baseline) => Period.IsOfThisKind(baseline.Period);

    /// <summary>
    /// The year growth is measured from (t0): the year that labels the base period when it is of the values' kind, the
    /// first year of the base period otherwise.
    /// </summary>
    public int BaseYearOf(Baseline baseline) => IsComparable(baseline) ? Period.LabelOf(baseline.Period) : baseline.FromYear;

    /// <summary>
    /// The year that labels the period a target is judged on (T): the period ending in the target's year, labelled as
    /// every value is — "世界第3位（2035年）" of a three-year average is the 2033–2035 average.
    /// </summary>
    public int? TargetLabelYear => Target.DueYear is { } due && Target.Kind != TargetKind.Cumulative ? Period.LabelOf(new(due - Period.Years + 1, due)) : Target.DueYear;

    /// <summary>"2023–2025年平均", "2021–2023年", "2025年度": the period a value of this indicator covers, as printed.</summary>
    public string PeriodText(int year) => PeriodText(PeriodOf(year));

    public string PeriodText(YearPeriod period) =>
        Infrastructure.JapanTime.PeriodLabel(period.From, period.To, YearType == YearType.Fiscal) + (period.Years > 1 && Period.Kind == PeriodKind.Average ? "平均" : "");

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

    /// <summary>What one value is, as the report's table of the indicator says: "暦年の値", "暦年3年平均の値（期間の最終年で表す）".</summary>
    public string ValueBasisText
    {
        get
        {
            var year = YearType == YearType.Fiscal ? "年度" : "暦年";
            if (Period.Years == 1) return $"{year}の値";
            var label = Period.LabelledBy == PeriodLabel.LastYear ? "最終年" : "初年";
            return Period.Kind == PeriodKind.Average
                ? $"{year}{Period.Years}年平均の値（期間の{label}で表す）"
                : $"{year}{Period.Years}年間を対象とする調査の値（期間の{label}で表す）";
        }
    }

    /// <summary>"年度" or "年": how the indicator's years are counted, as printed after a year.</summary>
    public string YearSuffix => YearType == YearType.Fiscal ? "年度" : "年";

    /// <summary>
    /// What a year on the indicator's axis or in its year column stands for: "年", or for values of several years the
    /// year that labels each ("年（3年平均の最終年）").
    /// </summary>
    public string YearAxisLabel => Period.Years == 1
        ? YearSuffix
        : $"{YearSuffix}（{Period.Years}年{(Period.Kind == PeriodKind.Average ? "平均" : "間の調査")}の{(Period.LabelledBy == PeriodLabel.LastYear ? "最終年" : "初年")}）";
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
