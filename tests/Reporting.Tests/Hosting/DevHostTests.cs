using System.Net;
using System.Text;
using System.Text.Json;
using FunctionsDevHost;
using Microsoft.Extensions.Time.Testing;
using Reporting.Tests.Infrastructure;
using static Reporting.Tests.Infrastructure.Requests;

namespace Reporting.Tests.Hosting;

/// <summary>
/// The development host does for the worker what the Functions host does: it routes HTTP by each function's route
/// template and methods under host.json's prefix, answers 404 where no function serves, runs the timer on its NCRONTAB
/// schedule (UTC) and once more when an occurrence was missed (past due), invokes it on the admin API, and passes a
/// local.settings.json's Values to the worker as its environment.
/// </summary>
public sealed class DevHostTests
{
    private static async Task<List<JsonElement>> ReportsAsync(ReportingApp app) =>
        (await JsonOf(await app.AsStaff().GetAsync("/api/reports"))).EnumerateArray().ToList();

    [Fact]
    public void The_route_table_is_the_functions_metadata_under_the_host_json_prefix_and_constraints_hold()
    {
        var app = FunctionApp.Read(AppContext.BaseDirectory);
        Assert.Equal("", app.RoutePrefix);
        var routes = HttpTriggers.RoutesOf(app);
        Assert.Equal(Reporting.Infrastructure.HttpOperation.All.Select(o => $"{string.Join(",", o.Methods)} {o.Path.TrimStart('/')}").Order(StringComparer.Ordinal),
            routes.Select(r => $"{string.Join(",", r.Methods)} {r.Template}").Order(StringComparer.Ordinal));
        // Literal segments before parameters, whatever order the metadata lists them in.
        Assert.True(routes.ToList().FindIndex(r => r.Template == "api/health/ready") < routes.ToList().FindIndex(r => r.Template == "api/reports/{fiscalYear}"));
        // A route's constraints hold as in the host's router: the start page's route matches the site's root only.
        var home = routes.Single(r => r.Function.Name == "HomePage");
        Assert.True(home.TryMatch("/", out _));
        Assert.False(home.TryMatch("/favicon.ico", out _));
    }

    [Theory]
    [InlineData("GET", "/api/nothing-here")]
    [InlineData("DELETE", "/api/indicators")]
    [InlineData("GET", "/indicators")]
    [InlineData("POST", "/api/health")]
    public async Task A_path_or_method_no_function_serves_is_404_as_the_host_answers_it(string method, string path)
    {
        using var app = new ReportingApp();
        var response = await app.AsStaff().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_timer_runs_on_its_ncrontab_schedule_in_utc()
    {
        // 1 June 00:00 UTC (09:00 JST) is the default schedule; the host's clock stands a minute before it.
        var hostClock = new FakeTimeProvider(new DateTimeOffset(2027, 5, 31, 23, 59, 0, TimeSpan.Zero));
        using var app = new ReportingApp { RunTimers = true, HostClock = hostClock };
        await app.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33.4}"""));
        Assert.Empty(await ReportsAsync(app));

        hostClock.Advance(TimeSpan.FromSeconds(61));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonElement> reports;
        while ((reports = await ReportsAsync(app)).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        var report = Assert.Single(reports);
        Assert.Equal("timer", report.GetProperty("trigger").GetString());
        Assert.Equal(2025, report.GetProperty("fiscalYear").GetInt32()); // the latest completed fiscal year on the app's clock
    }

    [Fact]
    public async Task An_occurrence_missed_while_nothing_ran_is_run_at_start_once_as_past_due()
    {
        var state = Directory.CreateTempSubdirectory("reporting-devhost-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(state, "timers"));
            // The host's schedule monitor saw the next occurrence due on 1 June 2026; it is now November.
            await File.WriteAllTextAsync(Path.Combine(state, "timers", "AnnualReport.json"),
                """{"Last":"2025-06-01T00:00:00Z","Next":"2026-06-01T00:00:00Z","LastUpdated":"2025-06-01T00:00:05Z"}""");
            var hostClock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
            using var app = new ReportingApp { RunTimers = true, HostClock = hostClock, HostState = state };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            List<JsonElement> reports;
            while ((reports = await ReportsAsync(app)).Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.Equal("timer (past due)", Assert.Single(reports).GetProperty("trigger").GetString());
            // The status then points at the next occurrence, so a restart does not run it again. The host writes it once
            // the invocation has returned, which is after the report is in storage: wait for it.
            DateTime? Next()
            {
                try
                {
                    return JsonDocument.Parse(File.ReadAllText(Path.Combine(state, "timers", "AnnualReport.json"))).RootElement
                        .GetProperty("Next").GetDateTime().ToUniversalTime();
                }
                catch (Exception e) when (e is IOException or JsonException)
                {
                    return null; // being written
                }
            }
            var expected = new DateTime(2027, 6, 1, 0, 0, 0, DateTimeKind.Utc);
            while (Next() != expected && DateTime.UtcNow < deadline) await Task.Delay(100);
            Assert.Equal(expected, Next());
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task The_admin_api_runs_the_timer_as_the_host_does()
    {
        using var app = new ReportingApp();
        var response = await app.As(null).PostAsync("/admin/functions/AnnualReport", Body("""{"input": ""}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("timer", Assert.Single(await ReportsAsync(app)).GetProperty("trigger").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await app.As(null).PostAsync("/admin/functions/NoSuchFunction", Body("{}"))).StatusCode);
    }

    [Fact]
    public void Local_settings_values_are_read_and_binding_expressions_resolved_from_them()
    {
        var file = Path.Combine(Path.GetTempPath(), $"reporting-settings-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{"IsEncrypted": false, "Values": {"AnnualReportSchedule": "0 30 9 * * 1-5", "Storage__TablePrefix": "x"}}""");
        try
        {
            var settings = LocalSettings.Read(file);
            Assert.Equal("x", settings["Storage__TablePrefix"]);
            Assert.Equal("0 30 9 * * 1-5", LocalSettings.Resolve("%AnnualReportSchedule%", settings));
            Assert.Throws<InvalidOperationException>(() => LocalSettings.Resolve("%Missing%", settings));
            var schedule = TimerTriggers.Schedule(new FunctionDescription("T", "a.dll", "A.B", [Binding.Parse("""{"name":"t","type":"timerTrigger","direction":"In","schedule":"%AnnualReportSchedule%"}""")]), settings);
            Assert.Equal(new DateTime(2026, 12, 7, 9, 30, 0), schedule.GetNextOccurrence(new DateTime(2026, 12, 5, 10, 0, 0))); // Saturday → Monday
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// The README's way to run several instances on one storage account: scripts/run-local.sh twice from one build, each on
    /// its own port with its own settings file, neither starting Azurite. Each answers, and what one stores the other reads.
    /// </summary>
    [Fact]
    [Trait("Tier", "Full")]
    public async Task Run_local_starts_several_instances_from_one_build_on_one_storage_account()
    {
        var prefix = "r" + Guid.NewGuid().ToString("N")[..10];
        var settingsFile = Path.Combine(Path.GetTempPath(), $"reporting-runlocal-{prefix}.json");
        var settings = PublishedApp.Settings(prefix);
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new { IsEncrypted = false, Values = settings }));
        var ports = new[] { Azurite.FreePort(), Azurite.FreePort() };
        var outputs = ports.Select(_ => new StringBuilder()).ToArray();
        var processes = ports.Select((port, i) =>
        {
            var start = new System.Diagnostics.ProcessStartInfo(Repo.Path_("scripts", "run-local.sh"))
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            foreach (var arg in new[] { "--port", port.ToString(), "--settings", settingsFile, "--no-azurite", "--no-build" }) start.ArgumentList.Add(arg);
            var process = System.Diagnostics.Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (outputs[i]) outputs[i].AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (outputs[i]) outputs[i].AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }).ToArray();
        try
        {
            using var http = new HttpClient();
            for (var i = 0; i < 2; i++) await PublishedApp.WaitUntilReadyAsync(http, $"http://127.0.0.1:{ports[i]}", processes[i], outputs[i]);
            var tokens = new Tokens(ReportingApp.Issuer, ReportingApp.Audience, Tokens.TestKey);
            http.DefaultRequestHeaders.Authorization = new("Bearer", tokens.Agency("MEXT"));
            var put = await http.PutAsync($"http://127.0.0.1:{ports[0]}/api/indicators/research-time-share/values/2025", Body("""{"value": 33.4}"""));
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
            var read = await http.GetAsync($"http://127.0.0.1:{ports[1]}/api/indicators/research-time-share/values/2025");
            Assert.Equal(33.4, (await JsonOf(read)).GetProperty("value").GetDouble());
        }
        finally
        {
            foreach (var process in processes) PublishedApp.Stop(process);
            File.Delete(settingsFile);
        }
    }
}
