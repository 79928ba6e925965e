using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Reporting.Tests.Hosting;
using Reporting.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Reporting.Tests.Reliability;

/// <summary>
/// A bounded load on loopback against the published handler process and Azurite: 32 clients, 20,000 submissions of
/// new values and revisions, a third of them conditional (If-Match / If-None-Match) so that many conflict. Afterwards
/// every 2xx is in storage with its history, every 412 is absent, and nothing answered 5xx.
/// </summary>
[Trait("Tier", "Full")]
public sealed class SubmissionLoadTests(ITestOutputHelper output)
{
    private const int Clients = 32;
    private const int Submissions = 20_000;

    private static readonly (string Indicator, string Series)[] Keys =
    [
        ("challenging-research-projects", "total"), ("researchers-abroad-long-term", "total"),
        ("doctoral-students-degrees", "enrolments"), ("doctoral-students-degrees", "degrees"), ("industry-joint-research-income", "total"),
    ];

    private sealed record Outcome(string Indicator, string Series, int Year, double Value, int Status, int? Revision, double Milliseconds);

    [Fact]
    public async Task UnderLoad_EveryAcceptedSubmissionIsStoredWithItsHistory_AndNoRejectedOneIs()
    {
        var prefix = "l" + Guid.NewGuid().ToString("N")[..10];
        var port = Azurite.FreePort();
        var settings = PublishedApp.Settings(prefix);
        settings["RateLimit__PermitsPerMinute"] = "100000000";
        settings["Logging__LogLevel__Default"] = "Warning";
        var log = new StringBuilder();
        using var handler = PublishedApp.Start(settings, port, log);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Clients }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            await PublishedApp.WaitUntilReadyAsync(http, $"http://127.0.0.1:{port}", handler, log);
            var token = new Tokens(ReportingApp.Issuer, ReportingApp.Audience, Tokens.TestKey).Agency("MEXT");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var outcomes = new ConcurrentBag<Outcome>();
            var next = -1;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, Clients).Select(async _ =>
            {
                while (true)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= Submissions) return;
                    var (indicator, series) = Keys[i % Keys.Length];
                    // Conditional writes go to five hot values (2026) so that concurrent ones really collide.
                    var year = i % 3 == 0 ? 2026 : 2000 + (i / Keys.Length) % 26;
                    var value = 100_000 + i; // unique: every stored value tells which request wrote it
                    var path = $"/api/indicators/{indicator}/values/{year}";
                    var request = new HttpRequestMessage(HttpMethod.Put, path)
                    {
                        Content = new StringContent($$"""{"series": "{{series}}", "value": {{value}}, "note": "load {{i}}"}""", Encoding.UTF8, "application/json"),
                    };
                    if (i % 3 == 0)
                    {
                        // Conditional: revise the version just read, or create only if there is none yet.
                        var current = await http.GetAsync($"{path}?series={series}");
                        if (current.StatusCode == HttpStatusCode.OK) request.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
                        else request.Headers.TryAddWithoutValidation("If-None-Match", "*");
                    }
                    var sw = Stopwatch.StartNew();
                    var response = await http.SendAsync(request);
                    sw.Stop();
                    int? revision = null;
                    if (response.IsSuccessStatusCode)
                    {
                        revision = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("revision").GetInt32();
                    }
                    outcomes.Add(new Outcome(indicator, series, year, value, (int)response.StatusCode, revision, sw.Elapsed.TotalMilliseconds));
                }
            }));
            clock.Stop();

            var all = outcomes.ToList();
            var latencies = all.Select(o => o.Milliseconds).Order().ToList();
            double P(double q) => latencies[(int)Math.Ceiling(q * latencies.Count) - 1];
            var figures = $"Load test: {Submissions:N0} submissions, {Clients} clients: {Submissions / clock.Elapsed.TotalSeconds:0.0}/s; " +
                $"latency p50 {P(0.50):0.0} ms, p95 {P(0.95):0.0} ms, p99 {P(0.99):0.0} ms; " +
                $"{all.Count(o => o.Status is 200 or 201):N0} accepted, {all.Count(o => o.Status == 412):N0} precondition failed, " +
                $"{all.Count(o => o.Status >= 500)} server errors";
            output.WriteLine(figures);
            // scripts/test.sh prints this after the run: xunit keeps test output to itself unless a test fails.
            Directory.CreateDirectory(Repo.Path_("artifacts"));
            File.WriteAllText(Repo.Path_("artifacts", "load-test.txt"), figures + Environment.NewLine);

            Assert.Equal(Submissions, all.Count);
            Assert.DoesNotContain(all, o => o.Status >= 500);
            Assert.All(all, o => Assert.Contains(o.Status, new[] { 200, 201, 412 }));
            Assert.Contains(all, o => o.Status == 412); // the conflicts really happened

            // What storage holds, read back through the API.
            var stored = new Dictionary<(string, string, int), List<(int Revision, double Value)>>();
            var current = new Dictionary<(string, string, int), (int Revision, double Value)>();
            foreach (var indicator in Keys.Select(k => k.Indicator).Distinct())
            {
                var values = JsonDocument.Parse(await http.GetStringAsync($"/api/indicators/{indicator}/values?history=true")).RootElement.GetProperty("values");
                foreach (var v in values.EnumerateArray())
                {
                    var key = (indicator, v.GetProperty("series").GetString()!, v.GetProperty("year").GetInt32());
                    current[key] = (v.GetProperty("revision").GetInt32(), v.GetProperty("value").GetDouble());
                    stored[key] = v.GetProperty("history").EnumerateArray().Select(h => (h.GetProperty("revision").GetInt32(), h.GetProperty("value").GetDouble())).ToList();
                }
            }
            foreach (var (key, history) in stored)
            {
                Assert.Equal(Enumerable.Range(1, history.Count), history.Select(h => h.Revision)); // unbroken, never rewritten
                Assert.Equal(history[^1], current[key]);
            }
            var storedValues = stored.SelectMany(s => s.Value.Select(h => (s.Key, h.Value))).ToHashSet();
            foreach (var o in all)
            {
                var key = (o.Indicator, o.Series, o.Year);
                if (o.Status is 200 or 201)
                {
                    Assert.True(stored.TryGetValue(key, out var history) && history.Contains((o.Revision!.Value, o.Value)), $"accepted {key}={o.Value} (revision {o.Revision}) is not in storage");
                }
                else
                {
                    Assert.DoesNotContain((key, o.Value), storedValues);
                }
            }
        }
        finally
        {
            PublishedApp.Stop(handler);
        }
    }
}
