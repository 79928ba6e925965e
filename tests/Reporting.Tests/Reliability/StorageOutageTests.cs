using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs.Models;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reliability;

/// <summary>
/// Azurite is stopped in the middle of a report run and of a bulk import, then started again. Afterwards the store
/// holds each change whole or not at all, and the next run succeeds.
/// </summary>
public sealed class StorageOutageTests : IDisposable
{
    private readonly AzuriteServer storage = new();
    private readonly ReportingApp app;

    public StorageOutageTests() => app = new ReportingApp(connectionString: storage.ConnectionString);

    public void Dispose()
    {
        app.Dispose();
        storage.Dispose();
    }

    /// <summary>Runs <paramref name="work"/>, stops storage after <paramref name="after"/>, starts it again 1.5 s later.</summary>
    private async Task<HttpResponseMessage> WithOutage(Func<Task<HttpResponseMessage>> work, TimeSpan after)
    {
        var running = work();
        await Task.Delay(after);
        storage.Stop();
        await Task.Delay(1500);
        storage.Start();
        return await running;
    }

    private async Task<List<(string Name, string Manifest)>> ManifestsAsync()
    {
        var list = new List<(string, string)>();
        await foreach (var blob in app.ReportsContainer.GetBlobsAsync(BlobTraits.None, BlobStates.None, "fy", default))
        {
            if (blob.Name.EndsWith("/manifest.json")) list.Add((blob.Name, (await app.ReportsContainer.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString()));
        }
        return list;
    }

    [Fact]
    public async Task AnOutageDuringStartUp_IsWaitedOut_AndTheAppServesOnceStorageReturns()
    {
        storage.Stop();
        var request = app.AsStaff().GetAsync("/api/indicators"); // starts the app while storage is away
        await Task.Delay(1500);
        storage.Start();
        var response = await request;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(18, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
    }

    [Theory]
    [InlineData(20)]
    [InlineData(120)]
    public async Task AReportRunInterruptedByAnOutage_LeavesAWholeReportOrNone_AndTheNextRunSucceeds(int stopAfterMs)
    {
        await SampleData.SubmitAsync(app, 2023, 2025);
        var interrupted = await WithOutage(() => app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}""")), TimeSpan.FromMilliseconds(stopAfterMs));
        Assert.True(interrupted.IsSuccessStatusCode || interrupted.StatusCode == HttpStatusCode.ServiceUnavailable,
            $"{interrupted.StatusCode} {await interrupted.Content.ReadAsStringAsync()}");
        if (!interrupted.IsSuccessStatusCode)
        {
            Assert.Equal("application/problem+json", interrupted.Content.Headers.ContentType?.MediaType);
        }

        var manifests = await ManifestsAsync();
        Assert.True(manifests.Count <= 1);
        foreach (var (name, manifest) in manifests)
        {
            var folder = name[..name.LastIndexOf('/')];
            foreach (var file in JsonDocument.Parse(manifest).RootElement.GetProperty("files").EnumerateArray())
            {
                Assert.True(await app.ReportsContainer.GetBlobClient($"{folder}/{file.GetProperty("name").GetString()}").ExistsAsync(), "a listed report misses a file");
            }
        }

        var next = await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        Assert.True(next.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, next.StatusCode.ToString());
        Assert.Single(await ManifestsAsync());
        var pdf = await app.AsStaff().GetAsync("/api/reports/2025");
        Assert.Equal("%PDF-", Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync())[..5]));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(60)]
    public async Task ABulkImportInterruptedByAnOutage_WritesEachIndicatorWholeOrNotAtAll_AndARetrySucceeds(int stopAfterMs)
    {
        var csv = new StringBuilder("indicator,series,year,value,status,note\n");
        string[] indicators = ["challenging-research-projects", "researchers-abroad-long-term", "international-coauthorship-rate", "women-professors-share", "industry-joint-research-income"];
        foreach (var indicator in indicators)
            for (var year = 2005; year <= 2024; year++)
                csv.Append(indicator).Append(",,").Append(year).Append(',').Append(indicator.Contains("rate") || indicator.Contains("share") ? "30" : (1000 + year).ToString()).Append(",final,import\n");
        var body = Encoding.UTF8.GetBytes(csv.ToString());
        await app.ReadyAsync(); // the outage is to hit the import, not the app's start-up (tested below)
        HttpResponseMessage Post() => app.AsAgency("MEXT").PostAsync("/api/imports", new ByteArrayContent(body) { Headers = { ContentType = new("text/csv") } }).GetAwaiter().GetResult();

        var interrupted = await WithOutage(() => Task.Run(Post), TimeSpan.FromMilliseconds(stopAfterMs));
        Assert.True(interrupted.IsSuccessStatusCode || interrupted.StatusCode == HttpStatusCode.ServiceUnavailable, interrupted.StatusCode.ToString());

        async Task<Dictionary<string, int>> Counts()
        {
            var counts = new Dictionary<string, int>();
            foreach (var indicator in indicators)
            {
                var values = JsonDocument.Parse(await (await app.AsStaff().GetAsync($"/api/indicators/{indicator}/values?history=true")).Content.ReadAsStringAsync()).RootElement.GetProperty("values");
                counts[indicator] = values.GetArrayLength();
                // A value and its history entry always travel together.
                Assert.All(values.EnumerateArray(), v => Assert.Equal(v.GetProperty("revision").GetInt32(), v.GetProperty("history").GetArrayLength()));
            }
            return counts;
        }

        var afterOutage = await Counts();
        Assert.All(afterOutage, c => Assert.True(c.Value is 0 or 20, $"{c.Key}: {c.Value} of 20 rows"));

        var retry = await app.AsAgency("MEXT").PostAsync("/api/imports", new ByteArrayContent(body) { Headers = { ContentType = new("text/csv") } });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var result = JsonDocument.Parse(await retry.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, result.GetProperty("rejected").GetInt32());
        Assert.All(await Counts(), c => Assert.Equal(20, c.Value));
    }
}
