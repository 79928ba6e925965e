using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Indicators;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Indicators;

public sealed class IndicatorEndpointsTests : AppTest
{
    [Fact]
    public async Task List_ReturnsTheSeededCatalog_WithEveryFieldTheApiPromises()
    {
        var response = await app.AsAgency("CAO").GetAsync("/api/indicators");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(18, list.Count);
        foreach (var field in new[] { "id", "name", "group", "unit", "direction", "yearType", "series", "baseline", "target", "agency", "source" })
        {
            Assert.All(list, i => Assert.True(i.TryGetProperty(field, out _), $"missing {field}"));
        }
        var top10 = list.Single(i => i.GetProperty("id").GetString() == "top10-papers-rank");
        Assert.Equal("Top10%補正論文数", top10.GetProperty("name").GetString());
        Assert.Equal("research", top10.GetProperty("group").GetString());
        Assert.Equal("lowerIsBetter", top10.GetProperty("direction").GetString());
        Assert.Equal("calendar", top10.GetProperty("yearType").GetString());
        Assert.Equal("total", top10.GetProperty("series")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Get_UnknownIndicator_Returns404Problem()
    {
        var response = await app.AsStaff().GetAsync("/api/indicators/unknown-indicator");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Seeding_IsIdempotent_AndKeepsATargetAnAdminSet()
    {
        var admin = app.AsAdmin();
        var set = await admin.PutAsync("/api/indicators/government-rd-investment/target",
            Body("""{"kind": "cumulative", "value": 135, "fromYear": 2026, "toYear": 2030, "label": "135兆円（2026–2030年度合計）"}"""));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);

        var store = app.Services.GetRequiredService<IndicatorStore>();
        Assert.Equal(0, await store.SeedAsync(PlanCatalog.Indicators, PlanCatalog.Version));
        // A newer catalog version refreshes definitions but must not undo the admin's decision.
        Assert.Equal(18, await store.SeedAsync(PlanCatalog.Indicators, PlanCatalog.Version + 1));

        var count = 0;
        await foreach (var _ in app.IndicatorsTable.QueryAsync<TableEntity>("PartitionKey eq 'catalog' and RowKey lt '~'")) count++;
        Assert.Equal(18, count);
        var target = (await store.FindAsync("government-rd-investment"))!.Target;
        Assert.Equal((TargetKind.Cumulative, 135.0, "135兆円（2026–2030年度合計）"), (target.Kind, target.Value!.Value, target.Label));
    }

    [Fact]
    public async Task SetTarget_ByStaffOrAgency_Returns403_AndChangesNothing()
    {
        foreach (var client in new[] { app.AsStaff(), app.AsAgency("CAO") })
        {
            var response = await client.PutAsync("/api/indicators/government-rd-investment/target", Body("""{"kind": "cumulative", "value": 1, "fromYear": 2026, "toYear": 2030}"""));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
        var store = app.Services.GetRequiredService<IndicatorStore>();
        Assert.Equal(TargetKind.NotSet, (await store.FindAsync("government-rd-investment"))!.Target.Kind);
    }

    [Theory]
    [InlineData("""{"value": 10, "year": 2030}""", "kind")]
    [InlineData("""{"kind": "reach", "year": 2030}""", "value")]
    [InlineData("""{"kind": "reach", "value": 120, "year": 2030}""", "value")]
    [InlineData("""{"kind": "reach", "value": 40}""", "year")]
    [InlineData("""{"kind": "cumulative", "value": 40, "fromYear": 2030, "toYear": 2026}""", "toYear")]
    [InlineData("""{"kind": "sometime"}""", "kind")]
    public async Task SetTarget_WithBadInput_Returns400NamingTheField(string body, string field)
    {
        var response = await app.AsAdmin().PutAsync("/api/indicators/research-time-share/target", Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        var store = app.Services.GetRequiredService<IndicatorStore>();
        Assert.Equal(50, (await store.FindAsync("research-time-share"))!.Target.Value);
    }

    [Fact]
    public async Task SetTarget_ByAdmin_ReplacesThePlaceholder()
    {
        var response = await app.AsAdmin().PutAsync("/api/indicators/public-private-rd-investment/target",
            Body("""{"kind": "cumulative", "value": 180, "fromYear": 2026, "toYear": 2030}"""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var indicator = JsonDocument.Parse(await (await app.AsStaff().GetAsync("/api/indicators/public-private-rd-investment")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("cumulative", indicator.GetProperty("target").GetProperty("kind").GetString());
        Assert.Equal(180, indicator.GetProperty("target").GetProperty("value").GetDouble());
        Assert.Equal("累計180兆円（2026–2030年度合計）", indicator.GetProperty("target").GetProperty("label").GetString());
    }
}
