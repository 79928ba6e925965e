using System.Net;
using System.Text;
using System.Text.Json;
using Reporting.Tests.Infrastructure;
using Reporting.Tests.Reports;
using static Reporting.Tests.Infrastructure.Requests;

namespace Reporting.Tests.Indicators;

/// <summary>
/// The README's example submissions for the two indicators observed over three years, through the API: the catalog says
/// which year a value is submitted under, every value comes back with the period it covers, and the progress API, the
/// CSV and JSON companions and the PDF show the same periods and the same status.
/// </summary>
public sealed class ReferencePeriodApiTests : AppTest
{
    private static (int From, int To) Period(JsonElement e) => (e.GetProperty("from").GetInt32(), e.GetProperty("to").GetInt32());

    [Fact]
    public async Task The_catalog_states_each_indicators_reference_period_and_the_year_its_baseline_is_submitted_under()
    {
        var top10 = await JsonOf(await app.AsAgency("MEXT").GetAsync("/api/indicators/top10-papers-rank"));
        var reference = top10.GetProperty("referencePeriod");
        Assert.Equal((3, "average", "lastYear"), (reference.GetProperty("years").GetInt32(), reference.GetProperty("kind").GetString(), reference.GetProperty("labelledBy").GetString()));
        var baseline = top10.GetProperty("baseline")[0];
        Assert.Equal((2021, 2023, 2023, true), (baseline.GetProperty("fromYear").GetInt32(), baseline.GetProperty("toYear").GetInt32(),
            baseline.GetProperty("year").GetInt32(), baseline.GetProperty("revisedBySubmission").GetBoolean()));

        var all = await JsonOf(await app.AsStaff().GetAsync("/api/indicators"));
        foreach (var i in all.EnumerateArray())
        {
            var years = i.GetProperty("referencePeriod").GetProperty("years").GetInt32();
            Assert.Equal(i.GetProperty("id").GetString() is "top10-papers-rank" or "innovating-firms-rate" ? 3 : 1, years);
        }
        var investment = all.EnumerateArray().Single(i => i.GetProperty("id").GetString() == "government-rd-investment").GetProperty("baseline")[0];
        Assert.False(investment.GetProperty("revisedBySubmission").GetBoolean()); // a five-year total of yearly amounts
    }

    [Fact]
    public async Task Values_of_several_years_carry_their_period_in_every_output()
    {
        var mext = app.AsAgency("MEXT");
        // The README's examples: the 2023–2025 average of Top10%補正論文数 (11th) and the 2023–2025 survey (40%), each
        // submitted under the year its period ends.
        var put = await mext.PutAsync("/api/indicators/top10-papers-rank/values/2025", Body("""{"value": 11, "note": "2023–2025年平均"}"""));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal((2023, 2025), Period((await JsonOf(put)).GetProperty("period")));
        Assert.Equal(HttpStatusCode.Created, (await mext.PutAsync("/api/indicators/innovating-firms-rate/values/2025", Body("""{"value": 40}"""))).StatusCode);

        var one = await JsonOf(await mext.GetAsync("/api/indicators/innovating-firms-rate/values/2025"));
        Assert.Equal((2023, 2025), Period(one.GetProperty("period")));
        var list = await JsonOf(await mext.GetAsync("/api/indicators/top10-papers-rank/values"));
        Assert.Equal((2023, 2025), Period(list.GetProperty("values")[0].GetProperty("period")));
        Assert.Equal(3, list.GetProperty("referencePeriod").GetProperty("years").GetInt32());
        // A single-year indicator's value covers its year.
        Assert.Equal(HttpStatusCode.Created, (await mext.PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33.0}"""))).StatusCode);
        var single = await JsonOf(await mext.GetAsync("/api/indicators/research-time-share/values/2025"));
        Assert.Equal((2025, 2025), Period(single.GetProperty("period")));

        var staff = app.AsStaff();
        var progress = await JsonOf(await staff.GetAsync("/api/progress/2025"));
        JsonElement Row(string id) => progress.EnumerateArray().Single(r => r.GetProperty("indicatorId").GetString() == id);
        foreach (var id in new[] { "top10-papers-rank", "innovating-firms-rate" })
        {
            var c = Row(id).GetProperty("series")[0].GetProperty("components");
            Assert.Equal("substantial", Row(id).GetProperty("status").GetString());
            Assert.Equal((2021, 2023), Period(c.GetProperty("basePeriod")));
            Assert.Equal((2023, 2025), Period(c.GetProperty("currentPeriod")));
            Assert.Equal((2023, 2025), (c.GetProperty("baseYear").GetInt32(), c.GetProperty("currentYear").GetInt32()));
        }
        Assert.Equal(1.20, Row("top10-papers-rank").GetProperty("series")[0].GetProperty("components").GetProperty("ratio").GetDouble());
        Assert.Equal(1.13, Row("innovating-firms-rate").GetProperty("series")[0].GetProperty("components").GetProperty("ratio").GetDouble());

        Assert.Equal(HttpStatusCode.Created, (await staff.PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);
        var summary = await JsonOf(await staff.GetAsync("/api/reports/2025?format=json"));
        var top10 = summary.EnumerateArray().Single(r => r.GetProperty("indicatorId").GetString() == "top10-papers-rank");
        Assert.Equal((2023, 2025), Period(top10.GetProperty("latestPeriod")));
        Assert.Equal("2023–2025年平均", top10.GetProperty("latestPeriodText").GetString());
        Assert.Equal((2021, 2023), Period(top10.GetProperty("basePeriod")));

        var csv = Encoding.UTF8.GetString(await (await staff.GetAsync("/api/reports/2025?format=csv")).Content.ReadAsByteArrayAsync());
        var header = csv.Split("\r\n")[0].TrimStart('\uFEFF').Split(',');
        var firms = csv.Split("\r\n").Single(l => l.Contains(",innovating-firms-rate,")).Split(',');
        string Cell(string column) => firms[Array.IndexOf(header, column)];
        Assert.Equal(("2023", "2025", "2023–2025年"), (Cell("最新値の期間（始）"), Cell("最新値の期間（終）"), Cell("最新値の期間")));
        Assert.Equal(("2021", "2023"), (Cell("基準期間（始）"), Cell("基準期間（終）")));

        var pdf = Pdf.Flat(Pdf.Text(await (await staff.GetAsync("/api/reports/2025")).Content.ReadAsByteArrayAsync()));
        Assert.Contains("2023–2025（令和5–7）年平均", pdf);           // the five-year table of Top10%
        Assert.Contains("11位（2023–2025年平均）", pdf);               // its latest value
        Assert.Contains("暦年3年平均の値（期間の最終年で表す）", pdf);
        Assert.Contains("年（3年平均の最終年）", pdf);                  // the chart's axis
        Assert.Contains("値の期間：", pdf);                              // 付録A states the convention
    }
}
