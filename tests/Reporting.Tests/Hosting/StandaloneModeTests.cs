using System.Net;
using System.Text;
using Azure.Storage.Blobs;
using Reporting.Hosting;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Hosting;

/// <summary>Without the Functions host the app serves the same routes and runs the AnnualReport schedule itself.</summary>
public sealed class StandaloneModeTests
{
    [Fact]
    public async Task Standalone_RunsTheAnnualReportScheduleFromTheSameSetting()
    {
        var prefix = "s" + Guid.NewGuid().ToString("N")[..10];
        var port = Azurite.FreePort();
        var settings = HandlerProcess.Settings(prefix);
        settings["Port"] = port.ToString();
        settings["AnnualReportSchedule"] = "*/3 * * * * *"; // every three seconds
        var output = new StringBuilder();
        using var handler = HandlerProcess.Start(settings, output);
        using var http = new HttpClient();
        try
        {
            await HandlerProcess.WaitUntilAnswering(http, $"http://127.0.0.1:{port}/", handler, output);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port}/api/health")).StatusCode);

            var container = new BlobServiceClient(Azurite.Instance.ConnectionString).GetBlobContainerClient(prefix + "-reports");
            var deadline = DateTime.UtcNow.AddSeconds(45);
            var found = false;
            while (!found && DateTime.UtcNow < deadline)
            {
                try
                {
                    await foreach (var blob in container.GetBlobsAsync())
                    {
                        found |= blob.Name.EndsWith("/report.pdf");
                    }
                }
                catch (Azure.RequestFailedException ex) when (ex.ErrorCode == Azure.Storage.Blobs.Models.BlobErrorCode.ContainerNotFound)
                {
                    // The handler answers before it has prepared storage (as under the Functions host): not there yet.
                }
                if (!found) await Task.Delay(500);
            }
            Assert.True(found, $"no scheduled report appeared: {output}");
        }
        finally
        {
            handler.Kill(entireProcessTree: true);
        }
    }

    [Theory]
    [InlineData("0 0 0 1 6 *", "2026-11-23T00:00:00Z", "2027-06-01T00:00:00Z")]
    [InlineData("0 30 23 31 3 *", "2026-11-23T00:00:00Z", "2027-03-31T23:30:00Z")]
    [InlineData("0 0 9 * * 1", "2026-11-23T10:00:00Z", "2026-11-30T09:00:00Z")]
    public void Schedule_IsSixFieldNcrontab_InUtc_AsTheHostReadsIt(string expression, string now, string expected)
    {
        var next = AnnualReportScheduler.Parse(expression).GetNextOccurrence(DateTimeOffset.Parse(now).UtcDateTime);
        Assert.Equal(DateTimeOffset.Parse(expected).UtcDateTime, next);
    }
}
