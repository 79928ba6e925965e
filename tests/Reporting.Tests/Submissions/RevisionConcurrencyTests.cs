using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Submissions;

public sealed class RevisionConcurrencyTests : AppTest
{
    [Fact]
    public async Task IfMatch_ReplacesOnlyThatVersion_OtherwiseReturns412_AndChangesNothing()
    {
        var mext = app.AsAgency("MEXT");
        var created = await mext.PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33.0}"""));
        var etag = created.Headers.ETag!.Tag;
        Assert.False(string.IsNullOrEmpty(etag));

        var get = await mext.GetAsync("/api/indicators/research-time-share/values/2025");
        Assert.Equal(etag, get.Headers.ETag!.Tag);

        var revised = await mext.SendAsync(Put("/api/indicators/research-time-share/values/2025", """{"value": 33.5}""", ifMatch: etag));
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        Assert.NotEqual(etag, revised.Headers.ETag!.Tag);

        // A second writer still holding the first ETag loses, and the store keeps revision 2.
        var stale = await mext.SendAsync(Put("/api/indicators/research-time-share/values/2025", """{"value": 40.0}""", ifMatch: etag));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);
        var now = await JsonOf(await mext.GetAsync("/api/indicators/research-time-share/values/2025?history=true"));
        Assert.Equal(33.5, now.GetProperty("value").GetDouble());
        Assert.Equal(2, now.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task IfNoneMatchStar_CreatesOnly()
    {
        var mext = app.AsAgency("MEXT");
        Assert.Equal(HttpStatusCode.Created, (await mext.SendAsync(Put("/api/indicators/women-professors-share/values/2026", """{"value": 20.0}""", ifNoneMatch: "*"))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await mext.SendAsync(Put("/api/indicators/women-professors-share/values/2026", """{"value": 21.0}""", ifNoneMatch: "*"))).StatusCode);
        var value = await JsonOf(await mext.GetAsync("/api/indicators/women-professors-share/values/2026"));
        Assert.Equal(20.0, value.GetProperty("value").GetDouble());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await mext.SendAsync(Put("/api/indicators/women-professors-share/values/2024", """{"value": 21.0}""", ifMatch: "\"nothing-there\""))).StatusCode);
    }

    [Fact]
    public async Task ConcurrentIfMatchWriters_ExactlyOneWins()
    {
        var mext = app.AsAgency("MEXT");
        var etag = (await mext.PutAsync("/api/indicators/challenging-research-projects/values/2025", Body("""{"value": 7000}"""))).Headers.ETag!.Tag;
        var responses = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            mext.SendAsync(Put("/api/indicators/challenging-research-projects/values/2025", $$"""{"value": {{7000 + i}}}""", ifMatch: etag))));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        var value = await JsonOf(await mext.GetAsync("/api/indicators/challenging-research-projects/values/2025?history=true"));
        Assert.Equal(2, value.GetProperty("revision").GetInt32());
        Assert.Equal(2, value.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task Status_IsProvisionalOrFinal_AndAChangeOfStatusIsARevision()
    {
        var mext = app.AsAgency("MEXT");
        var first = await JsonOf(await mext.PutAsync("/api/indicators/doctoral-students-degrees/values/2025",
            Body("""{"series": "enrolments", "value": 16000, "status": "provisional", "note": "速報値"}""")));
        Assert.Equal("provisional", first.GetProperty("status").GetString());
        var same = await mext.PutAsync("/api/indicators/doctoral-students-degrees/values/2025",
            Body("""{"series": "enrolments", "value": 16000, "status": "final", "note": "速報値"}"""));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        var final = await JsonOf(same);
        Assert.Equal("final", final.GetProperty("status").GetString());
        Assert.Equal(2, final.GetProperty("revision").GetInt32());
        var bad = await mext.PutAsync("/api/indicators/doctoral-students-degrees/values/2025", Body("""{"series": "enrolments", "value": 1, "status": "draft"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task AValueThatJumpsFromThePreviousYear_IsAcceptedButFlagged_AndListedForStaff()
    {
        var mext = app.AsAgency("MEXT");
        await mext.PutAsync("/api/indicators/industry-joint-research-income/values/2024", Body("""{"value": 100000}"""));
        var jump = await JsonOf(await mext.PutAsync("/api/indicators/industry-joint-research-income/values/2025", Body("""{"value": 310000}""")));
        Assert.True(jump.GetProperty("flagged").GetBoolean());
        Assert.Contains("3.1", jump.GetProperty("flagReason").GetString());
        var normal = await JsonOf(await mext.PutAsync("/api/indicators/industry-joint-research-income/values/2023", Body("""{"value": 98000}""")));
        Assert.False(normal.GetProperty("flagged").GetBoolean());

        var completeness = await JsonOf(await app.AsStaff().GetAsync("/api/completeness/2025"));
        var row = completeness.GetProperty("indicators").EnumerateArray().Single(i => i.GetProperty("indicatorId").GetString() == "industry-joint-research-income");
        var flagged = Assert.Single(row.GetProperty("series")[0].GetProperty("flagged").EnumerateArray());
        Assert.Equal(2025, flagged.GetProperty("year").GetInt32());
    }
}
