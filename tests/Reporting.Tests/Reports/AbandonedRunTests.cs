using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>Files of a run that died before its manifest are invisible; the next run removes them once they are old.</summary>
public sealed class AbandonedRunTests : AppTest
{
    [Fact]
    public async Task FilesOfARunWithoutAManifest_AreRemovedByALaterRun_ButNotWhileFresh()
    {
        // Blob times are the storage's real clock: the app's clock follows it here.
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        await app.ReadyAsync();
        var abandoned = "fy2025/20260101T000000000Z-deadbeef/";
        await app.ReportsContainer.GetBlobClient(abandoned + "report.pdf").UploadAsync(BinaryData.FromString("%PDF- half a report"));
        await app.ReportsContainer.GetBlobClient(abandoned + "snapshot.json").UploadAsync(BinaryData.FromString("{}"));

        // A run right away leaves it: it could be a run in progress elsewhere.
        Assert.Equal(HttpStatusCode.Created, (await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);
        Assert.True((await app.ReportsContainer.GetBlobClient(abandoned + "report.pdf").ExistsAsync()).Value);

        // Two hours later, the next run removes it; the committed report stays.
        app.Clock.Advance(TimeSpan.FromHours(2));
        await app.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33.3}"""));
        Assert.Equal(HttpStatusCode.Created, (await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);
        Assert.False((await app.ReportsContainer.GetBlobClient(abandoned + "report.pdf").ExistsAsync()).Value);
        Assert.False((await app.ReportsContainer.GetBlobClient(abandoned + "snapshot.json").ExistsAsync()).Value);
        Assert.Equal(2, (await JsonOf(await app.AsStaff().GetAsync("/api/reports"))).GetArrayLength());
    }
}
