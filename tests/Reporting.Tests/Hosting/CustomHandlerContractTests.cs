using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using Reporting.Infrastructure;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Hosting;

/// <summary>
/// Starts the published handler exactly as the Functions host does: the executable named in host.json, the function
/// app root as working directory, the port in FUNCTIONS_CUSTOMHANDLER_PORT, app settings as environment variables.
/// Then speaks the host's protocol to it: polls "/", invokes the timer, forwards HTTP requests unchanged.
/// </summary>
public sealed class CustomHandlerContractTests : IAsyncLifetime
{
    private readonly string prefix = "c" + Guid.NewGuid().ToString("N")[..10];
    private readonly Tokens tokens = new(ReportingApp.Issuer, ReportingApp.Audience, Tokens.TestKey);
    private Process? handler;
    private readonly StringBuilder output = new();

    private int Port { get; } = Azurite.FreePort();
    private HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };
    private string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public async Task InitializeAsync()
    {
        var settings = HandlerProcess.Settings(prefix);
        settings["FUNCTIONS_CUSTOMHANDLER_PORT"] = Port.ToString();
        settings["AnnualReportSchedule"] = "0 0 0 1 6 *";
        handler = HandlerProcess.Start(settings, output);
        await HandlerProcess.WaitUntilAnswering(Http, Url("/"), handler, output);
    }

    public Task DisposeAsync()
    {
        if (handler is { HasExited: false }) handler.Kill(entireProcessTree: true);
        Http.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task TimerInvocation_WithTheHostsPayload_GeneratesTheLatestCompletedFiscalYearsReport()
    {
        var payload = $$"""
        {
          "Data": {
            "timer": {
              "Schedule": { "AdjustForDST": true },
              "ScheduleStatus": { "Last": "2025-06-01T00:00:00+00:00", "Next": "2026-06-01T00:00:00+00:00", "LastUpdated": "2025-06-01T00:00:00+00:00" },
              "IsPastDue": false
            }
          },
          "Metadata": {
            "sys": { "MethodName": "AnnualReport", "UtcNow": "{{DateTime.UtcNow:O}}", "RandGuid": "{{Guid.NewGuid()}}" }
          }
        }
        """;
        var response = await Http.PostAsync(Url("/AnnualReport"), new StringContent(payload, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Object, body.GetProperty("Outputs").ValueKind);
        Assert.Equal(JsonValueKind.Array, body.GetProperty("Logs").ValueKind);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);

        var fiscalYear = JapanTime.LatestCompletedFiscalYear(TimeProvider.System);
        Assert.Contains($"FY{fiscalYear}", body.GetProperty("Logs")[0].GetString());
        var container = new BlobServiceClient(Azurite.Instance.ConnectionString).GetBlobContainerClient(prefix + "-reports");
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync()) names.Add(blob.Name);
        Assert.Contains(names, n => n.StartsWith($"fy{fiscalYear}/") && n.EndsWith("/report.pdf"));
        Assert.Contains(names, n => n.StartsWith($"fy{fiscalYear}/") && n.EndsWith("/snapshot.json"));
    }

    [Fact]
    public async Task TimerInvocation_WithAMalformedPayload_FailsWithANon2xx()
    {
        var response = await Http.PostAsync(Url("/AnnualReport"), new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.False(response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task ForwardedHttpRequests_ReachTheApiWithTheirPathUnchanged()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(Url("/api/health"))).StatusCode);

        var list = new HttpRequestMessage(HttpMethod.Get, Url("/api/indicators"));
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Staff());
        var indicators = await Http.SendAsync(list);
        Assert.Equal(HttpStatusCode.OK, indicators.StatusCode);
        Assert.Equal(18, JsonDocument.Parse(await indicators.Content.ReadAsStringAsync()).RootElement.GetArrayLength());

        var put = new HttpRequestMessage(HttpMethod.Put, Url("/api/indicators/pph-partner-rank/values/2025"))
        {
            Content = new StringContent("""{"value": 1, "note": "特許庁調べ"}""", Encoding.UTF8, "application/json"),
        };
        put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Agency("JPO"));
        Assert.Equal(HttpStatusCode.Created, (await Http.SendAsync(put)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.GetAsync(Url("/api/indicators"))).StatusCode);
    }

    [Fact]
    public async Task RequestsForwardedByTheHostOnLoopback_AreSeenAsTheCallerMadeThem()
    {
        // What the host's YARP proxy adds: the caller's address, the public host and scheme (the original Host is replaced).
        var request = new HttpRequestMessage(HttpMethod.Get, Url("/api/openapi.json"));
        request.Headers.Add("X-Forwarded-For", "203.0.113.25");
        request.Headers.Add("X-Forwarded-Host", "stip7rpt-abc.azurewebsites.net");
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var server = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("servers")[0].GetProperty("url").GetString();
        Assert.Equal("https://stip7rpt-abc.azurewebsites.net", server!.TrimEnd('/'));
    }

    [Fact]
    public async Task ABodyOverTheLimit_Gets413Problem_FromTheRealServer()
    {
        var put = new HttpRequestMessage(HttpMethod.Put, Url("/api/indicators/pph-partner-rank/values/2025"))
        {
            Content = new StringContent($$"""{"value": 1, "note": "{{new string('x', 3 * 1024 * 1024)}}"}""", Encoding.UTF8, "application/json"),
        };
        put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.Agency("JPO"));
        var response = await Http.SendAsync(put);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

/// <summary>Starts the published handler the way the Functions host does.</summary>
public static class HandlerProcess
{
    public static Process Start(IDictionary<string, string> environment, StringBuilder output)
    {
        var executable = FunctionsLayout.ExecutablePath;
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is missing: scripts/test.sh publishes the handler there before the tests run.");
        }
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = FunctionsLayout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in environment) start.Environment[k] = v;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static Dictionary<string, string> Settings(string prefix) => new()
    {
        ["Storage__ConnectionString"] = Azurite.Instance.ConnectionString,
        ["Storage__TablePrefix"] = prefix,
        ["Storage__ReportsContainer"] = prefix + "-reports",
        ["Auth__Issuer"] = ReportingApp.Issuer,
        ["Auth__Audience"] = ReportingApp.Audience,
        ["Auth__DevSigningKey"] = Convert.ToBase64String(Tokens.TestKey),
        ["REPORTING_LOCAL_SETTINGS"] = "/nonexistent/local.settings.json",
    };

    public static async Task WaitUntilAnswering(HttpClient http, string url, Process process, StringBuilder output)
    {
        // The host polls until the handler answers anything at all.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"handler exited: {output}");
            try
            {
                await http.GetAsync(url);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"handler did not answer: {output}");
    }

}
