using Reporting.Features.Indicators;

namespace Reporting.Tests.Indicators;

/// <summary>The catalog must say what the plan's annex (別紙) says.</summary>
public sealed class PlanCatalogTests
{
    private static Indicator Get(string id) => PlanCatalog.Indicators.Single(i => i.Id == id);

    [Fact]
    public void Catalog_HasTheEighteenIndicatorsOfTheAnnex_InItsThreeGroups()
    {
        Assert.Equal(18, PlanCatalog.Indicators.Count);
        Assert.Equal(18, PlanCatalog.Indicators.Select(i => i.Id).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, 18), PlanCatalog.Indicators.Select(i => i.Order));
        Assert.Equal(10, PlanCatalog.Indicators.Count(i => i.Group == IndicatorGroup.Research));
        Assert.Equal(6, PlanCatalog.Indicators.Count(i => i.Group == IndicatorGroup.Industry));
        Assert.Equal(2, PlanCatalog.Indicators.Count(i => i.Group == IndicatorGroup.Investment));
    }

    [Fact]
    public void EveryIndicator_HasABaselinePerSeries_ASource_AndAKnownAgency()
    {
        foreach (var i in PlanCatalog.Indicators)
        {
            Assert.True(IndicatorStore.IsWellFormedId(i.Id), i.Id);
            Assert.Equal(i.Series.Select(s => s.Id).Order(), i.Baseline.Select(b => b.SeriesId).Order());
            Assert.False(string.IsNullOrWhiteSpace(i.Source), i.Id);
            Assert.Contains(i.Agency, new[] { "MEXT", "CAO", "METI", "JPO" });
            Assert.DoesNotContain("킹", i.Source); // the draft's typing error is not carried over
        }
    }

    [Fact]
    public void Baselines_AndTargets_AreTheAnnexFigures()
    {
        var top10 = Get("top10-papers-rank");
        Assert.Equal((13.0, 2021, 2023), (top10.Baseline[0].Value!.Value, top10.Baseline[0].FromYear, top10.Baseline[0].ToYear));
        // A three-year average, labelled by the period's last year: the base period 2021–2023 is the value of 2023.
        Assert.Equal(new ReferencePeriod(3, PeriodKind.Average, PeriodLabel.LastYear), top10.Period);
        Assert.Equal(2023, top10.BaseYearOf(top10.Baseline[0]));
        Assert.True(top10.IsComparable(top10.Baseline[0]));
        Assert.Equal((TargetKind.Reach, 3.0, 2035), (top10.Target.Kind, top10.Target.Value!.Value, top10.Target.Year!.Value));
        Assert.Equal(Direction.LowerIsBetter, top10.Direction);

        var doctoral = Get("doctoral-students-degrees");
        Assert.Equal(["enrolments", "degrees"], doctoral.Series.Select(s => s.Id));
        Assert.Equal(15744, doctoral.BaselineFor("enrolments")!.Value);
        Assert.Equal(2022, doctoral.BaseYearOf(doctoral.BaselineFor("degrees")!));
        Assert.Equal(20000, doctoral.Target.Value);

        var abroad = Get("researchers-abroad-long-term");
        Assert.Equal((TargetKind.Cumulative, 30000.0, 2026, 2030), (abroad.Target.Kind, abroad.Target.Value!.Value, abroad.Target.FromYear!.Value, abroad.Target.ToYear!.Value));

        var iso = Get("iso-iec-secretariats-rank");
        Assert.Equal((TargetKind.KeepRank, 5.0), (iso.Target.Kind, iso.Target.Value!.Value));
        Assert.Equal([4.0, 3.0], iso.Baseline.Select(b => b.Value!.Value));
        Assert.Equal("METI", iso.Agency);
        Assert.Equal("JPO", Get("pph-partner-rank").Agency);

        Assert.Equal(YearType.Calendar, Get("international-coauthorship-rate").YearType);
        Assert.Equal(YearType.Fiscal, Get("research-time-share").YearType);
        Assert.Equal(ValueKind.Amount, Get("technicians-per-researcher").ValueKind);
        Assert.Equal("百万円", Get("industry-joint-research-income").Unit);
    }

    [Theory]
    [InlineData("government-rd-investment")]
    [InlineData("public-private-rd-investment")]
    public void InvestmentTotals_WrittenAsPlaceholders_HaveNoTargetYet_ButKnowTheirPeriod(string id)
    {
        var i = Get(id);
        Assert.Equal(TargetKind.NotSet, i.Target.Kind);
        Assert.Null(i.Target.Value);
        Assert.Equal((2026, 2030), (i.Target.FromYear!.Value, i.Target.ToYear!.Value));
        Assert.Null(i.Baseline[0].Value);
        Assert.Contains("●●", i.Target.Label);
    }
}
