using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Text;
using System.Text.Json;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Submissions;

/// <summary>The fake clock is 2026-11-23 Japan time.</summary>
public sealed class WindowsAndLocksTests : AppTest
{
    [Fact]
    public async Task AYearWithoutAWindow_IsOpen()
    {
        Assert.Equal(HttpStatusCode.Created, (await app.AsAgency("CAO").PutAsync("/api/indicators/shared-equipment-rate/values/2024", Body("""{"value": 21}"""))).StatusCode);
    }

    [Fact]
    public async Task OutsideTheWindow_AgencyWritesGet409NamingTheWindow_AndNothingIsStored()
    {
        var set = await app.AsAdmin().PutAsync("/api/windows/2025", Body("""{"opensOn": "2026-04-01", "closesOn": "2026-06-30"}"""));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        var before = await app.AllValueEntitiesAsync();
        var response = await app.AsAgency("CAO").PutAsync("/api/indicators/shared-equipment-rate/values/2025", Body("""{"value": 21}"""));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("2026-04-01", problem.GetProperty("detail").GetString());
        Assert.Contains("2026-06-30", problem.GetProperty("detail").GetString());
        Assert.Equal("2026-11-23", problem.GetProperty("today").GetString());
        Assert.Equal("2026-06-30", problem.GetProperty("window").GetProperty("closesOn").GetString());
        Assert.Equal(before.Count, (await app.AllValueEntitiesAsync()).Count);

        // Inside a window (the Japan date of the fake clock is its last day), writes go through.
        await app.AsAdmin().PutAsync("/api/windows/2024", Body("""{"opensOn": "2026-11-01", "closesOn": "2026-11-23"}"""));
        Assert.Equal(HttpStatusCode.Created, (await app.AsAgency("CAO").PutAsync("/api/indicators/shared-equipment-rate/values/2024", Body("""{"value": 21}"""))).StatusCode);
        var windows = JsonDocument.Parse(await (await app.AsAgency("CAO").GetAsync("/api/windows")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, windows.GetArrayLength());
    }

    [Theory]
    [InlineData("""{"opensOn": "2026-07-01", "closesOn": "2026-06-30"}""", "closesOn")]
    [InlineData("""{"opensOn": "2026/04/01", "closesOn": "2026-06-30"}""", "opensOn")]
    [InlineData("""{"closesOn": "2026-06-30"}""", "opensOn")]
    public async Task SettingAWindow_WithBadDates_Returns400(string body, string field)
    {
        var response = await app.AsAdmin().PutAsync("/api/windows/2025", Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.AsStaff().PutAsync("/api/windows/2025", Body("""{"opensOn": "2026-04-01", "closesOn": "2026-06-30"}"""))).StatusCode);
    }

    [Fact]
    public async Task PublishingAReportAsFinal_LocksItsYear_ForAgenciesButNotForAnAdminWithAReason()
    {
        var mext = app.AsAgency("MEXT");
        await mext.PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33.0}"""));
        var created = JsonDocument.Parse(await (await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).Content.ReadAsStringAsync()).RootElement;
        var id = created.GetProperty("id").GetString();
        Assert.Equal("draft", created.GetProperty("status").GetString());

        var published = await app.AsStaff().PostAsync("/api/reports/2025/publish", Body($$"""{"id": "{{id}}"}"""));
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var list = JsonDocument.Parse(await (await app.AsStaff().GetAsync("/api/reports")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("final", list.EnumerateArray().Single(r => r.GetProperty("id").GetString() == id).GetProperty("status").GetString());

        var locked = await mext.PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 34.0}"""));
        Assert.Equal(HttpStatusCode.Conflict, locked.StatusCode);
        Assert.Contains(id!, await locked.Content.ReadAsStringAsync());
        // Other years stay open.
        Assert.Equal(HttpStatusCode.Created, (await mext.PutAsync("/api/indicators/research-time-share/values/2024", Body("""{"value": 32.9}"""))).StatusCode);

        var corrected = await app.AsAdmin().PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 34.0, "reason": "公表後の訂正（文部科学省より連絡）"}"""));
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await app.AsStaff().PostAsync("/api/reports/2025/publish", Body($$"""{"id": "{{id}}"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await mext.PostAsync("/api/reports/2025/publish", Body($$"""{"id": "{{id}}"}"""))).StatusCode);
    }

    [Fact]
    public async Task Completeness_ShowsSubmittedMissingAndProvisional_ByIndicatorAndAgency()
    {
        var jpo = app.AsAgency("JPO");
        await jpo.PutAsync("/api/indicators/pph-partner-rank/values/2025", Body("""{"value": 1, "status": "provisional"}"""));
        await jpo.PutAsync("/api/indicators/pph-partner-rank/values/2023", Body("""{"value": 1}"""));
        var response = await app.AsStaff().GetAsync("/api/completeness/2025");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2021, report.GetProperty("fromYear").GetInt32());
        var pph = report.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("indicatorId").GetString() == "pph-partner-rank").GetProperty("series")[0];
        Assert.Equal([2023, 2025], pph.GetProperty("submitted").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal([2021, 2022, 2024], pph.GetProperty("missing").EnumerateArray().Select(y => y.GetInt32()));
        Assert.Equal([2025], pph.GetProperty("provisional").EnumerateArray().Select(y => y.GetInt32()));
        var agency = report.GetProperty("agencies").EnumerateArray().Single(a => a.GetProperty("agency").GetString() == "JPO");
        Assert.Equal((5, 2, 3, 1), (agency.GetProperty("expected").GetInt32(), agency.GetProperty("submitted").GetInt32(), agency.GetProperty("missing").GetInt32(), agency.GetProperty("provisional").GetInt32()));
        Assert.Equal(HttpStatusCode.Forbidden, (await jpo.GetAsync("/api/completeness/2025")).StatusCode);
    }
}
