using Reporting.Features.Indicators;
using Reporting.Features.Progress;

namespace Reporting.Tests.Progress;

/// <summary>Worked examples on the plan's own baselines and targets.</summary>
public sealed class ProgressAssessorTests
{
    private static Indicator Get(string id) => PlanCatalog.Indicators.Single(i => i.Id == id);

    private static IndicatorProgress Assess(string id, params (string Series, int Year, double Value)[] values) =>
        ProgressAssessor.Assess(Get(id), values.GroupBy(v => v.Series)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Observation>)g.Select(v => new Observation(v.Year, v.Value)).ToList()));

    [Fact]
    public void ValueTarget_GrowingSlowerThanRequired_IsModerate_WithTheCagrRatio()
    {
        // 研究時間: 32.2% (2022) → 50% (2030). 36.0% in 2025.
        var p = Assess("research-time-share", ("total", 2025, 36.0));
        var c = p.Series[0].Components;
        Assert.Equal(ProgressStatus.Moderate, p.Status);
        Assert.Equal(Math.Pow(36.0 / 32.2, 1.0 / 3) - 1, c.ObservedGrowth!.Value, 12);
        Assert.Equal(Math.Pow(50.0 / 32.2, 1.0 / 8) - 1, c.RequiredGrowth!.Value, 12);
        Assert.Equal(0.67, c.Ratio!.Value, 2);
        Assert.Equal((32.2, 2022, 36.0, 2025), (c.BaseValue!.Value, c.BaseYear!.Value, c.CurrentValue!.Value, c.CurrentYear!.Value));
    }

    [Fact]
    public void ValueTarget_WithThePlansLatestJointResearchFigure_IsSubstantial()
    {
        // 共同研究受入額: 89,266 (2021) → 150,000 (2030); the annex already cites 102,799 for 2023.
        var p = Assess("industry-joint-research-income", ("total", 2023, 102799));
        Assert.Equal(ProgressStatus.Substantial, p.Status);
        Assert.Equal(1.23, p.Series[0].Components.Ratio!.Value, 2);
    }

    [Fact]
    public void ValueTarget_MovingAwayFromTheTarget_IsDeterioration()
    {
        var p = Assess("industry-joint-research-income", ("total", 2023, 85000));
        Assert.Equal(ProgressStatus.Deterioration, p.Status);
        Assert.True(p.Series[0].Components.Ratio < 0);
    }

    [Fact]
    public void ValueTarget_ReachedAlready_IsAchieved_WhateverTheTrend()
    {
        Assert.Equal(ProgressStatus.Achieved, Assess("women-professors-share", ("total", 2026, 23.5)).Status);
        Assert.Equal(ProgressStatus.Achieved, Assess("women-professors-share", ("total", 2026, 23.0)).Status);
    }

    [Fact]
    public void RankTarget_UsesTheLinearPace_NotGrowthRates()
    {
        // Top10%: 13th (2021–2023, so 2023) → 3rd (2035). 11th in 2025: 20% of the way in 1/6 of the time.
        var ahead = Assess("top10-papers-rank", ("total", 2025, 11));
        Assert.Equal(ProgressStatus.Substantial, ahead.Status);
        Assert.Equal("rank-pace", ahead.Series[0].Components.Method);
        Assert.Equal(1.2, ahead.Series[0].Components.Ratio!.Value, 9);

        Assert.Equal(ProgressStatus.Deterioration, Assess("top10-papers-rank", ("total", 2025, 14)).Status);
        Assert.Equal(ProgressStatus.Achieved, Assess("top10-papers-rank", ("total", 2030, 3)).Status);
        // AI papers: 10th (2024) → 5th (2030); still 10th in 2026 is no progress.
        Assert.Equal(ProgressStatus.Limited, Assess("ai-papers-share-rank", ("total", 2026, 10)).Status);
    }

    [Fact]
    public void KeepRankTarget_IsAchievedWithinTheBound_AndDeterioratesOutsideIt()
    {
        Assert.Equal(ProgressStatus.Achieved, Assess("pph-partner-rank", ("total", 2025, 1)).Status);
        Assert.Equal(ProgressStatus.Deterioration, Assess("pph-partner-rank", ("total", 2025, 2)).Status);
        var both = Assess("iso-iec-secretariats-rank", ("iso", 2025, 4), ("iec", 2025, 5));
        Assert.Equal(ProgressStatus.Achieved, both.Status);
    }

    [Fact]
    public void SeveralSeries_AreAchievedOnlyWhenEveryOneIs_AndOtherwiseAveragedAsOpenSdgScores()
    {
        // ISO achieved (+5), IEC out of the top five (−5): mean 0 → moderate on the Open SDG scale.
        var mixed = Assess("iso-iec-secretariats-rank", ("iso", 2025, 4), ("iec", 2025, 6));
        Assert.Equal([ProgressStatus.Achieved, ProgressStatus.Deterioration], mixed.Series.Select(s => s.Status));
        Assert.Equal(0, mixed.Score!.Value, 9);
        Assert.Equal(ProgressStatus.Moderate, mixed.Status);

        // 博士: enrolments achieved (+5), degrees still at the baseline level after four years (R = 0 → −2.5): mean 1.25.
        var doctoralMixed = Assess("doctoral-students-degrees", ("enrolments", 2026, 20100), ("degrees", 2026, 15345));
        Assert.Equal(1.25, doctoralMixed.Score!.Value, 9);
        Assert.Equal(ProgressStatus.Moderate, doctoralMixed.Status);

        var doctoral = Assess("doctoral-students-degrees", ("enrolments", 2026, 20100), ("degrees", 2026, 20500));
        Assert.Equal(ProgressStatus.Achieved, doctoral.Status);
    }

    [Fact]
    public void CumulativeTarget_ComparesTheRunningTotalWithTheProRataShare()
    {
        // 長期海外派遣: 30,000 over FY2026–2030. Two years in: 11,500 against 12,000 pro rata.
        var p = Assess("researchers-abroad-long-term", ("total", 2025, 3700), ("total", 2026, 5000), ("total", 2027, 6500));
        Assert.Equal(ProgressStatus.Substantial, p.Status);
        Assert.Equal(11500 / 12000.0, p.Series[0].Components.Ratio!.Value, 9);
        Assert.Equal(11500, p.Series[0].Components.CumulativeTotal);
        Assert.Equal(12000, p.Series[0].Components.ProRataTarget);

        Assert.Equal(ProgressStatus.Limited, Assess("researchers-abroad-long-term", ("total", 2026, 3000)).Status);
        Assert.Equal(ProgressStatus.NotAssessable, Assess("researchers-abroad-long-term", ("total", 2024, 3700)).Status);
    }

    [Fact]
    public void NoTargetYet_IsJudgedOnGrowthAlone_FromTheFirstValue()
    {
        var growing = Assess("government-rd-investment", ("total", 2026, 4.0), ("total", 2028, 4.2));
        Assert.Equal(ProgressStatus.Substantial, growing.Status);
        Assert.Equal("growth-only", growing.Series[0].Components.Method);
        Assert.Equal(Math.Sqrt(1.05) - 1, growing.Series[0].Components.ObservedGrowth!.Value, 12);
        Assert.Equal(ProgressStatus.Moderate, Assess("government-rd-investment", ("total", 2026, 4.0), ("total", 2027, 4.04)).Status);
        Assert.Equal(ProgressStatus.Limited, Assess("government-rd-investment", ("total", 2026, 4.0), ("total", 2027, 4.01)).Status);
        Assert.Equal(ProgressStatus.Deterioration, Assess("government-rd-investment", ("total", 2026, 4.0), ("total", 2027, 3.9)).Status);
    }

    [Fact]
    public void WithoutAValueAfterTheBaseline_OrWithZero_TheIndicatorCannotBeAssessed_AndSaysWhy()
    {
        var none = Assess("research-time-share");
        Assert.Equal(ProgressStatus.NotAssessable, none.Status);
        Assert.Contains("提出された値がありません", none.Series[0].Components.Reason);

        var onlyBaseYear = Assess("research-time-share", ("total", 2022, 32.2));
        Assert.Equal(ProgressStatus.NotAssessable, onlyBaseYear.Status);
        Assert.Contains("基準年", onlyBaseYear.Series[0].Components.Reason);

        var zero = Assess("smart-city-municipalities", ("total", 2026, 0));
        Assert.Equal(ProgressStatus.NotAssessable, zero.Status);

        var singleUnset = Assess("government-rd-investment", ("total", 2026, 4.0));
        Assert.Equal(ProgressStatus.NotAssessable, singleUnset.Status);
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
    public void StatusAndScore_AgreeForEverySingleSeriesExample()
    {
        var p = Assess("research-time-share", ("total", 2025, 36.0));
        Assert.Equal(ProgressAssessor.FromScore(p.Series[0].Components.Score!.Value), p.Status);
        Assert.Equal(ProgressAssessor.ScoreOfRatio(p.Series[0].Components.Ratio!.Value), p.Score!.Value, 9);
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
