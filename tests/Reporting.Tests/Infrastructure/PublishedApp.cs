using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// The deployment package's app (<c>scripts/deploy.sh --package-only</c> leaves it in <c>artifacts/package</c>: the
/// ReadyToRun worker, host.json, functions.metadata, the fonts) run as <c>scripts/run-local.sh</c> runs it: the
/// development host as a program, which starts the worker as a process of its own and serves it on a port.
/// </summary>
public static class PublishedApp
{
    public static string Directory => Environment.GetEnvironmentVariable("REPORTING_PUBLISHED_APP") is { Length: > 0 } configured
        ? configured
        : Repo.Path_("artifacts", "package");

    public static string DevHost => Repo.Path_("tools", "FunctionsDevHost", "bin", "Release", "net10.0", "FunctionsDevHost.dll");

    /// <summary>The settings every published instance of a test gets: its own tables, the shared Azurite, the test issuer.</summary>
    public static Dictionary<string, string> Settings(string prefix) => new()
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        ["AnnualReportSchedule"] = "0 0 0 1 6 *",
        ["Storage__ConnectionString"] = Azurite.Instance.ConnectionString,
        ["Storage__TablePrefix"] = prefix,
        ["Storage__ReportsContainer"] = prefix + "-reports",
        ["Auth__Issuer"] = ReportingApp.Issuer,
        ["Auth__Audience"] = ReportingApp.Audience,
        ["Auth__DevSigningKey"] = Convert.ToBase64String(Tokens.TestKey),
    };

    /// <summary>Starts the development host on <paramref name="port"/> with <paramref name="settings"/> as its local.settings.json's Values.</summary>
    public static Process Start(IReadOnlyDictionary<string, string> settings, int port, StringBuilder output, params string[] extraArguments)
    {
        if (!File.Exists(Path.Combine(Directory, "functions.metadata")))
        {
            throw new InvalidOperationException($"{Directory} holds no published app: scripts/test.sh builds the deployment package there before the tests run.");
        }
        var settingsFile = Path.Combine(Path.GetTempPath(), $"reporting-settings-{Guid.NewGuid():N}.json");
        File.WriteAllText(settingsFile, JsonSerializer.Serialize(new { IsEncrypted = false, Values = settings }));
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { DevHost, "--app", Directory, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--settings", settingsFile, "--no-timers" }.Concat(extraArguments))
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.Exited += (_, _) => File.Delete(settingsFile);
        return process;
    }

    /// <summary>Waits until the app answers its readiness check (worker loaded, storage prepared).</summary>
    public static async Task WaitUntilReadyAsync(HttpClient http, string baseUrl, Process process, StringBuilder output, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"the development host exited: {output}");
            try
            {
                if ((await http.GetAsync(baseUrl + "/api/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the app did not become ready: {output}");
    }

    /// <summary>Stops the development host as Ctrl+C does: it stops its worker.</summary>
    public static void Stop(Process process)
    {
        if (process.HasExited) return;
        Reports.Tool.Run("kill", "-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!process.WaitForExit(TimeSpan.FromSeconds(15))) process.Kill(entireProcessTree: true);
    }
}
