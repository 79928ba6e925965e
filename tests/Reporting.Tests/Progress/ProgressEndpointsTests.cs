using System.Net;
using System.Text;
using System.Text.Json;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Progress;

public sealed class ProgressEndpointsTests : AppTest
{
    [Fact]
    public async Task Get_ReturnsOneRowPerIndicator_WithEachSeriesStatusAndComponents()
    {
        await app.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025",
            new StringContent("""{"value": 36.0}""", Encoding.UTF8, "application/json"));
        var response = await app.AsStaff().GetAsync("/api/progress/2025");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
        Assert.Equal(18, rows.Count);

        var row = rows.Single(r => r.GetProperty("indicatorId").GetString() == "research-time-share");
        Assert.Equal("moderate", row.GetProperty("status").GetString());
        var series = Assert.Single(row.GetProperty("series").EnumerateArray());
        Assert.Equal("total", series.GetProperty("seriesId").GetString());
        var c = series.GetProperty("components");
        Assert.Equal(32.2, c.GetProperty("baseValue").GetDouble());
        Assert.Equal(2022, c.GetProperty("baseYear").GetInt32());
        Assert.Equal(36.0, c.GetProperty("currentValue").GetDouble());
        Assert.Equal(50, c.GetProperty("targetValue").GetDouble());
        Assert.Equal(0.67, c.GetProperty("ratio").GetDouble(), 2);
        Assert.True(c.TryGetProperty("observedGrowth", out _) && c.TryGetProperty("requiredGrowth", out _) && c.TryGetProperty("score", out _));
        Assert.False(string.IsNullOrEmpty(c.GetProperty("reason").GetString()));

        var unset = rows.Single(r => r.GetProperty("indicatorId").GetString() == "government-rd-investment");
        Assert.Equal("notAssessable", unset.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("1999")]
    [InlineData("2027")]
    [InlineData("next")]
    public async Task Get_WithABadFiscalYear_Returns400(string year)
    {
        var response = await app.AsStaff().GetAsync($"/api/progress/{year}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Get_ByAnAgency_Returns403()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await app.AsAgency("MEXT").GetAsync("/api/progress/2025")).StatusCode);
    }
}
