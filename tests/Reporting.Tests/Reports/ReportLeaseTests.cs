using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>
/// One report per data change, however long a run takes: the run holding a year's lease renews it, and commits only
/// while it still holds it. Two instances on one Azurite; the lease is 15 s (the shortest Blob Storage allows).
/// </summary>
public sealed class ReportLeaseTests : IDisposable
{
    private static readonly Dictionary<string, string> ShortLease = new() { ["Report:LeaseSeconds"] = "15" };
    private readonly StorageGate gateA = new();
    private readonly ReportingApp a;
    private readonly ReportingApp b;

    public ReportLeaseTests()
    {
        a = new ReportingApp(ShortLease) { TestServices = gateA.Register };
        b = new ReportingApp(ShortLease, prefix: a.Prefix);
    }

    public void Dispose()
    {
        gateA.Release();
        a.Dispose();
        b.Dispose();
    }

    private async Task<int> ManifestsAsync()
    {
        var count = 0;
        await foreach (var blob in a.ReportsContainer.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, "fy2025/", default)) if (blob.Name.EndsWith("/manifest.json", StringComparison.Ordinal)) count++;
        return count;
    }

    [Fact]
    public async Task ARunSlowerThanItsLease_KeepsIt_SoAnotherInstanceWaitsAndAddsNoSecondReport()
    {
        // Before: the 60 s lease was never renewed; a run slowed to 118 s let a second instance in at 58 s, and both
        // answered 201 with two reports of one data change.
        await a.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33}"""));
        var slow = gateA.Hold(m => StorageGate.IsBlobUpload(m, "report.pdf"));
        var first = a.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        await slow;
        var second = b.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        await Task.Delay(TimeSpan.FromSeconds(18)); // longer than the lease
        Assert.False(second.IsCompleted, "the second instance took the lease of a run still in progress");
        gateA.Release();

        Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
        var answer = await second;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode); // the same data: the report just made is the answer
        Assert.Equal(1, await ManifestsAsync());
    }

    [Fact]
    public async Task ARunWhoseRenewalsFailedAndWhoseLeaseLapsed_CommitsNothing_AndAnswersWithTheReportOfTheRunThatTookOver()
    {
        await a.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33}"""));
        gateA.Fail(m => m.Request.Uri.Query.Contains("comp=lease") && m.Request.Headers.TryGetValue("x-ms-lease-action", out var action) && action == "renew");
        var slow = gateA.Hold(m => StorageGate.IsBlobUpload(m, "report.pdf"));
        var first = a.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        await slow;
        await Task.Delay(TimeSpan.FromSeconds(16)); // the lease lapses unrenewed
        var second = await b.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var secondId = (await JsonOf(second)).GetProperty("id").GetString();
        gateA.Release();

        var answer = await first;
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(secondId, (await JsonOf(answer)).GetProperty("id").GetString());
        Assert.Equal(1, await ManifestsAsync());
    }
}
