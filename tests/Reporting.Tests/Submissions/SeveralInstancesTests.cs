using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Submissions;

/// <summary>
/// Two app instances on the same storage, as the Functions host scales out. Each instance skips the read before a write
/// when it knows a value's latest revision; these tests make that knowledge stale on purpose and check that storage,
/// not the instance's memory, decides.
/// </summary>
public sealed class SeveralInstancesTests : IDisposable
{
    private const string Path = "/api/indicators/research-time-share/values/2025";
    private readonly ReportingApp a = new();
    private readonly ReportingApp b;

    public SeveralInstancesTests() => b = new ReportingApp(prefix: a.Prefix);

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
    }

    [Fact]
    public async Task Put_OnAnInstanceThatMissedAnotherInstancesRevision_AddsTheNextRevision_AndLosesNone()
    {
        Assert.Equal(HttpStatusCode.Created, (await a.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 30.0}"""))).StatusCode);
        Assert.Equal(2, (await JsonOf(await b.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 31.0}""")))).GetProperty("revision").GetInt32());

        var third = await a.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 32.0}"""));
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(3, (await JsonOf(third)).GetProperty("revision").GetInt32());
        var history = (await JsonOf(await b.AsStaff().GetAsync(Path + "?history=true"))).GetProperty("history").EnumerateArray()
            .Select(h => (h.GetProperty("revision").GetInt32(), h.GetProperty("value").GetDouble())).ToList();
        Assert.Equal([(1, 30.0), (2, 31.0), (3, 32.0)], history);
    }

    [Fact]
    public async Task Put_RepeatingAValueAnotherInstanceHasSinceChanged_IsANewRevision_NotUnchanged()
    {
        await a.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 30.0}"""));
        await b.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 31.0}"""));

        // Instance a last saw 30.0: only storage can tell that sending 30.0 again is a change back.
        var again = await a.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 30.0}"""));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(3, (await JsonOf(again)).GetProperty("revision").GetInt32());
        Assert.Equal(30.0, (await JsonOf(await b.AsStaff().GetAsync(Path))).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task IfMatch_WithAnETagFromTheOtherInstance_IsJudgedOnStorage()
    {
        var first = (await a.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 30.0}"""))).Headers.ETag!.ToString();
        var second = (await b.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 31.0}"""))).Headers.ETag!.ToString();

        Assert.Equal(HttpStatusCode.PreconditionFailed, (await a.AsAgency("MEXT").SendAsync(Put(Path, """{"value": 35.0}""", first))).StatusCode);
        var current = await a.AsAgency("MEXT").SendAsync(Put(Path, """{"value": 32.0}""", second));
        Assert.Equal(HttpStatusCode.OK, current.StatusCode);
        Assert.Equal(3, (await JsonOf(current)).GetProperty("revision").GetInt32());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await b.AsAgency("MEXT").SendAsync(Put(Path, """{"value": 33.0}""", second))).StatusCode);
    }

    [Fact]
    public async Task PublishingOnOneInstance_LocksTheYearOnTheOther_ByTheTimeThePublicationAnswers()
    {
        // A cache time long enough that the other instance still holds "open" when the year is locked.
        var settings = new Dictionary<string, string> { ["Submissions:ControlsCacheSeconds"] = "4" };
        using var first = new ReportingApp(settings);
        using var second = new ReportingApp(settings, prefix: first.Prefix);
        Assert.Equal(HttpStatusCode.Created, (await second.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 33.0}"""))).StatusCode);
        var report = await JsonOf(await first.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}""")));
        var published = await first.AsStaff().PostAsync("/api/reports/2025/publish", Body($$"""{"id": "{{report.GetProperty("id").GetString()}}"}"""));
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);

        var late = await second.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 34.0}"""));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(33.0, (await JsonOf(await first.AsStaff().GetAsync(Path))).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Publish_WhenAValueChangedAfterTheDraft_Returns409_LiftsTheLock_AndANewDraftPublishes()
    {
        await a.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 33.0}"""));
        var stale = await JsonOf(await a.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}""")));
        await b.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 33.4}"""));

        var refused = await a.AsStaff().PostAsync("/api/reports/2025/publish", Body($$"""{"id": "{{stale.GetProperty("id").GetString()}}"}"""));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Generate a new report", await refused.Content.ReadAsStringAsync());
        var reports = await JsonOf(await a.AsStaff().GetAsync("/api/reports"));
        Assert.All(reports.EnumerateArray(), r => Assert.Equal("draft", r.GetProperty("status").GetString()));
        // The year is open again for agencies.
        Assert.Equal(HttpStatusCode.OK, (await b.AsAgency("MEXT").PutAsync(Path, Body("""{"value": 33.5}"""))).StatusCode);

        var fresh = await JsonOf(await a.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}""")));
        var published = await a.AsStaff().PostAsync("/api/reports/2025/publish", Body($$"""{"id": "{{fresh.GetProperty("id").GetString()}}"}"""));
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        var snapshot = await JsonOf(await a.AsStaff().GetAsync($"/api/reports/2025?id={fresh.GetProperty("id").GetString()}&format=snapshot"));
        Assert.Contains("33.5", snapshot.GetRawText());
    }

    [Fact]
    public async Task AWriteOfMoreChangesThanOneTransactionHolds_IsRefusedWhole()
    {
        // One transaction holds 100 operations: each changed value is one, and each year's guard one.
        await a.ReadyAsync();
        var store = a.Services.GetRequiredService<ValueStore>();
        var mext = new Submitter("test", "MEXT");
        List<ValueWrite> Writes(int count, int years) =>
            Enumerable.Range(0, count).Select(i => new ValueWrite($"s{i % (count / years + 1)}", 1900 + i % years, i, null, ValueStatus.Final)).Distinct().ToList();
        var tooMany = Writes(76, 25); // 76 values + 25 guards
        Assert.False(ValueStore.FitsOneTransaction(tooMany.Count, 25));
        var refused = await store.WriteAsync("research-time-share", tooMany, mext, ReportingApp.Today);
        Assert.All(refused, o => Assert.Equal(RefusalKind.TooLarge, o.Refusal?.Kind));
        Assert.Empty(await a.AllValueEntitiesAsync());
        var fits = Writes(75, 25);
        Assert.True(ValueStore.FitsOneTransaction(fits.Count, 25));
        var written = await store.WriteAsync("research-time-share", fits, mext, ReportingApp.Today);
        Assert.All(written, o => Assert.Equal(WriteKind.Created, o.Value.Kind));
        Assert.Equal(75, (await a.AllValueEntitiesAsync()).Count);
    }
}
