// Measures the deployment package's app as a black box, the way it runs under the Functions host: separate processes on
// loopback, talking to a real Azurite. Prints the figures and writes them to docs/benchmarks.md.
//   scripts/benchmark.sh   (starts Azurite and builds the package, then runs this)
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;

var options = Args.Parse(args);
var key = RandomNumberGenerator.GetBytes(48);
const string Issuer = "https://bench.reporting.local/";
const string Audience = "api://reporting-bench";
var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

// An instance of the app as it runs deployed: this build is the deployment package's isolated worker, started by the
// development host as the Functions host starts it (its start-up measured from the worker process's start, which the
// development host reports); a baseline is an earlier build: its isolated worker served alike (--baseline-app), or its
// custom handler, which listens itself (--baseline-handler).
Instance Start(string prefix, int port, IReadOnlyDictionary<string, string>? environment = null, string? handler = null, string? app = null)
{
    var settings = new Dictionary<string, string>
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        ["Storage__ConnectionString"] = options.Connection,
        ["Storage__TablePrefix"] = prefix,
        ["Storage__ReportsContainer"] = prefix + "-reports",
        ["Auth__Issuer"] = Issuer,
        ["Auth__Audience"] = Audience,
        ["Auth__DevSigningKey"] = Convert.ToBase64String(key),
        ["AnnualReportSchedule"] = "0 0 0 1 6 *",
        ["RateLimit__PermitsPerMinute"] = "100000000",
        ["Logging__LogLevel__Default"] = "Warning",
    };
    foreach (var (name, value) in environment ?? new Dictionary<string, string>()) settings[name] = value;
    if (handler is not null)
    {
        var start = new ProcessStartInfo(handler)
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetDirectoryName(handler))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in settings) start.Environment[name] = value;
        start.Environment["AnnualReportSchedule"] = "";
        start.Environment["Port"] = port.ToString(CultureInfo.InvariantCulture);
        start.Environment["REPORTING_LOCAL_SETTINGS"] = "/nonexistent";
        var startedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new Instance(process, process.Id, startedAt, null);
    }
    var settingsFile = Path.Combine(Path.GetTempPath(), $"reporting-bench-{prefix}.json");
    File.WriteAllText(settingsFile, JsonSerializer.Serialize(new { IsEncrypted = false, Values = settings }));
    var host = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in new[] { options.DevHost, "--app", app ?? options.App, "--port", port.ToString(CultureInfo.InvariantCulture), "--settings", settingsFile, "--no-timers" })
    {
        host.ArgumentList.Add(arg);
    }
    var worker = new TaskCompletionSource<(int Pid, long StartedAt)>(TaskCreationOptions.RunContinuationsAsynchronously);
    var devHost = Process.Start(host)!;
    var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
    devHost.OutputDataReceived += (_, e) =>
    {
        if (e.Data is { } logged) log.Enqueue(logged);
        if (e.Data is { } line && Patterns.WorkerStarted().Match(line) is { Success: true } m)
        {
            worker.TrySetResult((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)));
        }
    };
    devHost.ErrorDataReceived += (_, _) => { };
    devHost.BeginOutputReadLine();
    devHost.BeginErrorReadLine();
    var (pid, started) = worker.Task.WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
    return new Instance(devHost, pid, started, settingsFile, log);
}

// The first answer of the app itself: liveness through the development host (which answers 404 for anything until the
// worker has loaded its functions), or from the custom handler.
static async Task<long> WaitForAnswer(HttpClient http)
{
    while (true)
    {
        try
        {
            if ((await http.GetAsync("/api/health")).IsSuccessStatusCode) return DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        }
        catch (HttpRequestException)
        {
        }
        await Task.Delay(5);
    }
}

string Token(string role, string? agency = null)
{
    static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var claims = new Dictionary<string, object> { ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = $"bench-{role}-{agency}", ["roles"] = new[] { role }, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 7200 };
    if (agency is not null) claims["agency"] = agency;
    var unsigned = B64(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
    return unsigned + "." + B64(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(unsigned)));
}

static HttpRequestMessage Request(HttpMethod method, string path, string token, string? body = null)
{
    var request = new HttpRequestMessage(method, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
    return request;
}

/// <summary>Runs <paramref name="work"/> for 0..count-1 on <paramref name="concurrency"/> workers; returns the elapsed time.</summary>
static async Task<TimeSpan> RunConcurrent(int count, int concurrency, Func<int, Task> work)
{
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        for (var n = Interlocked.Increment(ref next); n < count; n = Interlocked.Increment(ref next)) await work(n);
    }));
    return clock.Elapsed;
}

static double Percentile(IReadOnlyList<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

// Plausible values within each indicator's range and precision (the catalog refuses anything else).
static double Value(string kind, string unit, int year, int salt, double maximum) => kind switch
{
    "rank" => 1 + (year + salt) % 15,
    "percentage" => Math.Round(20 + (year % 10) * 1.7 + salt % 7, 1),
    "count" when maximum < 15000 => 50 + year % 100 + salt % 97,
    "count" => 10000 + year % 100 * 137 + salt % 997,
    _ when unit == "兆円" => Math.Round(4 + (year % 10) * 0.11 + salt % 5 * 0.01, 2),
    _ when maximum <= 100 => Math.Round(0.05 + (year % 10) * 0.001 + salt % 7 * 0.001, 3),
    _ => 50000 + year % 100 * 1500 + salt % 1000,
};

// 1. Start-up: process start to the first answered request, as the Functions host waits for it. Without telemetry (as
// locally), with OpenTelemetry on but no exporter, and with the Application Insights exporter configured (pointed at
// a closed local port: only its set-up is measured). The variants take turns, so load on the machine hits each alike.
var telemetryVariants = new List<(string Name, Dictionary<string, string> Environment)>
{
    ("off", []),
    ("otel", new() { ["Telemetry__Enabled"] = "true" }),
    ("appinsights", new()
    {
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/",
        ["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] = "Authorization=AAD",
    }),
};
if (options.HasBaseline) telemetryVariants.Insert(1, ("baseline", []));
if (options.Floor is not null) telemetryVariants.Add(("floor", []));
var startupsBy = telemetryVariants.ToDictionary(v => v.Name, _ => new List<double>());
var phasesBy = telemetryVariants.ToDictionary(v => v.Name, _ => new List<StartupPhases>());
for (var n = 0; n < options.Starts; n++)
{
    // Each variant starts in each position of the round in turn (the order rotates), so none always follows another.
    foreach (var (name, environment) in telemetryVariants.Skip(n % telemetryVariants.Count).Concat(telemetryVariants.Take(n % telemetryVariants.Count)))
    {
        var port = FreePort();
        using var p = Start("s" + Guid.NewGuid().ToString("N")[..10], port, environment, name == "baseline" ? options.BaselineHandler : null,
            name == "floor" ? options.Floor : name == "baseline" ? options.BaselineApp : null);
        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        startupsBy[name].Add(await WaitForAnswer(probe) - p.StartedAt);
        // The development host's own account of the phases (it logs them as they end).
        for (var wait = 0; wait < 40 && p.Log is { } log && StartupPhases.Parse(log) is null; wait++) await Task.Delay(25);
        if (p.Log is { } lines && StartupPhases.Parse(lines) is { } phases) phasesBy[name].Add(phases);
        p.Dispose();
    }
}
var startups = startupsBy["off"];
string PhasesOf(string variant)
{
    var all = phasesBy[variant];
    if (all.Count == 0) return "(not reported)";
    double Median(Func<StartupPhases, double> of) => Percentile(all.Select(of).ToList(), 0.5);
    return $"connected {Median(p => p.Connected):0} ms after the process started; then initialised +{Median(p => p.Initialised):0}, functions indexed " +
        $"+{Median(p => p.Indexed):0}, loaded +{Median(p => p.Loaded):0} ms; first answer {Median(p => p.FirstAnswer):0} ms after the process started";
}

// 2. The main instance: five years (2021–2025) of values for every series of every indicator.
var mainPrefix = "b" + Guid.NewGuid().ToString("N")[..10];
var mainPort = FreePort();
using var handler = Start(mainPrefix, mainPort);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri($"http://127.0.0.1:{mainPort}"), Timeout = TimeSpan.FromMinutes(2) };
await WaitForAnswer(http);
var staff = Token("staff");
var catalog = JsonDocument.Parse(await (await http.SendAsync(Request(HttpMethod.Get, "/api/indicators", staff))).Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
var keys = catalog.SelectMany(i => i.GetProperty("series").EnumerateArray().Select(s => (Id: i.GetProperty("id").GetString()!, Agency: i.GetProperty("agency").GetString()!,
    Series: s.GetProperty("id").GetString()!, Kind: i.GetProperty("valueKind").GetString()!, Unit: i.GetProperty("unit").GetString()!,
    Maximum: i.GetProperty("maximum").GetDouble()))).ToList();
var tokens = keys.Select(k => k.Agency).Distinct().ToDictionary(a => a, a => Token("agency", a));
string Body((string Id, string Agency, string Series, string Kind, string Unit, double Maximum) k, int year, int salt) =>
    $$"""{"series":"{{k.Series}}","value":{{Value(k.Kind, k.Unit, year, salt, k.Maximum).ToString(CultureInfo.InvariantCulture)}},"note":"benchmark {{salt}}"}""";
async Task SeedAsync(HttpClient client)
{
    foreach (var k in keys)
        for (var year = 2021; year <= 2025; year++)
        {
            var r = await client.SendAsync(Request(HttpMethod.Put, $"/api/indicators/{k.Id}/values/{year}", tokens[k.Agency], Body(k, year, 0)));
            if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"{k.Id} {year}: {r.StatusCode} {await r.Content.ReadAsStringAsync()}");
        }
}
await SeedAsync(http);

// The baseline build (--baseline-handler, e.g. the previous commit published by scripts/benchmark.sh --baseline REV):
// its own instance and tables, the same data, measured in the same run, its reports taking turns with ours.
Instance? baseline = null;
HttpClient? baselineHttp = null;
if (options.HasBaseline)
{
    var baselinePort = FreePort();
    baseline = Start("p" + Guid.NewGuid().ToString("N")[..10], baselinePort, handler: options.BaselineHandler, app: options.BaselineApp);
    baselineHttp = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{baselinePort}"), Timeout = TimeSpan.FromMinutes(2) };
    await WaitForAnswer(baselineHttp);
    await SeedAsync(baselineHttp);
}

// 3. Report generation through the API (read, assess, render, upload, commit). Between runs one value is revised
//    (untimed): a report of unchanged data would rightly not be generated again.
async Task<(double Ms, long Size)> GenerateAsync(HttpClient client)
{
    var sw = Stopwatch.StartNew();
    var r = await client.SendAsync(Request(HttpMethod.Post, "/api/reports", staff, """{"fiscalYear":2025}"""));
    sw.Stop();
    if (r.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"report: {r.StatusCode}");
    return (sw.Elapsed.TotalMilliseconds, JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("size").GetInt64());
}
var firstReport = await GenerateAsync(http);
if (baselineHttp is not null) await GenerateAsync(baselineHttp);
var warm = new List<double>();
var warmBaseline = new List<double>();
var pdfSize = firstReport.Size;
var baselinePdfSize = 0L;
// The two builds take turns, and which goes first alternates (A B, B A, …): measured with the same build on both sides,
// a fixed order put ~20 % on the first's warm median and ~100 ms on its start-up.
for (var n = 1; n <= options.Runs; n++)
{
    var k = keys[n % keys.Count];
    async Task This()
    {
        await http.SendAsync(Request(HttpMethod.Put, $"/api/indicators/{k.Id}/values/2025", tokens[k.Agency], Body(k, 2025, n)));
        var run = await GenerateAsync(http);
        warm.Add(run.Ms);
        pdfSize = run.Size;
    }
    async Task Baseline()
    {
        if (baselineHttp is null) return;
        await baselineHttp.SendAsync(Request(HttpMethod.Put, $"/api/indicators/{k.Id}/values/2025", tokens[k.Agency], Body(k, 2025, n)));
        var before = await GenerateAsync(baselineHttp);
        warmBaseline.Add(before.Ms);
        baselinePdfSize = before.Size;
    }
    if (n % 2 == 1) { await This(); await Baseline(); }
    else { await Baseline(); await This(); }
}
// The baseline instance's high-water mark after the same seeding and reports (it is stopped after its submissions).
var baselineReportPeakMb = baseline is null ? 0 : Procfs.PeakMb(baseline.AppPid);

// Peak memory of report generation: the main instance's high-water mark after seeding and every report run.
var reportPeakMb = Procfs.PeakMb(handler.AppPid);

// 4. Cold: a new process whose storage already holds the data, from process start to the report committed in blob storage.
var tableService = new TableServiceClient(options.Connection);
var sourceValues = tableService.GetTableClient(mainPrefix + "IndicatorValues");
var entities = new List<TableEntity>();
await foreach (var e in sourceValues.QueryAsync<TableEntity>()) entities.Add(e);
var colds = new List<double>();
var coldsBaseline = new List<double>();
async Task<double> ColdAsync(bool baselineBuild)
{
    var handlerPath = baselineBuild ? options.BaselineHandler : null;
    var appPath = baselineBuild ? options.BaselineApp : null;
    var prefix = "c" + Guid.NewGuid().ToString("N")[..10];
    // Storage as a deployed app finds it: tables, container and catalog already there (an earlier instance made them).
    var provisionPort = FreePort();
    using (var provision = Start(prefix, provisionPort, handler: handlerPath, app: appPath))
    using (var client0 = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{provisionPort}"), Timeout = TimeSpan.FromMinutes(2) })
    {
        await WaitForAnswer(client0);
        (await client0.SendAsync(Request(HttpMethod.Get, "/api/indicators", staff))).EnsureSuccessStatusCode();
    }
    var target = tableService.GetTableClient(prefix + "IndicatorValues");
    foreach (var group in entities.GroupBy(e => e.PartitionKey))
        foreach (var chunk in group.Chunk(100))
            await target.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(e))));
    var port = FreePort();
    using var p = Start(prefix, port, handler: handlerPath, app: appPath);
    using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
    await WaitForAnswer(client);
    var r = await client.SendAsync(Request(HttpMethod.Post, "/api/reports", staff, """{"fiscalYear":2025}"""));
    var elapsed = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - p.StartedAt;
    if (r.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"cold report: {r.StatusCode}");
    return elapsed;
}
for (var n = 0; n < options.ColdRuns; n++)
{
    if (n % 2 == 1 && options.HasBaseline) coldsBaseline.Add(await ColdAsync(true));
    colds.Add(await ColdAsync(false));
    if (n % 2 == 0 && options.HasBaseline) coldsBaseline.Add(await ColdAsync(true));
}

// 5. Submissions through the app, then the raw SDK's upserts, in the same run against the same Azurite.
var mext = tokens["MEXT"];
var mextKeys = keys.Where(k => k.Agency == "MEXT" && k.Kind is "count" or "amount").ToList();
var latencies = new double[options.Submissions];
var accepted = 0;
var failed = 0;
// Every phase first runs untimed on other numbers (other values): each side gets the same warm-up (JIT, connections).
// Returns the timed part's duration and the CPU per operation of Azurite and of the handler (ms).
static double PerOperationMs(TimeSpan cpu, int count) => cpu.TotalMilliseconds / count;
async Task<(TimeSpan Elapsed, double AzuriteCpuMs, double HandlerCpuMs, double HostCpuMs)> Timed(Func<int, Task> work, Instance? app = null)
{
    app ??= handler;
    await RunConcurrent(options.Warmup, options.Concurrency, n => work(options.Submissions + n));
    var (azurite, appCpu, hostCpu) = (options.AzuritePid > 0 ? Procfs.CpuTime(options.AzuritePid) : TimeSpan.Zero, app.Cpu(), app.HostCpu());
    var elapsed = await RunConcurrent(options.Submissions, options.Concurrency, work);
    return (elapsed,
        options.AzuritePid > 0 ? PerOperationMs(Procfs.CpuTime(options.AzuritePid) - azurite, options.Submissions) : double.NaN,
        PerOperationMs(app.Cpu() - appCpu, options.Submissions),
        PerOperationMs(app.HostCpu() - hostCpu, options.Submissions));
}
Func<int, Task> Submissions(HttpClient client, double[] latencyOf, Action<bool> count) => async n =>
{
    var k = mextKeys[n % mextKeys.Count];
    var year = 2000 + (n / mextKeys.Count) % 26;
    var sw = Stopwatch.StartNew();
    var r = await client.SendAsync(Request(HttpMethod.Put, $"/api/indicators/{k.Id}/values/{year}", mext, Body(k, year, n + 1)));
    if (n >= options.Submissions) return;
    latencyOf[n] = sw.Elapsed.TotalMilliseconds;
    count(r.IsSuccessStatusCode);
};
// The baseline build first (when given), on its own tables with the same data: the same workload, the same Azurite.
var baselineLatencies = new double[options.Submissions];
var baselineAccepted = 0;
(TimeSpan Elapsed, double AzuriteCpuMs, double HandlerCpuMs, double HostCpuMs)? baselineRun = null;
if (baselineHttp is not null && baseline is not null)
{
    baselineRun = await Timed(Submissions(baselineHttp, baselineLatencies, ok => { if (ok) Interlocked.Increment(ref baselineAccepted); }), baseline);
    baseline.Dispose();
    baselineHttp.Dispose();
}
var (appElapsed, azuriteCpuPerSubmission, appCpuPerSubmission, hostCpuPerSubmission) = await Timed(Submissions(http, latencies, ok =>
{
    if (ok) Interlocked.Increment(ref accepted); else Interlocked.Increment(ref failed);
}));
var appRate = accepted / appElapsed.TotalSeconds;

var raw = tableService.GetTableClient("raw" + Guid.NewGuid().ToString("N")[..10]);
await raw.CreateIfNotExistsAsync();
var (rawElapsed, azuriteCpuPerUpsert, _, _) = await Timed(async n =>
{
    var k = mextKeys[n % mextKeys.Count];
    await raw.UpsertEntityAsync(new TableEntity(k.Id, $"current|{k.Series}|{2000 + (n / mextKeys.Count) % 26:D4}")
    {
        ["Series"] = k.Series, ["Year"] = 2000 + (n / mextKeys.Count) % 26, ["Value"] = (double)n, ["Note"] = $"benchmark {n}", ["Status"] = "Final",
        ["Revision"] = n, ["SubmittedBy"] = "bench", ["Agency"] = "MEXT", ["SubmittedAt"] = DateTimeOffset.UtcNow,
    }, TableUpdateMode.Replace);
});
var rawRate = options.Submissions / rawElapsed.TotalSeconds;

// The storage call an accepted submission makes once its instance knows the value's latest revision, straight through
// the SDK: one insert of the next revision. App ÷ this is the cost of the app itself (HTTP, auth, JSON,
// validation, and the reads of values and controls it has not seen yet).
var same = tableService.GetTableClient("same" + Guid.NewGuid().ToString("N")[..10]);
await same.CreateIfNotExistsAsync();
var (sameElapsed, azuriteCpuPerSame, _, _) = await Timed(async n =>
{
    var k = mextKeys[n % mextKeys.Count];
    var year = 2000 + (n / mextKeys.Count) % 26;
    var revision = new TableEntity(k.Id, $"value|{k.Series}|{year:D4}|{999_999 - n:D6}")
    {
        ["Series"] = k.Series, ["Year"] = year, ["Value"] = (double)n, ["Note"] = $"benchmark {n}", ["Status"] = "Final", ["Revision"] = n,
        ["SubmittedBy"] = "bench", ["Agency"] = "MEXT", ["SubmittedAt"] = DateTimeOffset.UtcNow, ["WriteId"] = Guid.NewGuid().ToString("N"),
    };
    // With the year's guard merged in the same transaction, as the app does since the lock is enforced at the write
    // (unconditionally here: the app's ETag condition costs storage nothing more).
    var guard = new TableEntity(k.Id, $"year|{year:D4}") { ["LastWrite"] = revision["WriteId"] };
    await same.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.Add, revision), new TableTransactionAction(TableTransactionActionType.UpsertMerge, guard)]);
});
var sameRate = options.Submissions / sameElapsed.TotalSeconds;

var peakMb = Procfs.PeakMb(handler.AppPid);
handler.Dispose();

// 6. A report with many revision rows (the revision appendix lists every one): --revision-values values revised
//    --revisions-per-value times each, on an instance of its own. Each value's revisions are sequential; the values
//    are revised in parallel.
var revisionPort = FreePort();
using var revisionHandler = Start("r" + Guid.NewGuid().ToString("N")[..10], revisionPort);
using var revisionHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri($"http://127.0.0.1:{revisionPort}"), Timeout = TimeSpan.FromMinutes(5) };
await WaitForAnswer(revisionHttp);
var revised = mextKeys.SelectMany(k => Enumerable.Range(2021, 5).Select(year => (k, year))).Take(options.RevisionValues).ToList();
await RunConcurrent(revised.Count, options.Concurrency, async n =>
{
    var (k, year) = revised[n];
    for (var revision = 0; revision <= options.RevisionsPerValue; revision++)
    {
        var r = await revisionHttp.SendAsync(Request(HttpMethod.Put, $"/api/indicators/{k.Id}/values/{year}", mext, Body(k, year, revision + 1)));
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"revision {k.Id} {year}: {r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }
});
var revisionRows = revised.Count * options.RevisionsPerValue;
var revisionReport = await GenerateAsync(revisionHttp);
revisionHandler.Dispose();

string Met(bool met) => met ? "met" : "**not met**";
var warmMedian = Percentile(warm, 0.5);
var warmP95 = Percentile(warm, 0.95);
var coldMedian = Percentile(colds, 0.5);
var startupMedian = Percentile(startups, 0.5);
var ratio = appRate / rawRate;
var rows = new List<(string Name, string Value, string Target)>
{
    ($"Report generation, warm: median / p95 of {options.Runs}", $"{warmMedian:0} / {warmP95:0} ms", $"≤ 250 ms: {Met(warmMedian <= 250)}"),
    ($"Report with {revisionRows:N0} revision rows ({revised.Count} values × {options.RevisionsPerValue} revisions): generation", $"{revisionReport.Ms:0} ms ({revisionReport.Size / 1024.0:0} KB)", $"≤ 5 s: {Met(revisionReport.Ms <= 5000)}"),
    ("Report generation, first request after start", $"{firstReport.Ms:0} ms", ""),
    ($"Report generation, cold: worker process start (storage provisioned) to PDF in blob (median of {options.ColdRuns})", $"{coldMedian:0} ms ({string.Join(", ", colds.Select(c => c.ToString("0")))})", $"≤ 1,500 ms: {Met(coldMedian <= 1500)}"),
    ("PDF size (18 indicators, 5 years each)", $"{pdfSize / 1024.0:0} KB ({pdfSize:N0} bytes)", $"≤ 400 KB: {Met(pdfSize <= 400 * 1024)}"),
    ($"Worker peak memory during report generation (VmHWM after seeding and {options.Runs + 1} reports)", $"{reportPeakMb:0} MB", $"≤ 250 MB: {Met(reportPeakMb <= 250)}"),
    ("Worker peak memory, whole run (also the submission phases)", $"{peakMb:0} MB", ""),
    ($"Start-up: worker process start to first answer through the development host (median of {options.Starts})", $"{startupMedian:0} ms ({string.Join(", ", startups.Select(c => c.ToString("0")))})", $"≤ 800 ms: {Met(startupMedian <= 800)}"),
    ($"Start-up phases, as the development host saw them (medians of {options.Starts})", PhasesOf("off"), ""),
    ($"Start-up with OpenTelemetry on, no exporter (median of {options.Starts})", $"{Percentile(startupsBy["otel"], 0.5):0} ms ({string.Join(", ", startupsBy["otel"].Select(c => c.ToString("0")))})", $"{Percentile(startupsBy["otel"], 0.5) - startupMedian:+0;-0} ms against off"),
    ($"Start-up with the Application Insights exporter (median of {options.Starts})", $"{Percentile(startupsBy["appinsights"], 0.5):0} ms ({string.Join(", ", startupsBy["appinsights"].Select(c => c.ToString("0")))})", $"{Percentile(startupsBy["appinsights"], 0.5) - startupMedian:+0;-0} ms against off"),
};
if (options.Floor is not null)
{
    var floorMedian = Percentile(startupsBy["floor"], 0.5);
    rows.InsertRange(rows.FindIndex(r => r.Name.StartsWith("Start-up with OpenTelemetry", StringComparison.Ordinal)),
    [
        ($"Start-up floor: an isolated worker with one function (tools/WorkerFloor), built, published and served alike (median of {options.Starts}, taking turns)",
            $"{floorMedian:0} ms ({string.Join(", ", startupsBy["floor"].Select(c => c.ToString("0")))})", $"this app adds {startupMedian - floorMedian:+0;-0} ms to the worker's own"),
        ("Start-up phases of the floor", PhasesOf("floor"), ""),
    ]);
}
rows.AddRange(new List<(string Name, string Value, string Target)>
{
    ($"App: accepted submissions/s ({options.Submissions:N0} PUTs, {options.Concurrency} clients)", $"{appRate:0.0} /s", ""),
    ($"Raw SDK: UpsertEntity/s (same count and concurrency, same Azurite)", $"{rawRate:0.0} /s", ""),
    ("App ÷ raw SDK single upserts", $"{ratio:P0}", "(a submission is a two-operation transaction since the lock is enforced at the write)"),
    ("Raw SDK doing a submission's storage call (a transaction: insert of the next revision + merge of the year's guard)/s", $"{sameRate:0.0} /s", ""),
    ("App ÷ raw SDK doing the same storage calls", $"{appRate / sameRate:P0}", $"≥ 70% (the app's own overhead): {Met(appRate / sameRate >= 0.7)}"),
    ("App submission latency p50 / p95 / p99", $"{Percentile(latencies, 0.5):0.0} / {Percentile(latencies, 0.95):0.0} / {Percentile(latencies, 0.99):0.0} ms", ""),
    ("App submissions rejected or failed", failed.ToString(CultureInfo.InvariantCulture), ""),
    ("Deployment package (zip: the worker ReadyToRun, native libraries, fonts, host.json, functions.metadata)", Size(options.Package), ""),
    ("CPU per app submission: worker / development host (forwarding, as the Functions host does) / Azurite",
        $"{appCpuPerSubmission - hostCpuPerSubmission:0.00} / {hostCpuPerSubmission:0.00} / {azuriteCpuPerSubmission:0.00} ms", ""),
    ("Azurite CPU per raw upsert / per raw insert of a revision", $"{azuriteCpuPerUpsert:0.00} / {azuriteCpuPerSame:0.00} ms", ""),
});

if (baselineRun is { } baselineSubmissions)
{
    var beforeRate = baselineAccepted / baselineSubmissions.Elapsed.TotalSeconds;
    rows.InsertRange(rows.FindIndex(r => r.Name.StartsWith("Raw SDK: UpsertEntity", StringComparison.Ordinal)),
    [
        ($"Baseline build {options.BaselineName}: accepted submissions/s (same workload, run just before)", $"{beforeRate:0.0} /s", $"this build: {appRate / beforeRate:P0} of it; ≥ 90%: {Met(appRate >= 0.9 * beforeRate)}"),
        ($"Baseline build {options.BaselineName}: submission latency p50 / p95 / p99", $"{Percentile(baselineLatencies, 0.5):0.0} / {Percentile(baselineLatencies, 0.95):0.0} / {Percentile(baselineLatencies, 0.99):0.0} ms", ""),
        ($"Baseline build {options.BaselineName}: CPU per submission, the app / Azurite", $"{baselineSubmissions.HandlerCpuMs:0.00} / {baselineSubmissions.AzuriteCpuMs:0.00} ms", ""),
        ($"CPU per submission of the app's own process: this build's worker ÷ the baseline's {(options.BaselineApp is null ? "handler" : "worker")} (like for like)",
            $"{(appCpuPerSubmission - hostCpuPerSubmission) / baselineSubmissions.HandlerCpuMs:P0}", "the forwarding host's CPU comes on top of both in Azure"),
    ]);
}
if (warmBaseline.Count > 0)
{
    var baselineMedian = Percentile(warmBaseline, 0.5);
    rows.InsertRange(1,
    [
        ($"Report generation, warm, baseline build {options.BaselineName}: median / p95 of {options.Runs} (taking turns with the line above)",
            $"{baselineMedian:0} / {Percentile(warmBaseline, 0.95):0} ms", ""),
        ("This build ÷ baseline, warm median", $"{warmMedian / baselineMedian:P0}", $"≤ 110%: {Met(warmMedian <= 1.1 * baselineMedian)}"),
        ($"Report generation, cold, baseline build {options.BaselineName} (median of {options.ColdRuns}, taking turns with this build's)",
            $"{Percentile(coldsBaseline, 0.5):0} ms ({string.Join(", ", coldsBaseline.Select(c => c.ToString("0")))})",
            $"{coldMedian - Percentile(coldsBaseline, 0.5):+0;-0} ms for this build"),
        ($"Start-up, baseline build {options.BaselineName} (median of {options.Starts}, taking turns with this build's)",
            $"{Percentile(startupsBy["baseline"], 0.5):0} ms ({string.Join(", ", startupsBy["baseline"].Select(c => c.ToString("0")))})",
            $"{startupMedian - Percentile(startupsBy["baseline"], 0.5):+0;-0} ms for this build"),
        ("PDF size, baseline build", $"{baselinePdfSize / 1024.0:0} KB ({baselinePdfSize:N0} bytes)", ""),
    ]);
    // This build against the baseline as ratios (below 100 %: this build needs less), next to the absolute lines.
    rows.InsertRange(rows.FindIndex(r => r.Name.StartsWith("PDF size, baseline", StringComparison.Ordinal)) + 1,
    [
        ("This build ÷ baseline: start-up / cold report / warm median / warm p95",
            $"{startupMedian / Percentile(startupsBy["baseline"], 0.5):P0} / {coldMedian / Percentile(coldsBaseline, 0.5):P0} / {warmMedian / baselineMedian:P0} / {warmP95 / Percentile(warmBaseline, 0.95):P0}", ""),
        ($"Peak memory during report generation, baseline build {options.BaselineName}", $"{baselineReportPeakMb:0} MB",
            $"this build: {reportPeakMb / baselineReportPeakMb:P0} of it"),
    ]);
    if (options.BaselinePackage is { } baselinePackage)
        rows.Add(($"Deployment package, baseline build {options.BaselineName}", Size(baselinePackage),
            options.Package is { } package ? $"this build: {(double)new FileInfo(package).Length / new FileInfo(baselinePackage).Length:P0} of it" : ""));
}

var table = new StringBuilder();
table.AppendLine("| Measure | Value | Target |").AppendLine("|---|---|---|");
foreach (var (name, value, target) in rows) table.AppendLine($"| {name} | {value} | {target} |");
Console.WriteLine(table);

var doc = new StringBuilder();
doc.AppendLine("# Benchmarks").AppendLine();
doc.AppendLine("Produced by `scripts/benchmark.sh` (this file is rewritten by every run). The deployment package's isolated worker");
doc.AppendLine("(ReadyToRun) runs as its own process, started and served by the repository's development host as the Functions");
doc.AppendLine("host starts and serves it (gRPC event stream; HTTP forwarded to the worker's ASP.NET Core server), against a real");
doc.AppendLine("Azurite (in memory) started by the script. Start-up is the worker process's start (reported by the development");
doc.AppendLine("host, which is already running and warm, as the Functions host is) to the first answer through the development");
doc.AppendLine("host. Report times are client-side for `POST /api/reports`: read the catalog and values, assess, render the PDF and");
doc.AppendLine("its HTML edition, upload them with the snapshot and summaries, commit the manifest. The raw-SDK line upserts one");
doc.AppendLine("entity per call. An accepted submission costs the app one entity-group transaction: the insert of the value's next");
doc.AppendLine("revision (values are append-only) and the merge of the year's guard entity, conditional on its ETag. The worker's");
doc.AppendLine("and the development host's CPU are counted apart: the host's is what the Functions host spends forwarding each");
doc.AppendLine(options.BaselineApp is null
    ? "request to an isolated worker. The baseline custom handler is measured listening itself, without the Functions\n" +
      "host in front that forwarded every request to it in Azure too: its submission rate here lacks that hop, so the\n" +
      "like-for-like comparison is the CPU of the app's own process per submission (worker against handler). Each"
    : "request to an isolated worker. The baseline build is an isolated worker too, started and served the same way. Each");
doc.AppendLine("throughput phase first runs untimed on other values (`--warmup`, 3,000): a JIT-compiled worker's ReadyToRun code");
doc.AppendLine("is recompiled at tier 1 once it is hot, which under full load on 2 cores takes a few thousand requests (the");
doc.AppendLine("Native AOT handler had no such warm-up), so both are measured in their steady state.");
doc.AppendLine("With `--baseline REV` the deployment package of git revision REV is built by that revision's own `scripts/deploy.sh`");
doc.AppendLine("(an isolated worker served alike; 53a483f and earlier: the custom handler, Native AOT, listening itself) and runs on its own tables with the same");
doc.AppendLine("data: its start-ups, cold reports and warm reports take turns with this build's (which goes first alternates), so before and after are measured");
doc.AppendLine("on the same machine at the same time. The revision line revises values many times through the API on an");
doc.AppendLine("instance of its own, then times one report whose revision appendix lists every revision.");
doc.AppendLine("What the lock at the write costs: storage does more per submission than a single insert (Azurite's CPU per");
doc.AppendLine("operation, the raw transaction rate against the raw upsert rate), and so does the handler (the SDK builds and");
doc.AppendLine("parses a multipart batch); writes of one indicator-year also take turns within an instance. Azurite serves");
doc.AppendLine("batches much more slowly than Azure Table Storage, where a two-operation batch is one request to one");
doc.AppendLine("partition server. Agencies submit a few hundred values a year: the price buys a final report that always shows");
doc.AppendLine("what its locked year holds.").AppendLine();
doc.AppendLine($"- Command: `{options.Command}`");
doc.AppendLine($"- Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({cpu}), .NET {Environment.Version}");
doc.AppendLine($"- Data: {keys.Count} series × 5 years before timing; the throughput phase writes to {mextKeys.Count} series × 26 years").AppendLine();
doc.Append(table);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
File.WriteAllText(options.Output, doc.ToString());
Console.WriteLine($"written to {options.Output}");
return failed == 0 ? 0 : 1;

static string Size(string? zip) => zip is null || !File.Exists(zip) ? "(not built)" : $"{new FileInfo(zip).Length / 1048576.0:0.0} MB";



static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

internal sealed record Args(string App, string DevHost, string Connection, string Output, int Runs, int ColdRuns, int Starts, int Submissions, int Concurrency, string Command, int AzuritePid, int Warmup,
    string? BaselineHandler, string BaselineName, int RevisionValues, int RevisionsPerValue, string? Package, string? BaselinePackage, string? Floor,
    string? BaselineApp)
{
    public bool HasBaseline => BaselineHandler is not null || BaselineApp is not null;

    public static Args Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Args(
            Path.GetFullPath(Get("--app", "artifacts/package")),
            Path.GetFullPath(Get("--devhost", "tools/FunctionsDevHost/bin/Release/net10.0/FunctionsDevHost.dll")),
            Get("--connection", Environment.GetEnvironmentVariable("REPORTING_BENCH_STORAGE") ?? "") is { Length: > 0 } connection
                ? connection
                : throw new ArgumentException("--connection or REPORTING_BENCH_STORAGE is required"),
            Get("--out", "docs/benchmarks.md"),
            Int("--runs", 15), Int("--cold-runs", 5), Int("--starts", 5), Int("--submissions", 4000), Int("--concurrency", 16),
            Get("--command", "scripts/benchmark.sh"), Int("--azurite-pid", 0), Int("--warmup", 3000),
            Get("--baseline-handler", "") is { Length: > 0 } b ? Path.GetFullPath(b) : null, Get("--baseline-name", "baseline"),
            Int("--revision-values", 20), Int("--revisions-per-value", 500),
            Get("--package", "") is { Length: > 0 } pkg ? Path.GetFullPath(pkg) : null,
            Get("--baseline-package", "") is { Length: > 0 } bpkg ? Path.GetFullPath(bpkg) : null,
            Get("--floor", "") is { Length: > 0 } floor ? Path.GetFullPath(floor) : null,
            Get("--baseline-app", "") is { Length: > 0 } bapp ? Path.GetFullPath(bapp) : null);
    }
}

/// <summary>
/// A running instance: the process this benchmark started (the development host, or the custom handler) and the app's
/// own process (the worker, or the handler itself) with the moment it started.
/// </summary>
internal sealed record Instance(Process Process, int AppPid, long StartedAt, string? SettingsFile,
    System.Collections.Concurrent.ConcurrentQueue<string>? Log = null) : IDisposable
{
    public TimeSpan Cpu() => Procfs.CpuTime(AppPid) + HostCpu();

    /// <summary>The development host's own CPU (what the Functions host spends forwarding); none for a custom handler.</summary>
    public TimeSpan HostCpu() => Process.Id == AppPid ? TimeSpan.Zero : Procfs.CpuTime(Process.Id);

    public void Dispose()
    {
        try
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
        Process.Dispose();
        if (SettingsFile is not null) File.Delete(SettingsFile);
    }
}

internal static partial class Patterns
{
    [System.Text.RegularExpressions.GeneratedRegex(@"Worker process (\d+) started at (\d+)")]
    public static partial System.Text.RegularExpressions.Regex WorkerStarted();

    [System.Text.RegularExpressions.GeneratedRegex(@"connected (\d+) ms after its process started")]
    public static partial System.Text.RegularExpressions.Regex Connected();

    [System.Text.RegularExpressions.GeneratedRegex(@"initialised \(WorkerInitResponse\) \+(\d+) ms, functions indexed \(FunctionMetadataResponse\) \+(\d+) ms, functions loaded \([^)]*\) \+(\d+) ms")]
    public static partial System.Text.RegularExpressions.Regex Phases();

    [System.Text.RegularExpressions.GeneratedRegex(@"answered (\d+) ms after the worker process started")]
    public static partial System.Text.RegularExpressions.Regex FirstAnswer();
}


/// <summary>What Linux's /proc says of a process.</summary>
internal static class Procfs
{
    /// <summary>User + system CPU time of a process so far (from /proc; clock ticks are 1/100 s on Linux).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10);
    }

    public static double PeakMb(int pid) => File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:"))
        .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault() / 1024.0;

}

/// <summary>When each phase of a worker's start-up ended, from the development host's log.</summary>
internal sealed record StartupPhases(double Connected, double Initialised, double Indexed, double Loaded, double FirstAnswer)
{
    public static StartupPhases? Parse(IEnumerable<string> log)
    {
        double? connected = null, initialised = null, indexed = null, loaded = null, first = null;
        foreach (var line in log)
        {
            if (Patterns.Connected().Match(line) is { Success: true } c) connected = double.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture);
            if (Patterns.Phases().Match(line) is { Success: true } p)
            {
                initialised = double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
                indexed = double.Parse(p.Groups[2].Value, CultureInfo.InvariantCulture);
                loaded = double.Parse(p.Groups[3].Value, CultureInfo.InvariantCulture);
            }
            if (Patterns.FirstAnswer().Match(line) is { Success: true } f) first = double.Parse(f.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        return connected is { } a && initialised is { } b && indexed is { } i && loaded is { } l && first is { } fa ? new(a, b, i, l, fa) : null;
    }
}
