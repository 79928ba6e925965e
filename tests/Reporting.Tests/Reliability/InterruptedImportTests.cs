using System.Net;
using System.Text;
using System.Text.Json;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reliability;

/// <summary>
/// Storage fails after an import's first transactions were committed. The 503 says which indicators are stored, which
/// are not and which was in flight, and sending the same import again completes it with one revision per value.
/// </summary>
public sealed class InterruptedImportTests : IDisposable
{
    private static readonly string[] Indicators =
        ["challenging-research-projects", "researchers-abroad-long-term", "international-coauthorship-rate", "women-professors-share"];

    private readonly StorageGate gate = new();
    private readonly ReportingApp app;

    public InterruptedImportTests() => app = new ReportingApp { TestServices = gate.Register };

    public void Dispose() => app.Dispose();

    private static ByteArrayContent Csv()
    {
        var csv = new StringBuilder("indicator,series,year,value,status,note\n");
        foreach (var indicator in Indicators)
            for (var year = 2021; year <= 2025; year++)
                csv.Append(indicator).Append(",,").Append(year).Append(',').Append(indicator.Contains("rate") || indicator.Contains("share") ? "30" : "1000").Append(",final,\n");
        return new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())) { Headers = { ContentType = new("text/csv") } };
    }

    private async Task<int[]> RevisionsOf(string indicator)
    {
        var body = JsonDocument.Parse(await (await app.AsStaff().GetAsync($"/api/indicators/{indicator}/values")).Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("revision").GetInt32()).ToArray();
    }

    [Fact]
    public async Task An_import_interrupted_after_two_indicators_answers_503_naming_what_was_committed_and_what_was_not()
    {
        await app.ReadyAsync();
        // The first two indicators' transactions reach storage; from the third on, storage is unreachable.
        var batches = 0;
        gate.Fail(m => StorageGate.IsTableBatch(m) && Interlocked.Increment(ref batches) > 2);

        var interrupted = await app.AsAgency("MEXT").PostAsync("/api/imports", Csv());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, interrupted.StatusCode);
        Assert.Equal("application/problem+json", interrupted.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(interrupted.Headers.RetryAfter);
        var problem = JsonDocument.Parse(await interrupted.Content.ReadAsStringAsync()).RootElement;
        string[] List(string name) => problem.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(Indicators[..2], List("committed"));
        Assert.Equal(Indicators[2..], List("notCommitted"));
        Assert.Equal([Indicators[2]], List("unconfirmed"));
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("Send the same import again", detail);
        Assert.DoesNotContain("Exception", await interrupted.Content.ReadAsStringAsync());

        gate.Heal();
        int[] once = [1, 1, 1, 1, 1];
        Assert.Equal(once, await RevisionsOf(Indicators[0]));
        Assert.Empty(await RevisionsOf(Indicators[3]));

        // The retry the answer asks for: committed rows come back unchanged, the rest are written once.
        var retry = await app.AsAgency("MEXT").PostAsync("/api/imports", Csv());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var result = JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((10, 10, 0), (result.GetProperty("accepted").GetInt32(), result.GetProperty("unchanged").GetInt32(), result.GetProperty("rejected").GetInt32()));
        foreach (var indicator in Indicators) Assert.Equal(once, await RevisionsOf(indicator));
    }
}
