using Reporting.Features.Indicators;
using Reporting.Features.Progress;

namespace Reporting.Tests.Progress;

/// <summary>
/// Worked examples on the plan's own baselines and targets, each computed by hand from the published formulas (Open SDG's
/// docs/progress-methodology.md and sdg-build's ProgressMeasure.py) and the adaptations 付録A states.
/// </summary>
public sealed class ProgressAssessorTests
{
    private static Indicator Get(string id) => PlanCatalog.Indicators.Single(i => i.Id == id);

    internal static IndicatorProgress Assess(Indicator indicator, params (string Series, int Year, double Value)[] values) =>
        ProgressAssessor.Assess(indicator, values.GroupBy(v => v.Series)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Observation>)g.Select(v => new Observation(v.Year, v.Value)).ToList()));

    private static IndicatorProgress Assess(string id, params (string Series, int Year, double Value)[] values) => Assess(Get(id), values);

    [Fact]
    public void ValueTarget_GrowingSlowerThanRequired_IsModerate_WithTheCagrRatio()
    {
        // 研究時間: 32.2% (2022, the plan's figure: no 2022 value submitted) → 50% (2030). 36.0% in 2025.
        // CAGR実績 = (36.0/32.2)^(1/3) − 1 = 3.788 %, CAGR必要 = (50/32.2)^(1/8) − 1 = 5.655 %, R = 0.6699 → 0.67.
        var p = Assess("research-time-share", ("total", 2025, 36.0));
        var c = p.Series[0].Components;
        Assert.Equal(ProgressStatus.Moderate, p.Status);
        Assert.Equal(0.0378841420, c.ObservedGrowth!.Value, 9);
        Assert.Equal(0.0565480835, c.RequiredGrowth!.Value, 9);
        Assert.Equal(0.67, c.Ratio!.Value);
        Assert.Equal((32.2, 2022, BaseValueSource.Plan, 36.0, 2025), (c.BaseValue!.Value, c.BaseYear!.Value, c.BaseSource!.Value, c.CurrentValue!.Value, c.CurrentYear!.Value));
        // Score (R − 0.6) / 0.7 × 5 = 0.5 on the printed R.
        Assert.Equal(0.5, c.Score);
    }

    [Fact]
    public void RevisedBaseYear_IsAssessedFromTheSubmittedValue_NotThePlansFigure()
    {
        // 共同研究受入額: the plan prints 89,266 for 2021; 2021 was since submitted (revised) as 90,000. 102,799 in 2023.
        // From 90,000: CAGR実績 = (102,799/90,000)^(1/2) − 1 = 6.874 %, CAGR必要 = (150,000/90,000)^(1/9) − 1 = 5.840 %,
        // R = 1.1771 → 1.18 (from the plan's 89,266 it would be 1.23).
        var p = Assess("industry-joint-research-income", ("total", 2021, 90000), ("total", 2023, 102799));
        var c = p.Series[0].Components;
        Assert.Equal((90000.0, 2021, BaseValueSource.Submitted), (c.BaseValue!.Value, c.BaseYear!.Value, c.BaseSource!.Value));
        Assert.Equal(0.0687427713, c.ObservedGrowth!.Value, 9);
        Assert.Equal(0.0584000728, c.RequiredGrowth!.Value, 9);
        Assert.Equal(1.18, c.Ratio);
        Assert.Equal(ProgressStatus.Substantial, p.Status);
        Assert.Equal(4.14, c.Score); // (1.18 − 0.6)/0.7 × 5 = 4.143
    }

    [Fact]
    public void ValueTarget_MovingAwayFromTheTarget_IsDeterioration()
    {
        var p = Assess("industry-joint-research-income", ("total", 2023, 85000));
        Assert.Equal(ProgressStatus.Deterioration, p.Status);
        Assert.True(p.Series[0].Components.Ratio < 0);
    }

    [Fact]
    public void TargetReachedExactly_IsAchieved_WhateverTheTrend()
    {
        Assert.Equal(ProgressStatus.Achieved, Assess("women-professors-share", ("total", 2026, 23.5)).Status);
        var exactly = Assess("women-professors-share", ("total", 2026, 23.0));
        Assert.Equal(ProgressStatus.Achieved, exactly.Status);
        Assert.Equal(5, exactly.Score);
        Assert.Equal(ProgressStatus.Achieved, Assess("top10-papers-rank", ("total", 2030, 3)).Status);
        // Even at the base year itself (Open SDG checks the target before anything else).
        Assert.Equal(ProgressStatus.Achieved, Assess("ai-papers-share-rank", ("total", 2024, 5)).Status);
    }

    [Fact]
    public void RankTarget_UsesTheLinearPace_NotGrowthRates()
    {
        Assert.Equal(ProgressStatus.Deterioration, Assess("top10-papers-rank", ("total", 2025, 14)).Status);
        // AI papers: 10th (2024) → 5th (2030); still 10th in 2026 is no progress: R = 0 → limited.
        var still = Assess("ai-papers-share-rank", ("total", 2026, 10));
        Assert.Equal(ProgressStatus.Limited, still.Status);
        Assert.Equal(0, still.Series[0].Components.Ratio);
        Assert.Equal(-2.5, still.Score);
    }

    [Fact]
    public void KeepRankTarget_IsMetOrNotMet_PerSeries_AndNotAveraged()
    {
        Assert.Equal(ProgressStatus.Achieved, Assess("pph-partner-rank", ("total", 2025, 1)).Status);
        Assert.Equal(ProgressStatus.Deterioration, Assess("pph-partner-rank", ("total", 2025, 2)).Status);

        var inside = Assess("iso-iec-secretariats-rank", ("iso", 2025, 4), ("iec", 2025, 5));
        Assert.Equal((ProgressStatus.Achieved, (double?)5), (inside.Status, inside.Score));

        // ISO 4th (within), IEC 6th (outside): the target is not met, not "moderate" (the mean of +5 and −5 would be 0).
        var outside = Assess("iso-iec-secretariats-rank", ("iso", 2025, 4), ("iec", 2025, 6));
        Assert.Equal([ProgressStatus.Achieved, ProgressStatus.Deterioration], outside.Series.Select(s => s.Status));
        Assert.Equal([5.0, -5.0], outside.Series.Select(s => s.Components.Score!.Value));
        Assert.Equal((ProgressStatus.Deterioration, (double?)-5), (outside.Status, outside.Score));

        // One series unknown: met cannot be said; one outside: not met whatever the other.
        Assert.Equal(ProgressStatus.NotAssessable, Assess("iso-iec-secretariats-rank", ("iso", 2025, 4)).Status);
        Assert.Equal(ProgressStatus.Deterioration, Assess("iso-iec-secretariats-rank", ("iso", 2025, 7)).Status);
    }

    [Fact]
    public void SeveralSeries_AreAchievedOnlyWhenEveryOneIs_AndOtherwiseAveragedAsOpenSdgScores()
    {
        // 博士: enrolments achieved (+5), degrees still at 15,345 four years after 2022 (R = 0 → −2.5): mean 1.25.
        var doctoralMixed = Assess("doctoral-students-degrees", ("enrolments", 2026, 20100), ("degrees", 2026, 15345));
        Assert.Equal([ProgressStatus.Achieved, ProgressStatus.Limited], doctoralMixed.Series.Select(s => s.Status));
        Assert.Equal(1.25, doctoralMixed.Score);
        Assert.Equal(ProgressStatus.Moderate, doctoralMixed.Status);

        var doctoral = Assess("doctoral-students-degrees", ("enrolments", 2026, 20100), ("degrees", 2026, 20500));
        Assert.Equal(ProgressStatus.Achieved, doctoral.Status);

        // A series without data is not taken as achieved.
        var oneMissing = Assess("doctoral-students-degrees", ("enrolments", 2026, 20100));
        Assert.NotEqual(ProgressStatus.Achieved, oneMissing.Status);
    }

    [Fact]
    public void CumulativeTarget_ComparesTheRunningTotalWithTheProRataShare()
    {
        // 長期海外派遣: 30,000 over FY2026–2030. Two years in: 11,500 against 12,000 pro rata: R = 0.96.
        var p = Assess("researchers-abroad-long-term", ("total", 2025, 3700), ("total", 2026, 5000), ("total", 2027, 6500));
        var c = p.Series[0].Components;
        Assert.Equal(ProgressStatus.Substantial, p.Status);
        Assert.Equal(0.96, c.Ratio);
        Assert.Equal(11500, c.CumulativeTotal);
        Assert.Equal(12000, c.ProRataTarget);
        Assert.Equal([2026, 2027], c.ReportedYears!);
        Assert.Empty(c.MissingYears!);

        Assert.Equal(ProgressStatus.Limited, Assess("researchers-abroad-long-term", ("total", 2026, 3000)).Status);
        Assert.Equal(ProgressStatus.NotAssessable, Assess("researchers-abroad-long-term", ("total", 2024, 3700)).Status);
    }

    [Fact]
    public void CumulativeTarget_WithAMissingYear_CountsOnlyTheReportedYears_AndNamesTheMissingOne()
    {
        // 2026 = 5,800, 2027 missing, 2028 = 6,300 (the FY2028 report). A missing year is unknown, not zero: the total of
        // the two reported years, 12,100, is compared with two fifths of 30,000 = 12,000: R = 1.0083 → 1.01, on track.
        var p = Assess("researchers-abroad-long-term", ("total", 2026, 5800), ("total", 2028, 6300));
        var c = p.Series[0].Components;
        Assert.Equal(12100, c.CumulativeTotal);
        Assert.Equal(12000, c.ProRataTarget);
        Assert.Equal(1.01, c.Ratio);
        Assert.Equal(ProgressStatus.Substantial, p.Status);
        Assert.Equal([2027], c.MissingYears!);
        Assert.Contains("2027年度は未提出", c.Reason);
        Assert.Contains("12,000", c.Reason);
        Assert.DoesNotContain("18,000", c.Reason); // the pro-rata share of three years would be 18,000
    }

    [Fact]
    public void NoTargetYet_IsJudgedOnGrowthFromThePlansBasePeriod_NotFromEarlierValues()
    {
        // ●● 政府研究開発投資額, base period FY2021–2025. 4.0 (2021) → 4.2 (2023): √1.05 − 1 = 2.47 % → 2.5 % on track.
        var growing = Assess("government-rd-investment", ("total", 2021, 4.0), ("total", 2023, 4.2));
        var c = growing.Series[0].Components;
        Assert.Equal(ProgressMethod.GrowthOnly, c.Method);
        Assert.Equal((4.0, 2021), (c.BaseValue!.Value, c.BaseYear!.Value));
        Assert.Equal(0.025, c.ObservedGrowth);
        Assert.Equal(ProgressStatus.Substantial, growing.Status);

        // A pre-plan value (5.0 in FY2019) must not change the status: from 2019 the growth would be −4.3 %.
        var withPrePlan = Assess("government-rd-investment", ("total", 2019, 5.0), ("total", 2021, 4.0), ("total", 2023, 4.2));
        Assert.Equal(ProgressStatus.Substantial, withPrePlan.Status);
        Assert.Equal(2021, withPrePlan.Series[0].Components.BaseYear);

        // No value for 2021: the next year with one is the base (as Open SDG takes the next year with data).
        var later = Assess("government-rd-investment", ("total", 2022, 4.0), ("total", 2024, 4.1));
        Assert.Equal(2022, later.Series[0].Components.BaseYear);
        Assert.Equal(ProgressStatus.Moderate, later.Status); // (4.1/4.0)^(1/2) − 1 = 1.2 %

        // Only values before the base period: nothing to measure from.
        Assert.Equal(ProgressStatus.NotAssessable, Assess("government-rd-investment", ("total", 2019, 3.0), ("total", 2020, 3.5)).Status);
        Assert.Equal(ProgressStatus.Deterioration, Assess("government-rd-investment", ("total", 2021, 4.0), ("total", 2022, 3.9)).Status);
    }

    [Fact]
    public void SingleDataPoint_IsAssessedAgainstThePlansBaseline_ButNotWithoutOne()
    {
        Assert.Equal(ProgressStatus.Moderate, Assess("research-time-share", ("total", 2025, 36.0)).Status);
        var onlyBaseYear = Assess("research-time-share", ("total", 2022, 32.2));
        Assert.Equal(ProgressStatus.NotAssessable, onlyBaseYear.Status);
        Assert.Contains("基準期間（2022年度）より後の値がなく", onlyBaseYear.Series[0].Components.Reason);
        Assert.Equal(ProgressStatus.NotAssessable, Assess("government-rd-investment", ("total", 2026, 4.0)).Status);
    }

    [Fact]
    public void WithoutValues_OrFromAZeroBase_TheIndicatorCannotBeAssessed_AndSaysWhy()
    {
        var none = Assess("research-time-share");
        Assert.Equal(ProgressStatus.NotAssessable, none.Status);
        Assert.Contains("提出された値がない", none.Series[0].Components.Reason);

        var zeroBase = Assess("smart-city-municipalities", ("total", 2025, 0), ("total", 2026, 90));
        Assert.Equal(ProgressStatus.NotAssessable, zeroBase.Status);
        Assert.Contains("基準値が0", zeroBase.Series[0].Components.Reason);

        // A latest value of zero is a −100 % growth (Open SDG computes it), not an error.
        var dropToZero = Assess("smart-city-municipalities", ("total", 2026, 0));
        Assert.Equal(ProgressStatus.Deterioration, dropToZero.Status);
        Assert.Equal(-1, dropToZero.Series[0].Components.ObservedGrowth);
    }

    [Fact]
    public void TheReportedCases_GiveFiniteNumbers_OrNotAssessableWithAReason()
    {
        // CAO's 5e-324 (FY2019 then, here the base year) and 1,000: the growth is infinite.
        var extreme = Assess("government-rd-investment", ("total", 2021, 5e-324), ("total", 2025, 1000));
        Assert.Equal(ProgressStatus.NotAssessable, extreme.Status);
        Assert.Null(extreme.Score);
        Assert.False(string.IsNullOrEmpty(extreme.Series[0].Components.Reason));

        // A reach-rank target equal to the baseline (13th), then 14th: y0 − yT = 0.
        var top10 = Get("top10-papers-rank");
        var sameAsBase = top10 with { Target = top10.Target with { Value = 13 } };
        var p = Assess(sameAsBase, ("total", 2025, 14));
        Assert.Equal(ProgressStatus.NotAssessable, p.Status);
        Assert.Contains("基準値", p.Series[0].Components.Reason);

        // A cumulative target of 0: 0/0.
        var abroad = Get("researchers-abroad-long-term");
        var zeroTotal = Assess(abroad with { Target = abroad.Target with { Value = 0 } }, ("total", 2026, 0));
        Assert.All(ProgressPropertyTests.Numbers(zeroTotal), n => Assert.True(double.IsFinite(n)));
    }

    [Theory]
    [InlineData(-1.0, -5)]
    [InlineData(-0.6, -5)]
    [InlineData(0.0, -2.5)]
    [InlineData(0.6, 0)]
    [InlineData(0.95, 2.5)]
    [InlineData(1.3, 5)]
    [InlineData(2.0, 5)]
    public void RatioScores_FollowOpenSdgsLinearBands(double ratio, double score) =>
        Assert.Equal(score, ProgressAssessor.ScoreOfRatio(ratio), 9);

    [Theory]
    [InlineData(-0.03, -5)]
    [InlineData(-0.01, -3.75)]
    [InlineData(0.0, -2.5)]
    [InlineData(0.005, 0)]
    [InlineData(0.015, 2.5)]
    [InlineData(0.02, 5)]
    public void GrowthScores_FollowOpenSdgsBandsWithoutATarget(double growth, double score) =>
        Assert.Equal(score, ProgressAssessor.ScoreOfGrowth(growth), 9);

    [Fact]
    public void PrintedRatio_DecidesTheStatus()
    {
        // R = 0.9499… prints as 0.95, and 0.95 is on track: the printed figure and the status agree.
        var research = Get("research-time-share");
        var required = Math.Pow(50 / 32.2, 1.0 / 8) - 1;
        var yt = 32.2 * Math.Pow(1 + 0.94996 * required, 3);
        var p = Assess(research, ("total", 2025, yt));
        Assert.Equal(0.95, p.Series[0].Components.Ratio);
        Assert.Equal(ProgressStatus.Substantial, p.Status);
    }

    [Fact]
    public void StatusAndScore_AgreeForEverySingleSeriesExample()
    {
        var p = Assess("research-time-share", ("total", 2025, 36.0));
        Assert.Equal(ProgressAssessor.FromScore(p.Series[0].Components.Score!.Value), p.Status);
        Assert.Equal(ProgressAssessor.RoundScore(ProgressAssessor.ScoreOfRatio(p.Series[0].Components.Ratio!.Value)), p.Score!.Value, 9);
    }

    [Theory]
    [InlineData(ProgressStatus.Achieved, "◎", "目標達成")]
    [InlineData(ProgressStatus.Substantial, "○", "順調")]
    [InlineData(ProgressStatus.Moderate, "△", "一定の進捗")]
    [InlineData(ProgressStatus.Limited, "▲", "進捗に遅れ")]
    [InlineData(ProgressStatus.Deterioration, "×", "悪化")]
    [InlineData(ProgressStatus.NotAssessable, "−", "評価不能")]
    public void Statuses_HaveTheReportsSymbolsAndLabels(ProgressStatus status, string symbol, string label)
    {
        Assert.Equal(symbol, ProgressAssessor.Symbol(status));
        Assert.Equal(label, ProgressAssessor.Label(status));
    }
}
