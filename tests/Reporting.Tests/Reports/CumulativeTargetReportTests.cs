using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>
/// The wrong number once printed for a cumulative target: with FY2027 missing, the FY2028 report said
/// "累計 12,100（2026～2028）、按分目標 18,000（R=0.67）△". A missing year is unknown, not zero.
/// </summary>
public sealed class CumulativeTargetReportTests : AppTest
{
    [Fact]
    public async Task AMissingYear_IsLeftOutOfTheTotalAndTheShare_AndNamed_InTheApiAndThePdf()
    {
        // FY2029 (June 2029, Japan time): FY2028 is the latest completed year.
        app.Clock.SetUtcNow(new DateTimeOffset(2029, 6, 2, 0, 0, 0, TimeSpan.Zero));
        var mext = app.AsAgency("MEXT");
        Assert.Equal(HttpStatusCode.Created, (await mext.PutAsync("/api/indicators/researchers-abroad-long-term/values/2026", Body("""{"value": 5800}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await mext.PutAsync("/api/indicators/researchers-abroad-long-term/values/2028", Body("""{"value": 6300}"""))).StatusCode);

        var row = (await JsonOf(await app.AsStaff().GetAsync("/api/progress/2028"))).EnumerateArray()
            .Single(r => r.GetProperty("indicatorId").GetString() == "researchers-abroad-long-term");
        var c = row.GetProperty("series")[0].GetProperty("components");
        Assert.Equal((12100.0, 12000.0, 1.01), (c.GetProperty("cumulativeTotal").GetDouble(), c.GetProperty("proRataTarget").GetDouble(), c.GetProperty("ratio").GetDouble()));
        Assert.Equal([2027], c.GetProperty("missingYears").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal("substantial", row.GetProperty("status").GetString());

        Assert.Equal(HttpStatusCode.Created, (await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2028}"""))).StatusCode);
        var text = Pdf.Flat(Pdf.Text(await (await app.AsStaff().GetAsync("/api/reports/2028")).Content.ReadAsByteArrayAsync()));
        Assert.Contains("累計12,100（2026・2028年度の2か年。2027年度は未提出のため含まない）", text);
        Assert.Contains("按分目標12,000（2/5か年分）", text);
        Assert.DoesNotContain("按分目標18,000", text);
        Assert.DoesNotContain("2026～2028", text);
    }
}
