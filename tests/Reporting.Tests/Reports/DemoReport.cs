using System.Text.Json;
using Reporting.Tests.Infrastructure;
using Reporting.Tests.Infrastructure.ApiContract;

namespace Reporting.Tests.Reports;

/// <summary>
/// The demo report exactly as <c>scripts/run-local.sh --demo</c> makes it: <c>scripts/demo.mjs</c> loads the plan's
/// published baselines into the published handler and generates the report of the last completed fiscal year; its PDF
/// and HTML edition are then read as the API serves them.
/// </summary>
public sealed class DemoReport : IAsyncLifetime
{
    private readonly PublishedHandler handler = new();
    private string folder = "";

    public byte[] Pdf { get; private set; } = [];
    public HttpResponseMessage Html { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await handler.InitializeAsync();
        folder = Path.Combine(Path.GetTempPath(), "reporting-demo-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        // The demo mints its tokens from local.settings.json, as a developer's does: here, the tests' issuer and key.
        var settings = Path.Combine(folder, "local.settings.json");
        await File.WriteAllTextAsync(settings, JsonSerializer.Serialize(new
        {
            Values = new Dictionary<string, string>
            {
                ["Auth__Issuer"] = ReportingApp.Issuer,
                ["Auth__Audience"] = ReportingApp.Audience,
                ["Auth__DevSigningKey"] = Convert.ToBase64String(Tokens.TestKey),
            },
        }));
        var (exit, output, error) = Tool.RunWith("node", new Dictionary<string, string> { ["REPORTING_LOCAL_SETTINGS"] = settings },
            Repo.Path_("scripts", "demo.mjs"), handler.BaseUrl, folder);
        Assert.True(exit == 0, output + error + handler.Output);

        using var staff = new HttpClient { BaseAddress = new Uri(handler.BaseUrl) };
        staff.DefaultRequestHeaders.Authorization = new("Bearer", handler.Tokens.Staff());
        var health = JsonDocument.Parse(await staff.GetStringAsync("/api/health")).RootElement;
        var year = health.GetProperty("currentFiscalYear").GetInt32() - 1;
        Pdf = await staff.GetByteArrayAsync($"/api/reports/{year}");
        Html = await staff.GetAsync($"/api/reports/{year}?format=html");
        await Html.Content.LoadIntoBufferAsync();
        Assert.Equal(Pdf, await File.ReadAllBytesAsync(Path.Combine(folder, $"report-FY{year}.pdf")));
        Assert.Equal(await Html.Content.ReadAsByteArrayAsync(), await File.ReadAllBytesAsync(Path.Combine(folder, $"report-FY{year}.html")));
    }

    public async Task DisposeAsync()
    {
        await handler.DisposeAsync();
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
