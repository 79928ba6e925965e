using Microsoft.Extensions.Time.Testing;
using Reporting.Infrastructure;

namespace Reporting.Tests.Infrastructure;

public sealed class JapanTimeTests
{
    [Theory]
    // 1 April 00:00 JST is 31 March 15:00 UTC: the fiscal year turns in Japan, not in UTC.
    [InlineData("2026-03-31T14:59:59Z", 2025)]
    [InlineData("2026-03-31T15:00:00Z", 2026)]
    [InlineData("2026-12-31T23:00:00Z", 2026)]
    [InlineData("2027-01-01T00:00:00Z", 2026)]
    [InlineData("2027-03-31T15:00:00Z", 2027)]
    public void FiscalYear_FollowsJapanTime(string utc, int expected) =>
        Assert.Equal(expected, JapanTime.FiscalYearOf(DateTimeOffset.Parse(utc)));

    [Fact]
    public void LatestCompletedFiscalYear_IsThePreviousOne()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-05-01T00:00:00Z"));
        Assert.Equal(2026, JapanTime.CurrentFiscalYear(clock));
        Assert.Equal(2025, JapanTime.LatestCompletedFiscalYear(clock));
        // New Year's Eve in UTC is already 1 January in Japan.
        Assert.Equal(2027, JapanTime.CurrentCalendarYear(new FakeTimeProvider(DateTimeOffset.Parse("2026-12-31T16:00:00Z"))));
    }

    [Theory]
    [InlineData(2019, "令和元")]
    [InlineData(2020, "令和2")]
    [InlineData(2025, "令和7")]
    [InlineData(2030, "令和12")]
    [InlineData(2018, "平成30")]
    public void EraYear_IsReiwaFrom2019(int year, string expected) => Assert.Equal(expected, JapanTime.EraYear(year));

    [Fact]
    public void Labels_ReadAsInJapaneseDocuments()
    {
        Assert.Equal("令和7年度（2025年度）", JapanTime.FiscalYearLabel(2025));
        Assert.Equal("2021–2023年", JapanTime.PeriodLabel(2021, 2023, fiscal: false));
        Assert.Equal("2024年度", JapanTime.PeriodLabel(2024, 2024, fiscal: true));
        Assert.Equal("2026年11月24日", JapanTime.DateLabel(DateTimeOffset.Parse("2026-11-23T18:00:00Z")));
    }
}
