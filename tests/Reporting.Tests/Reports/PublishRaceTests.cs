using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Text;
using System.Text.Json;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>
/// Publishing a year's final report while agencies write and storage misbehaves, with two app instances on one Azurite
/// and a gate in an instance's storage pipeline that holds a request in flight or fails it. The final report always
/// shows what the locked year holds; a failed publication leaves no final report and no false "published" lock, and
/// its retry completes it; races answer 409, never 500.
/// </summary>
public sealed class PublishRaceTests : IDisposable
{
    private const string Value2023 = "/api/indicators/research-time-share/values/2023";
    private readonly StorageGate gateA = new();
    private readonly StorageGate gateB = new();
    private readonly ReportingApp a;
    private readonly ReportingApp b;

    public PublishRaceTests()
    {
        a = new ReportingApp { TestServices = gateA.Register };
        b = new ReportingApp(prefix: a.Prefix) { TestServices = gateB.Register };
    }

    public void Dispose()
    {
        gateA.Release();
        gateB.Release();
        a.Dispose();
        b.Dispose();
    }

    private static async Task<string> DraftAsync(ReportingApp app)
    {
        var created = await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2023}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await JsonOf(created)).GetProperty("id").GetString()!;
    }

    private static Task<HttpResponseMessage> PublishAsync(ReportingApp app, string id) =>
        app.AsStaff().PostAsync("/api/reports/2023/publish", Body($$"""{"id": "{{id}}"}"""));

    private async Task<string> StatusOf(string id) =>
        (await JsonOf(await a.AsStaff().GetAsync("/api/reports"))).EnumerateArray().Single(r => r.GetProperty("id").GetString() == id).GetProperty("status").GetString()!;

    /// <summary>What a dry-run import says of a 2023 row: written or refused, and why (nothing is written).</summary>
    private async Task<JsonElement> DryRunRowAsync()
    {
        var response = await a.AsAgency("MEXT").PostAsync("/api/imports?dryRun=true",
            new StringContent("indicator,year,value\nresearch-time-share,2023,27.5\n", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await JsonOf(response)).GetProperty("results")[0];
    }

    [Fact]
    public async Task AWriteInFlightWhenTheYearIsLocked_FailsAtStorage_AndTheFinalReportShowsWhatIsStored()
    {
        // Before: B's insert, held by slow storage after it had passed the lock check, landed after the publication
        // answered: the final report said 25, the locked year stored 26.5.
        Assert.Equal(HttpStatusCode.Created, (await a.AsAgency("MEXT").PutAsync(Value2023, Body("""{"value": 25}"""))).StatusCode);
        var id = await DraftAsync(a);
        var inFlight = gateB.Hold(StorageGate.IsTableBatch);
        var late = b.AsAgency("MEXT").PutAsync(Value2023, Body("""{"value": 26.5}"""));
        await inFlight;
        var published = await PublishAsync(a, id);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        gateB.Release();

        var answer = await late;
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        Assert.Contains(id, await answer.Content.ReadAsStringAsync());
        Assert.Equal(25, (await JsonOf(await a.AsStaff().GetAsync(Value2023))).GetProperty("value").GetDouble());
        var snapshot = await JsonOf(await a.AsStaff().GetAsync($"/api/reports/2023?id={id}&format=snapshot"));
        var values = snapshot.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("definition").GetProperty("id").GetString() == "research-time-share")
            .GetProperty("series")[0].GetProperty("values");
        Assert.Equal(25, values.EnumerateArray().Single(v => v.GetProperty("year").GetInt32() == 2023).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task APublicationThatFailsBeforeTheReportIsFinal_OpensTheYearAgain_AndItsRetryCompletesIt()
    {
        // Before: storage failing mid-publication answered 503 and left the year "locked: report … was published as
        // final" with no final report.
        await a.AsAgency("MEXT").PutAsync(Value2023, Body("""{"value": 25}"""));
        var id = await DraftAsync(a);
        gateA.Fail(StorageGate.IsManifestMetadata);
        var failed = await PublishAsync(a, id);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.Equal("draft", await StatusOf(id));
        Assert.Equal("accepted", (await DryRunRowAsync()).GetProperty("outcome").GetString());

        gateA.Heal();
        var retried = await PublishAsync(a, id);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("final", await StatusOf(id));
        var locked = await DryRunRowAsync();
        Assert.Equal("rejected", locked.GetProperty("outcome").GetString());
        Assert.Contains("published as final", locked.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task APublicationWhoseCleanUpAlsoFails_LeavesTheYearBeingPublished_NeverFalselyPublished_AndItsRetryCompletesIt()
    {
        await a.AsAgency("MEXT").PutAsync(Value2023, Body("""{"value": 25}"""));
        var id = await DraftAsync(a);
        // Storage goes away for this instance when the report is marked final, and stays away during the clean-up.
        var down = false;
        gateA.Fail(m => down || (down = StorageGate.IsManifestMetadata(m)));
        var failed = await PublishAsync(a, id);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        gateA.Heal();

        Assert.Equal("draft", await StatusOf(id));
        var row = await DryRunRowAsync();
        Assert.Equal("rejected", row.GetProperty("outcome").GetString());
        var message = row.GetProperty("errors")[0].GetProperty("message").GetString()!;
        Assert.Contains("being published", message);
        Assert.DoesNotContain("published as final", message);

        Assert.Equal(HttpStatusCode.OK, (await PublishAsync(a, id)).StatusCode);
        Assert.Equal("final", await StatusOf(id));
        Assert.Contains("published as final", (await DryRunRowAsync()).GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task TwoPublicationsOfOneDraftWhoseMetadataWritesInterleave_BothAnswer_NeverA500()
    {
        // Before: the second metadata write failed its ETag condition (412 from storage) and answered 500.
        await a.AsAgency("MEXT").PutAsync(Value2023, Body("""{"value": 25}"""));
        var id = await DraftAsync(a);
        var aMarking = gateA.Hold(StorageGate.IsManifestMetadata);
        var first = PublishAsync(a, id);
        await aMarking;
        var second = await PublishAsync(b, id);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        gateA.Release();
        var answer = await first;
        Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        Assert.Equal("final", await StatusOf(id));
        Assert.Equal(HttpStatusCode.Conflict, (await a.AsAgency("MEXT").PutAsync(Value2023, Body("""{"value": 26}"""))).StatusCode);
    }
}
