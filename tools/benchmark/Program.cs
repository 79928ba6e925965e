// Measures the published handler as a black box, the way it runs under the Functions host: a separate process on
// loopback, talking to a real Azurite. Prints the figures and writes them to docs/benchmarks.md.
//   scripts/benchmark.sh   (sets up Azurite and the published handler, then runs this)
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

var options = Args.Parse(args);
var key = RandomNumberGenerator.GetBytes(48);
const string Issuer = "https://bench.reporting.local/";
const string Audience = "api://reporting-bench";
var port = FreePort();
var prefix = "b" + Guid.NewGuid().ToString("N")[..10];

var start = new ProcessStartInfo(options.Handler) { WorkingDirectory = Path.GetDirectoryName(Path.GetDirectoryName(options.Handler))!, RedirectStandardOutput = true, RedirectStandardError = true };
start.Environment["Port"] = port.ToString(CultureInfo.InvariantCulture);
start.Environment["Storage__ConnectionString"] = options.Connection;
start.Environment["Storage__TablePrefix"] = prefix;
start.Environment["Storage__ReportsContainer"] = prefix + "-reports";
start.Environment["Auth__Issuer"] = Issuer;
start.Environment["Auth__Audience"] = Audience;
start.Environment["Auth__DevSigningKey"] = Convert.ToBase64String(key);
start.Environment["AnnualReportSchedule"] = "";
start.Environment["REPORTING_LOCAL_SETTINGS"] = "/nonexistent";
start.Environment["Logging__LogLevel__Default"] = "Warning";

var launched = Stopwatch.StartNew();
using var handler = Process.Start(start)!;
handler.OutputDataReceived += (_, _) => { };
handler.ErrorDataReceived += (_, _) => { };
handler.BeginOutputReadLine();
handler.BeginErrorReadLine();
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
while (true)
{
    try { await http.GetAsync("/"); break; }
    catch (HttpRequestException) { await Task.Delay(20); }
}
var startup = launched.Elapsed;

string Token(string role, string? agency = null)
{
    static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var claims = new Dictionary<string, object> { ["iss"] = Issuer, ["aud"] = Audience, ["sub"] = $"bench-{role}", ["roles"] = new[] { role }, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 7200 };
    if (agency is not null) claims["agency"] = agency;
    var unsigned = B64(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}")) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
    return unsigned + "." + B64(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes(unsigned)));
}

HttpRequestMessage Request(HttpMethod method, string path, string token, string? body = null)
{
    var request = new HttpRequestMessage(method, path);
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
    return request;
}

// The catalog, then five years (2021–2025) of values for every series of every indicator.
var staff = Token("staff");
var catalog = JsonDocument.Parse(await (await http.SendAsync(Request(HttpMethod.Get, "/api/indicators", staff))).Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToList();
var keys = new List<(string Id, string Agency, string Series, string Kind, string Unit)>();
foreach (var i in catalog)
    foreach (var s in i.GetProperty("series").EnumerateArray())
        keys.Add((i.GetProperty("id").GetString()!, i.GetProperty("agency").GetString()!, s.GetProperty("id").GetString()!, i.GetProperty("valueKind").GetString()!, i.GetProperty("unit").GetString()!));
var tokens = keys.Select(k => k.Agency).Distinct().ToDictionary(a => a, a => Token("agency", a));

static double Value(string kind, string unit, int year, int salt) => kind switch
{
    "rank" => 1 + (year + salt) % 15,
    "percentage" => Math.Round(20 + (year % 10) * 1.7 + salt % 7, 1),
    "count" => 10000 + year % 100 * 137 + salt % 997,
    _ => unit == "兆円" ? 4 + (year % 10) * 0.11 : 50000 + year % 100 * 1500 + salt % 1000,
};

string Body((string Id, string Agency, string Series, string Kind, string Unit) k, int year, int salt) =>
    $$"""{"series":"{{k.Series}}","value":{{Value(k.Kind, k.Unit, year, salt).ToString(CultureInfo.InvariantCulture)}},"note":"benchmark {{salt}}"}""";

foreach (var k in keys)
    for (var year = 2021; year <= 2025; year++)
    {
        var r = await http.SendAsync(Request(HttpMethod.Put, $"/api/indicators/{k.Id}/values/{year}", tokens[k.Agency], Body(k, year, 0)));
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"{k.Id} {year}: {r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

// Report generation through the API: read everything, assess, render, upload PDF and snapshot.
async Task<(double Ms, long Size)> GenerateAsync()
{
    var sw = Stopwatch.StartNew();
    var r = await http.SendAsync(Request(HttpMethod.Post, "/api/reports", staff, """{"fiscalYear":2025}"""));
    sw.Stop();
    if (r.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"report: {r.StatusCode}");
    var size = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("size").GetInt64();
    return (sw.Elapsed.TotalMilliseconds, size);
}
var first = await GenerateAsync();
var warm = new List<double>();
long pdfSize = first.Size;
for (var n = 0; n < options.Runs; n++)
{
    var run = await GenerateAsync();
    warm.Add(run.Ms);
    pdfSize = run.Size;
}

// Submissions: many agencies' clients at once, new values (years 2000–2020) and revisions (2021–2025) mixed.
var latencies = new double[options.Submissions];
var accepted = 0;
var failed = 0;
var next = -1;
var throughputClock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async worker =>
{
    while (true)
    {
        var n = Interlocked.Increment(ref next);
        if (n >= options.Submissions) return;
        var k = keys[n % keys.Count];
        var year = 2000 + (n / keys.Count) % 26;
        var sw = Stopwatch.StartNew();
        var r = await http.SendAsync(Request(HttpMethod.Put, $"/api/indicators/{k.Id}/values/{year}", tokens[k.Agency], Body(k, year, n + 1)));
        latencies[n] = sw.Elapsed.TotalMilliseconds;
        if (r.IsSuccessStatusCode) Interlocked.Increment(ref accepted); else Interlocked.Increment(ref failed);
    }
}));
throughputClock.Stop();

var peakKb = File.ReadLines($"/proc/{handler.Id}/status").Where(l => l.StartsWith("VmHWM:")).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
handler.Kill(entireProcessTree: true);

static double Percentile(IReadOnlyList<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Clamp(Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}

var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
var rows = new List<(string Name, string Value)>
{
    ("Report generation, warm (median of " + options.Runs + ")", $"{Percentile(warm, 0.5):0} ms"),
    ("Report generation, warm (min / max)", $"{warm.Min():0} / {warm.Max():0} ms"),
    ("Report generation, first request after start", $"{first.Ms:0} ms"),
    ("PDF size (18 indicators, 5 years each)", $"{pdfSize / 1024.0:0} KB ({pdfSize:N0} bytes)"),
    ("Handler peak memory (VmHWM)", $"{peakKb / 1024.0:0} MB"),
    ("Handler start-up (process start to first answer)", $"{startup.TotalMilliseconds:0} ms"),
    ($"Accepted submissions/s ({options.Submissions:N0} PUTs, {options.Concurrency} clients)", $"{accepted / throughputClock.Elapsed.TotalSeconds:0.0} /s"),
    ("Submission latency p50 / p95 / p99", $"{Percentile(latencies, 0.5):0.0} / {Percentile(latencies, 0.95):0.0} / {Percentile(latencies, 0.99):0.0} ms"),
    ("Submissions rejected or failed", failed.ToString(CultureInfo.InvariantCulture)),
};

var table = new StringBuilder();
table.AppendLine("| Measure | Value |").AppendLine("|---|---|");
foreach (var (name, value) in rows) table.AppendLine($"| {name} | {value} |");
Console.WriteLine(table);

var doc = new StringBuilder();
doc.AppendLine("# Benchmarks").AppendLine();
doc.AppendLine("Produced by `scripts/benchmark.sh` (this file is rewritten by every run). The published custom handler runs as its own");
doc.AppendLine("process on loopback, as under the Functions host, against a real Azurite (in memory) started by the script.");
doc.AppendLine("Report times are client-side for `POST /api/reports` (read catalog and values, assess, render the PDF, upload PDF and snapshot).").AppendLine();
doc.AppendLine($"- Command: `{options.Command}`");
doc.AppendLine($"- Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({cpu}), .NET {Environment.Version}");
doc.AppendLine($"- Data: {keys.Count} series × 5 years loaded before timing; {options.Submissions:N0} further submissions for the throughput figure").AppendLine();
doc.Append(table);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.Output))!);
File.WriteAllText(options.Output, doc.ToString());
Console.WriteLine($"written to {options.Output}");
return failed == 0 ? 0 : 1;

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

internal sealed record Args(string Handler, string Connection, string Output, int Runs, int Submissions, int Concurrency, string Command)
{
    public static Args Parse(string[] args)
    {
        string Get(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        return new Args(
            Path.GetFullPath(Get("--handler", "functions/bin/Reporting")),
            Get("--connection", Environment.GetEnvironmentVariable("REPORTING_BENCH_STORAGE") ?? "") is { Length: > 0 } connection
                ? connection
                : throw new ArgumentException("--connection or REPORTING_BENCH_STORAGE is required"),
            Get("--out", "docs/benchmarks.md"),
            int.Parse(Get("--runs", "7"), CultureInfo.InvariantCulture),
            int.Parse(Get("--submissions", "2000"), CultureInfo.InvariantCulture),
            int.Parse(Get("--concurrency", "16"), CultureInfo.InvariantCulture),
            Get("--command", "scripts/benchmark.sh"));
    }
}
