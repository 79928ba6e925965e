using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Features.Submissions;
using Microsoft.Extensions.Time.Testing;

namespace Reporting.Tests.Progress;

/// <summary>
/// Values observed over several years, worked by hand from the published formulas (付録A; Open SDG's
/// docs/progress-methodology.md). Top10%補正論文数 is a three-year average, イノベーション実現企業率 a survey covering three
/// years; both are labelled by the period's last year, so the annex's base period 2021–2023 is the value of 2023 and the
/// 2023–2025 value is submitted as 2025: t − t0 = 2, the distance between the two periods.
/// </summary>
public sealed class ReferencePeriodTests
{
    private static Indicator Get(string id) => PlanCatalog.Indicators.Single(i => i.Id == id);

    private static SeriesProgress Assess(Indicator indicator, params (int Year, double Value)[] values) =>
        ProgressAssessor.Assess(indicator, new Dictionary<string, IReadOnlyList<Observation>>
        {
            ["total"] = values.Select(v => new Observation(v.Year, v.Value)).ToList(),
        }).Series[0];

    [Fact]
    public void A_three_year_average_is_assessed_between_periods_of_the_same_kind()
    {
        // Base: 13th, 2021–2023年平均 (labelled 2023). Later: 11th, 2023–2025年平均, submitted as 2025. Target: 3rd in
        // 2035, the 2033–2035 average. P = (13 − 11)/(13 − 3) = 0.2; τ = (2025 − 2023)/(2035 − 2023) = 2/12;
        // R = 0.2 / 0.16667 = 1.20 → ○ 順調; score (1.20 − 0.6)/0.7 × 5 = 4.286 → 4.29.
        // (Counting the base period as 2021 and the later one as 2025 gave τ = 4/14 and R = 0.70: △, a mixture.)
        var top10 = Get("top10-papers-rank");
        var s = Assess(top10, (2025, 11));
        var c = s.Components;
        Assert.Equal((13.0, 2023, BaseValueSource.Plan), (c.BaseValue!.Value, c.BaseYear!.Value, c.BaseSource!.Value));
        Assert.Equal((2025, 2035), (c.CurrentYear!.Value, c.TargetYear!.Value));
        Assert.Equal(new YearPeriod(2021, 2023), c.BasePeriod);
        Assert.Equal(new YearPeriod(2023, 2025), c.CurrentPeriod);
        Assert.Equal(new YearPeriod(2033, 2035), c.TargetPeriod);
        Assert.Equal(0.2, c.ProgressShare!.Value, 12);
        Assert.Equal(2.0 / 12, c.ElapsedShare!.Value, 12);
        Assert.Equal(1.20, c.Ratio);
        Assert.Equal(4.29, c.Score);
        Assert.Equal(ProgressStatus.Substantial, s.Status);
        Assert.Contains("基準（2021–2023年平均）から最新（2023–2025年平均）まで2年、目標（2033–2035年平均）まで12年", c.Reason);
    }

    [Fact]
    public void A_revised_base_period_of_a_three_year_average_supersedes_the_plans_figure()
    {
        // NISTEP revises the 2021–2023 average to 12th (submitted as 2023). From 12th: P = (12 − 11)/(12 − 3) = 1/9,
        // τ = 2/12, R = 0.6667 → 0.67 → △ 一定の進捗; score (0.67 − 0.6)/0.7 × 5 = 0.50.
        var s = Assess(Get("top10-papers-rank"), (2023, 12), (2025, 11));
        var c = s.Components;
        Assert.Equal((12.0, 2023, BaseValueSource.Submitted), (c.BaseValue!.Value, c.BaseYear!.Value, c.BaseSource!.Value));
        Assert.Equal(1.0 / 9, c.ProgressShare!.Value, 12);
        Assert.Equal(0.67, c.Ratio);
        Assert.Equal(0.5, c.Score);
        Assert.Equal(ProgressStatus.Moderate, s.Status);
    }

    [Fact]
    public void A_three_year_survey_period_is_assessed_between_periods_of_the_same_kind()
    {
        // Base: 36%, 2021–2023年 (labelled 2023). Later survey: 40%, 2023–2025年, submitted as 2025. Target 50% in 2030
        // (the period 2028–2030). CAGR実績 = (40/36)^(1/2) − 1 = 5.4093 %; CAGR必要 = (50/36)^(1/7) − 1 = 4.8048 %;
        // R = 1.1258 → 1.13 → ○ 順調; score (1.13 − 0.6)/0.7 × 5 = 3.786 → 3.79.
        // (Counting 2021 and 2025: (40/36)^(1/4) − 1 = 2.669 %, (50/36)^(1/9) − 1 = 3.717 %, R = 0.72: △.)
        var firms = Get("innovating-firms-rate");
        var s = Assess(firms, (2025, 40));
        var c = s.Components;
        Assert.Equal((36.0, 2023, 2025, 2030), (c.BaseValue!.Value, c.BaseYear!.Value, c.CurrentYear!.Value, c.TargetYear!.Value));
        Assert.Equal(0.0540925534, c.ObservedGrowth!.Value, 9);
        Assert.Equal(0.0480477548, c.RequiredGrowth!.Value, 9);
        Assert.Equal(1.13, c.Ratio);
        Assert.Equal(3.79, c.Score);
        Assert.Equal(ProgressStatus.Substantial, s.Status);
        Assert.Equal(new YearPeriod(2021, 2023), c.BasePeriod);
        Assert.Equal(new YearPeriod(2028, 2030), c.TargetPeriod);
        Assert.Equal("2023–2025年", firms.PeriodText(2025)); // a survey period, not an average
    }

    [Fact]
    public void A_revised_base_survey_period_supersedes_the_plans_figure()
    {
        // The 2021–2023 survey revised to 37% (submitted as 2023). CAGR実績 = (40/37)^(1/2) − 1 = 3.9750 %;
        // CAGR必要 = (50/37)^(1/7) − 1 = 4.3954 %; R = 0.9044 → 0.90 → △ 一定の進捗; score (0.90 − 0.6)/0.7 × 5 = 2.14.
        var s = Assess(Get("innovating-firms-rate"), (2023, 37), (2025, 40));
        var c = s.Components;
        Assert.Equal((37.0, 2023, BaseValueSource.Submitted), (c.BaseValue!.Value, c.BaseYear!.Value, c.BaseSource!.Value));
        Assert.Equal(0.0397504898, c.ObservedGrowth!.Value, 9);
        Assert.Equal(0.0439535679, c.RequiredGrowth!.Value, 9);
        Assert.Equal(0.90, c.Ratio);
        Assert.Equal(2.14, c.Score);
        Assert.Equal(ProgressStatus.Moderate, s.Status);
    }

    [Fact]
    public void Labelling_every_period_by_its_first_year_instead_gives_the_same_assessment()
    {
        // Open SDG's reading (a range is its first year) applied to every value alike: 2021 for the base period, 2023
        // for 2023–2025, 2033 for the target's 2033–2035. The distances, and so every figure, are the same.
        foreach (var id in new[] { "top10-papers-rank", "innovating-firms-rate" })
        {
            var last = Get(id);
            var first = last with { Reference = last.Period with { LabelledBy = PeriodLabel.FirstYear } };
            var later = id == "top10-papers-rank" ? 11 : 40;
            var byLast = Assess(last, (2025, later)).Components;
            var byFirst = Assess(first, (2023, later)).Components;
            Assert.Equal(2021, byFirst.BaseYear);
            Assert.Equal(byLast.BasePeriod, byFirst.BasePeriod);
            Assert.Equal(byLast.CurrentPeriod, byFirst.CurrentPeriod);
            Assert.Equal(byLast.TargetPeriod, byFirst.TargetPeriod);
            Assert.Equal((byLast.Ratio, byLast.Score), (byFirst.Ratio, byFirst.Score));
        }
    }

    [Fact]
    public void A_value_of_several_years_is_submitted_under_the_year_its_period_ends()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero));
        var top10 = Get("top10-papers-rank");
        Assert.Null(ValueRules.CheckYear("2025", top10, clock, out var year));
        Assert.Equal(new YearPeriod(2023, 2025), top10.PeriodOf(year));
        // The earliest period that begins in 2000 ends in 2002.
        Assert.Contains("from 2002 to 2026", ValueRules.CheckYear("2001", top10, clock, out _)!.English);

        // Were the catalog to label by the first year, a period that has not ended yet could not be submitted.
        var byFirst = top10 with { Reference = top10.Period with { LabelledBy = PeriodLabel.FirstYear } };
        var error = ValueRules.CheckYear("2025", byFirst, clock, out _);
        Assert.Contains("labels the period 2025–2027", error!.English);
        Assert.Contains("first year of its period, from 2000 to 2024", error!.English);
    }

    [Fact]
    public void Periods_are_printed_as_periods()
    {
        var top10 = Get("top10-papers-rank");
        Assert.Equal("2023–2025年平均", top10.PeriodText(2025));
        Assert.Equal("2023–2025（令和5–7）年平均", Reporting.Features.Reports.Rendering.ValueFormat.PeriodWithEra(2025, top10));
        Assert.Equal("年（3年平均の最終年）", top10.YearAxisLabel);
        Assert.Equal("暦年3年平均の値（期間の最終年で表す）", top10.ValueBasisText);
        var research = Get("research-time-share");
        Assert.Equal("2025年度", research.PeriodText(2025));
        Assert.Equal("2025（令和7）年度", Reporting.Features.Reports.Rendering.ValueFormat.PeriodWithEra(2025, research));
        Assert.Equal("年度", research.YearAxisLabel);
    }

    [Fact]
    public void Every_indicator_states_its_reference_period_and_only_multi_year_values_span_years()
    {
        foreach (var i in PlanCatalog.Indicators)
        {
            var multi = i.Id is "top10-papers-rank" or "innovating-firms-rate";
            Assert.Equal(multi ? 3 : 1, i.Period.Years);
            Assert.Equal(PeriodLabel.LastYear, i.Period.LabelledBy);
            foreach (var b in i.Baseline)
            {
                // Every base period of the annex is one value of its series, but the investment totals (2021–2025年度合計
                // of yearly amounts), which no single value compares with.
                Assert.Equal(!i.Id.EndsWith("rd-investment", StringComparison.Ordinal), i.IsComparable(b));
            }
        }
    }
}
