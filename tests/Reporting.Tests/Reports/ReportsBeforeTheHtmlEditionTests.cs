using System.Net;
using Reporting.Tests.Infrastructure;
using static Reporting.Tests.Infrastructure.Requests;

namespace Reporting.Tests.Reports;

/// <summary>
/// Reports stored before the HTML edition existed have a PDF and data but no report.html: asking for their HTML edition
/// is a clear 404 (never a storage error), and the next report run makes the report again, with both editions, even
/// though the data has not changed.
/// </summary>
public sealed class ReportsBeforeTheHtmlEditionTests : AppTest
{
    [Fact]
    public async Task AReportWithoutAnHtmlEdition_Answers404ForIt_AndTheNextRunMakesOneWithBothEditions()
    {
        var staff = app.AsStaff();
        await app.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33}"""));
        var first = await JsonOf(await staff.PostAsync("/api/reports", Body("""{"fiscalYear": 2025}""")));
        var id = first.GetProperty("id").GetString()!;

        // As an earlier version stored it: no report.html, no htmlSize on the manifest.
        var folder = $"fy2025/{id}/";
        await app.ReportsContainer.GetBlobClient(folder + "report.html").DeleteAsync();
        var manifest = app.ReportsContainer.GetBlobClient(folder + "manifest.json");
        var metadata = (await manifest.GetPropertiesAsync()).Value.Metadata;
        metadata.Remove("htmlSize");
        await manifest.SetMetadataAsync(metadata);

        var listed = await JsonOf(await staff.GetAsync("/api/reports"));
        Assert.False(listed[0].TryGetProperty("htmlPath", out _));
        var missing = await staff.GetAsync($"/api/reports/2025?id={id}&format=html");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("generated before", await missing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync($"/api/reports/2025?id={id}")).StatusCode);

        var again = await staff.PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var second = await JsonOf(again);
        Assert.NotEqual(id, second.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync(second.GetProperty("htmlPath").GetString())).StatusCode);
        // And with both editions, the same data makes no third report.
        Assert.Equal(HttpStatusCode.OK, (await staff.PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);
    }
}
