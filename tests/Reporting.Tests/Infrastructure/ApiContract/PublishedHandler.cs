using System.Diagnostics;
using System.Text;
using Reporting.Tests.Hosting;

namespace Reporting.Tests.Infrastructure.ApiContract;

/// <summary>
/// The published handler (functions/bin/Reporting, what the deployment package holds) running on a free port against
/// Azurite with its own tables: what an agency's tools reach over HTTP, not the in-process test server.
/// </summary>
public sealed class PublishedHandler : IAsyncLifetime
{
    private readonly StringBuilder output = new();
    private Process? process;

    public string BaseUrl { get; private set; } = "";
    public Tokens Tokens { get; } = new(ReportingApp.Issuer, ReportingApp.Audience, Tokens.TestKey);

    /// <summary>What the handler printed, for a failing test's message.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    public async Task InitializeAsync()
    {
        var port = Azurite.FreePort();
        var settings = HandlerProcess.Settings("c" + Guid.NewGuid().ToString("N")[..10]);
        settings["Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["AnnualReportSchedule"] = "";
        settings["Report__WarmUpOnStart"] = "false";
        process = HandlerProcess.Start(settings, output);
        BaseUrl = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        await HandlerProcess.WaitUntilAnswering(http, BaseUrl + "/", process, output);
        // Ready: storage prepared and the catalog seeded.
        for (var attempt = 0; attempt < 300 && !(await http.GetAsync(BaseUrl + "/api/health/ready")).IsSuccessStatusCode; attempt++)
        {
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        process?.Kill(entireProcessTree: true);
        process?.Dispose();
        return Task.CompletedTask;
    }
}
