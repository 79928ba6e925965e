using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>Several instances, retries and racing requests still give one report per run, and never a partial one.</summary>
public sealed class ExactlyOnceReportTests : IAsyncLifetime
{
    private readonly string prefix = "x" + Guid.NewGuid().ToString("N")[..10];
    private ReportingApp first = null!;
    private ReportingApp second = null!;

    public async Task InitializeAsync()
    {
        // Two app instances over the same storage, as two Functions workers would be.
        first = new ReportingApp(prefix: prefix);
        second = new ReportingApp(prefix: prefix);
        _ = first.Services;
        _ = second.Services;
        await first.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33.4}"""));
    }

    public Task DisposeAsync()
    {
        first.Dispose();
        second.Dispose();
        return Task.CompletedTask;
    }

    private async Task<List<string>> Manifests()
    {
        var names = new List<string>();
        await foreach (var blob in first.ReportsContainer.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "fy", default)) if (blob.Name.EndsWith("/manifest.json")) names.Add(blob.Name);
        return names;
    }

    [Fact]
    public async Task TwoInstancesInvokedByTheSameTimer_AndAStaffRequestRacingThem_ProduceOneReport()
    {
        // Each instance's host fires the timer (the platform's singleton is not relied on), and staff ask at the same time.
        var timers = Task.WhenAll(first.RunTimerAsync(), second.RunTimerAsync());
        var staff = second.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        Assert.All(await timers, r => Assert.True(r.Succeeded, r.Error));
        Assert.True((await staff).IsSuccessStatusCode, (await staff).StatusCode.ToString());
        Assert.Single(await Manifests());
    }

    [Fact]
    public async Task ARerunAfterSuccess_AndAPastDueRun_DoNotDuplicate_ButNewDataDoesMakeANewReport()
    {
        Assert.True((await first.RunTimerAsync()).Succeeded);
        Assert.Single(await Manifests());
        Assert.True((await second.RunTimerAsync()).Succeeded);
        Assert.True((await second.RunTimerAsync(pastDue: true)).Succeeded);
        var again = await first.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // the existing report, not a new one
        Assert.Single(await Manifests());

        await first.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33.9, "note": "確報"}"""));
        // A past-due run after a change of data makes the report the missed occurrence would have made.
        Assert.True((await second.RunTimerAsync(pastDue: true)).Succeeded);
        Assert.Equal(2, (await Manifests()).Count);
        // "Latest" is the lease holder's sequence, not the clock (both instances' clocks read the same instant here).
        var list = JsonDocument.Parse(await (await first.AsStaff().GetAsync("/api/reports")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal([2, 1], list.EnumerateArray().Select(r => r.GetProperty("sequence").GetInt32()));
        Assert.True((await second.RunTimerAsync(pastDue: true)).Succeeded);
        Assert.Equal(2, (await Manifests()).Count);
        var triggers = list.EnumerateArray().Select(r => r.GetProperty("trigger").GetString()).ToList();
        Assert.Equal(["timer (past due)", "timer"], triggers);
    }

    [Fact]
    public async Task AManifest_ListsEveryFileWithItsSizeAndHash()
    {
        await first.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        var manifestName = Assert.Single(await Manifests());
        var manifest = JsonDocument.Parse((await first.ReportsContainer.GetBlobClient(manifestName).DownloadContentAsync()).Value.Content.ToString()).RootElement;
        var folder = manifestName[..manifestName.LastIndexOf('/')];
        var files = manifest.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(["snapshot.json", "summary.csv", "summary.json", "report.pdf", "report.html"], files.Select(f => f.GetProperty("name").GetString()));
        foreach (var file in files)
        {
            var bytes = (await first.ReportsContainer.GetBlobClient($"{folder}/{file.GetProperty("name").GetString()}").DownloadContentAsync()).Value.Content.ToArray();
            Assert.Equal(file.GetProperty("size").GetInt64(), bytes.LongLength);
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
    }

    [Fact]
    public async Task FilesOfARunThatDiedBeforeItsManifest_AreNeverListedOrServed()
    {
        // What a crash between the uploads and the commit leaves behind.
        var orphan = "fy2025/20260601T000000000Z-deadbeef";
        await first.ReportsContainer.GetBlobClient($"{orphan}/report.pdf").UploadAsync(new BinaryData("%PDF-partial"u8.ToArray()));
        await first.ReportsContainer.GetBlobClient($"{orphan}/snapshot.json").UploadAsync(new BinaryData("{}"u8.ToArray()));
        var list = JsonDocument.Parse(await (await first.AsStaff().GetAsync("/api/reports")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, list.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await first.AsStaff().GetAsync("/api/reports/2025")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await first.AsStaff().GetAsync("/api/reports/2025?id=20260601T000000000Z-deadbeef")).StatusCode);
    }
}
