using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Indicators;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Progress;

/// <summary>
/// The cases that stopped the report for everyone, each reproduced through the API on Azurite: input that makes the
/// method undefined is now refused at the door with a problem naming the field, and values or targets that were
/// accepted before that rule existed (written here straight into storage) no longer make progress, the report or the
/// timer fail.
/// </summary>
public sealed class AcceptedInputNeverFailsTests : AppTest
{
    private async Task AssertEveryOutputAnswersAsync()
    {
        var staff = app.AsStaff();
        var progress = await staff.GetAsync("/api/progress/2025");
        Assert.Equal(HttpStatusCode.OK, progress.StatusCode);
        Assert.Equal(18, (await JsonOf(progress)).GetArrayLength()); // a whole JSON array, not half of one
        var report = await staff.PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        Assert.True(report.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{(int)report.StatusCode} {await report.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/api/completeness/2025")).StatusCode);
        // The timer reports on the latest completed fiscal year (FY2025 on the test clock).
        var timer = await app.RunTimerAsync();
        Assert.True(timer.Succeeded, timer.Error);
    }

    [Fact]
    public async Task AVanishinglySmallAmount_IsRefused_NamingTheValue_AndTheReportStillRuns()
    {
        var cao = app.AsAgency("CAO");
        var tiny = await cao.PutAsync("/api/indicators/government-rd-investment/values/2019", Body("""{"value": 5e-324}"""));
        Assert.Equal(HttpStatusCode.BadRequest, tiny.StatusCode);
        Assert.True((await JsonOf(tiny)).GetProperty("errors").TryGetProperty("value", out var message));
        Assert.Contains("decimal places", message[0].GetString());
        Assert.Equal(HttpStatusCode.Created, (await cao.PutAsync("/api/indicators/government-rd-investment/values/2025", Body("""{"value": 1000}"""))).StatusCode);
        await AssertEveryOutputAnswersAsync();
    }

    [Fact]
    public async Task AVanishinglySmallAmountAcceptedBeforeTheRule_IsNotAssessable_AndNothingFails()
    {
        await app.ReadyAsync();
        // As an earlier version stored it: revision 1 of government-rd-investment/total/2021 = 5e-324.
        await app.ValuesTable.AddEntityAsync(new TableEntity("government-rd-investment", "value|total|2021|999998")
        {
            ["Series"] = "total", ["Year"] = 2021, ["Value"] = 5e-324, ["Status"] = "Final", ["Revision"] = 1,
            ["SubmittedBy"] = "CAO tester", ["Agency"] = "CAO", ["SubmittedAt"] = ReportingApp.Today, ["WriteId"] = "legacy",
        });
        Assert.Equal(HttpStatusCode.Created, (await app.AsAgency("CAO").PutAsync("/api/indicators/government-rd-investment/values/2025", Body("""{"value": 1000}"""))).StatusCode);

        await AssertEveryOutputAnswersAsync();
        var row = (await JsonOf(await app.AsStaff().GetAsync("/api/progress/2025"))).EnumerateArray()
            .Single(r => r.GetProperty("indicatorId").GetString() == "government-rd-investment");
        Assert.Equal("notAssessable", row.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(row.GetProperty("series")[0].GetProperty("components").GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task AReachRankTargetEqualToTheBaseline_IsRefused_AsAKeepTarget()
    {
        var admin = app.AsAdmin();
        var response = await admin.PutAsync("/api/indicators/top10-papers-rank/target", Body("""{"kind": "reach", "value": 13, "year": 2035}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await JsonOf(response)).GetProperty("errors").GetProperty("value")[0].GetString();
        Assert.Contains("keepRank", message);
        var store = app.Services.GetRequiredService<IndicatorStore>();
        Assert.Equal(3, (await store.FindAsync("top10-papers-rank"))!.Target.Value);
    }

    [Fact]
    public async Task AReachRankTargetEqualToTheBaselineStoredBeforeTheRule_IsNotAssessable_AndNothingFails()
    {
        await app.ReadyAsync();
        var store = app.Services.GetRequiredService<IndicatorStore>();
        // Stored without the endpoint's rules, as an earlier version accepted it.
        await store.SetTargetAsync("top10-papers-rank", new Target(TargetKind.Reach, 13, 2035, null, null, "世界第13位（2035年）"), "legacy");
        Assert.Equal(HttpStatusCode.Created, (await app.AsAgency("MEXT").PutAsync("/api/indicators/top10-papers-rank/values/2025", Body("""{"value": 14}"""))).StatusCode);

        await AssertEveryOutputAnswersAsync();
        var row = (await JsonOf(await app.AsStaff().GetAsync("/api/progress/2025"))).EnumerateArray()
            .Single(r => r.GetProperty("indicatorId").GetString() == "top10-papers-rank");
        Assert.Equal("notAssessable", row.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ACumulativeTargetOfZero_IsRefused_AndOneStoredBeforeTheRule_FailsNothing()
    {
        var refused = await app.AsAdmin().PutAsync("/api/indicators/researchers-abroad-long-term/target",
            Body("""{"kind": "cumulative", "value": 0, "fromYear": 2026, "toYear": 2030}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await JsonOf(refused)).GetProperty("errors").TryGetProperty("value", out _));

        var store = app.Services.GetRequiredService<IndicatorStore>();
        await store.SetTargetAsync("researchers-abroad-long-term", new Target(TargetKind.Cumulative, 0, null, 2026, 2030, "累計0人"), "legacy");
        Assert.Equal(HttpStatusCode.Created, (await app.AsAgency("MEXT").PutAsync("/api/indicators/researchers-abroad-long-term/values/2026", Body("""{"value": 0}"""))).StatusCode);
        await AssertEveryOutputAnswersAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.AsStaff().GetAsync("/api/progress/2026")).StatusCode);
    }

    [Theory]
    [InlineData("government-rd-investment", "4.123", "value")]       // 兆円 are published to 0.01
    [InlineData("government-rd-investment", "1000.01", "value")]     // above the plausible maximum
    [InlineData("research-time-share", "36.45", "value")]            // percentages to 0.1
    [InlineData("technicians-per-researcher", "0.0475", "value")]    // to 0.001
    [InlineData("industry-joint-research-income", "1e12", "value")]
    [InlineData("smart-city-municipalities", "10001", "value")]
    public async Task ValuesOutsideWhatTheIndicatorIsPublishedWith_AreRefused_NamingTheValue(string indicator, string value, string field)
    {
        var agency = PlanCatalog.Indicators.Single(i => i.Id == indicator).Agency;
        var before = await app.StoreFingerprintAsync();
        var response = await app.AsAgency(agency).PutAsync($"/api/indicators/{indicator}/values/2025", Body($$"""{"value": {{value}}}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before, await app.StoreFingerprintAsync());
    }

    [Theory]
    [InlineData("government-rd-investment", "4.12")]
    [InlineData("research-time-share", "36.4")]
    [InlineData("technicians-per-researcher", "0.047")]
    [InlineData("research-time-share", "0.30000000000000004")] // 0.1 + 0.2 in binary: one decimal
    public async Task ValuesInTheIndicatorsPrecision_AreAccepted(string indicator, string value)
    {
        var agency = PlanCatalog.Indicators.Single(i => i.Id == indicator).Agency;
        var response = await app.AsAgency(agency).PutAsync($"/api/indicators/{indicator}/values/2025", Body($$"""{"value": {{value}}}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("top10-papers-rank", """{"kind": "reach", "value": 14, "year": 2035}""", "value")]        // worse than the baseline
    [InlineData("research-time-share", """{"kind": "reach", "value": 32.2, "year": 2030}""", "value")]    // equal to the baseline
    [InlineData("research-time-share", """{"kind": "reach", "value": 50, "year": 2022}""", "year")]       // not after the base year
    [InlineData("research-time-share", """{"kind": "keepRank", "value": 5, "year": 2030}""", "kind")]     // not a rank
    [InlineData("research-time-share", """{"kind": "reach", "value": 50.55, "year": 2030}""", "value")]   // finer than published
    [InlineData("government-rd-investment", """{"kind": "cumulative", "value": -5, "fromYear": 2026, "toYear": 2030}""", "value")]
    [InlineData("iso-iec-secretariats-rank", """{"kind": "keepRank", "value": 0, "year": 2030}""", "value")]
    public async Task TargetsTheMethodCannotAssess_AreRefused_NamingTheField(string indicator, string body, string field)
    {
        var before = await app.StoreFingerprintAsync();
        var response = await app.AsAdmin().PutAsync($"/api/indicators/{indicator}/target", Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await app.StoreFingerprintAsync());
    }
}
