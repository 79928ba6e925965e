using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// Hostile and broken input, each case against a store with data in it: every one gets a 4xx problem+json, and the
/// store (every table entity with its ETag, every blob) is the same afterwards.
/// </summary>
public sealed class BadInputCorpusTests(BadInputCorpusTests.WithData data) : IClassFixture<BadInputCorpusTests.WithData>
{
    public sealed class WithData : IAsyncLifetime
    {
        public ReportingApp App { get; } = new();

        public ApiContract.Described Description { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Description = await ApiContract.Described.FetchAsync(App.As(null));
            await App.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2024",
                new StringContent("""{"value": 32.5}""", Encoding.UTF8, "application/json"));
            await App.AsStaff().PostAsync("/api/reports", new StringContent("""{"fiscalYear": 2025}""", Encoding.UTF8, "application/json"));
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    public sealed record Case(string Name, string Role, string Method, string Path, byte[]? Body, string ContentType = "application/json")
    {
        public override string ToString() => Name;
    }

    private static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    private const string Value = "/api/indicators/research-time-share/values/2025";
    private const string Count = "/api/indicators/researchers-abroad-long-term/values/2025";
    private const string Amount = "/api/indicators/industry-joint-research-income/values/2025";

    public static TheoryData<Case> Corpus() => new(new[]
    {
        // Wrong types
        new Case("value as string", "MEXT", "PUT", Value, U("""{"value": "33"}""")),
        new Case("value as bool", "MEXT", "PUT", Value, U("""{"value": true}""")),
        new Case("value as array", "MEXT", "PUT", Value, U("""{"value": [33]}""")),
        new Case("value as object", "MEXT", "PUT", Value, U("""{"value": {"n": 33}}""")),
        new Case("series as number", "MEXT", "PUT", Value, U("""{"series": 1, "value": 33}""")),
        new Case("note as number", "MEXT", "PUT", Value, U("""{"value": 33, "note": 5}""")),
        new Case("status unknown", "MEXT", "PUT", Value, U("""{"value": 33, "status": "maybe"}""")),
        // NaN, Infinity, huge numbers
        new Case("NaN literal", "MEXT", "PUT", Value, U("""{"value": NaN}""")),
        new Case("NaN string", "MEXT", "PUT", Value, U("""{"value": "NaN"}""")),
        new Case("Infinity literal", "MEXT", "PUT", Value, U("""{"value": Infinity}""")),
        new Case("overflowing number", "MEXT", "PUT", Amount, U("""{"value": 1e309}""")),
        new Case("huge amount", "MEXT", "PUT", Amount, U("""{"value": 1e300}""")),
        new Case("huge count", "MEXT", "PUT", Count, U("""{"value": 99999999999999999999}""")),
        new Case("negative count", "MEXT", "PUT", Count, U("""{"value": -5}""")),
        new Case("fractional count", "MEXT", "PUT", Count, U("""{"value": 12.5}""")),
        new Case("percentage over 100", "MEXT", "PUT", Value, U("""{"value": 100.01}""")),
        // Numbers outside what an indicator is published with (the method's own guard at the boundary)
        new Case("amount below the published precision", "CAO", "PUT", "/api/indicators/government-rd-investment/values/2019", U("""{"value": 5e-324}""")),
        new Case("percentage finer than published", "MEXT", "PUT", Value, U("""{"value": 36.45}""")),
        new Case("rank above the plausible maximum", "MEXT", "PUT", "/api/indicators/top10-papers-rank/values/2025", U("""{"value": 500}""")),
        // Malformed JSON
        new Case("truncated JSON", "MEXT", "PUT", Value, U("""{"value": 33""")),
        new Case("empty body", "MEXT", "PUT", Value, U("")),
        new Case("JSON null", "MEXT", "PUT", Value, U("null")),
        new Case("JSON array", "MEXT", "PUT", Value, U("[33]")),
        new Case("trailing garbage", "MEXT", "PUT", Value, U("""{"value": 33} x""")),
        new Case("duplicate-looking unknown field", "MEXT", "PUT", Value, U("""{"value": 33, "Value ": 34}""")),
        // Invalid UTF-8 and control characters
        new Case("invalid UTF-8 in JSON", "MEXT", "PUT", Value, [.. U("""{"value": 33, "note": " """), 0xFF, 0xFE, .. U("\"}")]),
        new Case("control character in note", "MEXT", "PUT", Value, U("{\"value\": 33, \"note\": \"a\\u0007b\"}")),
        new Case("NUL in note", "MEXT", "PUT", Value, U("{\"value\": 33, \"note\": \"a\\u0000b\"}")),
        new Case("over-long note", "MEXT", "PUT", Value, U($$"""{"value": 33, "note": "{{new string('長', 5000)}}"}""")),
        new Case("over-long series", "MEXT", "PUT", Value, U($$"""{"series": "{{new string('s', 5000)}}", "value": 33}""")),
        // Path tricks in ids and years
        new Case("dot-dot id", "MEXT", "PUT", "/api/indicators/..%2F..%2Fsecret/values/2025", U("""{"value": 33}""")),
        new Case("upper-case id", "MEXT", "PUT", "/api/indicators/RESEARCH-TIME-SHARE/values/2025", U("""{"value": 33}""")),
        new Case("id with quote", "MEXT", "PUT", "/api/indicators/research-time-share'%20or%20'1'%3D'1/values/2025", U("""{"value": 33}""")),
        new Case("year with plus", "MEXT", "PUT", "/api/indicators/research-time-share/values/+2025", U("""{"value": 33}""")),
        new Case("year hex", "MEXT", "PUT", "/api/indicators/research-time-share/values/0x7E9", U("""{"value": 33}""")),
        new Case("year decimal", "MEXT", "PUT", "/api/indicators/research-time-share/values/2025.0", U("""{"value": 33}""")),
        new Case("year negative", "MEXT", "PUT", "/api/indicators/research-time-share/values/-2025", U("""{"value": 33}""")),
        new Case("year huge", "MEXT", "PUT", "/api/indicators/research-time-share/values/99999999999", U("""{"value": 33}""")),
        new Case("report year trick", "staff", "GET", "/api/reports/..%2F2025", null),
        new Case("report id trick", "staff", "GET", "/api/reports/2025?id=..%2F..%2Ffy2025", null),
        new Case("report format trick", "staff", "GET", "/api/reports/2025?format=..%2Fsnapshot", null),
        new Case("progress year trick", "staff", "GET", "/api/progress/2025;drop", null),
        new Case("completeness year trick", "staff", "GET", "/api/completeness/2025%0A", null),
        // Other bodies
        new Case("report year as string", "staff", "POST", "/api/reports", U("""{"fiscalYear": "2025"}""")),
        new Case("report year NaN", "staff", "POST", "/api/reports", U("""{"fiscalYear": NaN}""")),
        new Case("publish id trick", "staff", "POST", "/api/reports/2025/publish", U("""{"id": "../../fy2025/x"}""")),
        new Case("target NaN", "admin", "PUT", "/api/indicators/research-time-share/target", U("""{"kind": "reach", "value": NaN, "year": 2030}""")),
        new Case("target negative", "admin", "PUT", "/api/indicators/research-time-share/target", U("""{"kind": "reach", "value": -1, "year": 2030}""")),
        new Case("reach-rank target equal to the baseline", "admin", "PUT", "/api/indicators/top10-papers-rank/target", U("""{"kind": "reach", "value": 13, "year": 2035}""")),
        new Case("cumulative target of zero", "admin", "PUT", "/api/indicators/researchers-abroad-long-term/target", U("""{"kind": "cumulative", "value": 0, "fromYear": 2026, "toYear": 2030}""")),
        new Case("target due before the base year", "admin", "PUT", "/api/indicators/research-time-share/target", U("""{"kind": "reach", "value": 50, "year": 2021}""")),
        new Case("catalog correction without a reason", "admin", "PATCH", "/api/indicators/smart-city-municipalities", U("""{"agency": "DIGITAL"}""")),
        new Case("catalog correction to an unknown agency", "admin", "PATCH", "/api/indicators/smart-city-municipalities", U("""{"agency": "NOWHERE", "reason": "x"}""")),
        new Case("catalog correction of an unknown field", "admin", "PATCH", "/api/indicators/smart-city-municipalities", U("""{"unit": "件", "reason": "x"}""")),
        new Case("agency code in lower case", "admin", "PUT", "/api/agencies/mof", U("""{"name": "財務省"}""")),
        new Case("agency without a name", "admin", "PUT", "/api/agencies/MOF", U("""{"name": " "}""")),
        new Case("window year trick", "admin", "PUT", "/api/windows/20x5", U("""{"opensOn": "2026-04-01", "closesOn": "2026-06-30"}""")),
        new Case("window dates swapped", "admin", "PUT", "/api/windows/2026", U("""{"opensOn": "2026-06-30", "closesOn": "2026-04-01"}""")),
        // Characters the report cannot print (the fonts lack them) and broken UTF-16
        new Case("emoji in note", "MEXT", "PUT", Value, U("{\"value\": 33, \"note\": \"増加😀\"}")),
        new Case("private-use character in reason", "MEXT", "PUT", Value, U("{\"value\": 33, \"reason\": \"\\ue000\"}")),
        new Case("unpaired surrogate in note", "MEXT", "PUT", Value, U("{\"value\": 33, \"note\": \"a\\ud800b\"}")),
        new Case("emoji in target label", "admin", "PUT", "/api/indicators/research-time-share/target", U("{\"kind\": \"reach\", \"value\": 50, \"year\": 2030, \"label\": \"50%🎯\"}")),
        new Case("line break in target label", "admin", "PUT", "/api/indicators/research-time-share/target", U("{\"kind\": \"reach\", \"value\": 50, \"year\": 2030, \"label\": \"50%\\n2030\"}")),
        new Case("emoji in agency name", "admin", "PUT", "/api/agencies/MOF", U("{\"name\": \"財務省🏦\"}")),
        new Case("emoji in indicator name", "admin", "PATCH", "/api/indicators/smart-city-municipalities", U("{\"name\": \"スマートシティ🏙\", \"reason\": \"x\"}")),
        new Case("emoji in indicator source", "admin", "PATCH", "/api/indicators/smart-city-municipalities", U("{\"source\": \"調査📊\", \"reason\": \"x\"}")),
        // Query parameters that are not what they must be
        new Case("history neither true nor false", "MEXT", "GET", "/api/indicators/research-time-share/values?history=maybe", null),
        new Case("dryRun neither true nor false", "MEXT", "POST", "/api/imports?dryRun=perhaps", U("indicator,year,value\nresearch-time-share,2025,33\n"), "text/csv"),
        // Bodies whose types a .NET message would describe by its own type names
        new Case("body of the wrong JSON type", "MEXT", "PUT", Value, U("\"33\"")),
        new Case("unknown field in a value", "MEXT", "PUT", Value, U("""{"value": 33, "colour": "red"}""")),
        new Case("target year as text", "admin", "PUT", "/api/indicators/research-time-share/target", U("""{"kind": "reach", "value": 50, "year": "2030"}""")),
        new Case("target kind unknown", "admin", "PUT", "/api/indicators/research-time-share/target", U("""{"kind": "double", "value": 50, "year": 2030}""")),
        new Case("report year as text", "staff", "POST", "/api/reports", U("""{"fiscalYear": "2025"}""")),
        // Bodies as a generated client or a careless script may send them
        new Case("value missing", "MEXT", "PUT", Value, U("""{"note": "x"}""")),
        new Case("value null", "MEXT", "PUT", Value, U("""{"value": null}""")),
        new Case("status as a number", "MEXT", "PUT", Value, U("""{"value": 33, "status": 1}""")),
        new Case("body an array", "MEXT", "PUT", Value, U("[33]")),
        new Case("body empty", "MEXT", "PUT", Value, U("")),
        new Case("body not JSON", "MEXT", "PUT", Value, U("value=33")),
        new Case("window date with slashes", "admin", "PUT", "/api/windows/2026", U("""{"opensOn": "2026/04/01", "closesOn": "2026-06-30"}""")),
        new Case("window without its end", "admin", "PUT", "/api/windows/2026", U("""{"opensOn": "2026-04-01"}""")),
        new Case("publish without an id", "staff", "POST", "/api/reports/2025/publish", U("{}")),
        new Case("agency without a name", "admin", "PUT", "/api/agencies/MOF", U("{}")),
        new Case("correction without a reason", "admin", "PATCH", "/api/indicators/smart-city-municipalities", U("""{"name": "スマートシティ"}""")),
        new Case("target without a kind", "admin", "PUT", "/api/indicators/research-time-share/target", U("""{"value": 50, "year": 2030}""")),
        new Case("report format unknown", "staff", "GET", "/api/reports/2025?format=xlsx", null),
        new Case("report year not a year", "staff", "GET", "/api/reports/abcd", null),
        new Case("progress year not a year", "staff", "GET", "/api/progress/20x5", null),
        // Imports
        new Case("CSV with control character", "MEXT", "POST", "/api/imports", U("indicator,year,value\nresearch-time-share,2025,3\u00073\n"), "text/csv"),
        new Case("CSV unterminated quote", "MEXT", "POST", "/api/imports", U("indicator,year,value\n\"research-time-share,2025,33\n"), "text/csv"),
        new Case("CSV invalid UTF-8", "MEXT", "POST", "/api/imports", [.. U("indicator,year,value\nresearch-time-share,2025,"), 0xC3, 0x28, .. U("\n")], "text/csv; charset=utf-8"),
        new Case("CSV header only", "MEXT", "POST", "/api/imports", U("indicator,year,value\n"), "text/csv"),
        new Case("JSON rows not an array", "MEXT", "POST", "/api/imports", U("""{"rows": []}""")),
        new Case("JSON rows operation sent CSV", "MEXT", "POST", "/api/imports/rows", U("indicator,year,value\nresearch-time-share,2025,33\n"), "text/csv"),
        new Case("JSON rows operation sent an object", "MEXT", "POST", "/api/imports/rows", U("""{"indicator": "research-time-share", "year": 2025, "value": 33}""")),
        new Case("JSON rows operation sent no rows", "MEXT", "POST", "/api/imports/rows", U("[]")),
        new Case("import as XML", "MEXT", "POST", "/api/imports", U("<rows/>"), "application/xml"),
        new Case("oversized JSON body", "MEXT", "PUT", Value, U($$"""{"value": 33, "note": "{{new string('x', 2 * 1024 * 1024)}}"}""")),
    });

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task BadInput_Gets4xxProblem_AndLeavesTheStoreUnchanged(Case c)
    {
        var before = await data.App.StoreFingerprintAsync();
        var client = c.Role switch
        {
            "staff" => data.App.AsStaff(),
            "admin" => data.App.AsAdmin(),
            var agency => data.App.AsAgency(agency),
        };
        var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path);
        if (c.Body is not null)
        {
            request.Content = new ByteArrayContent(c.Body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        }
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{c.Name}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", body);          // no stack trace
        Assert.DoesNotContain("RequestFailed", body);   // no storage error
        // No .NET type names: the API speaks of its fields, not of the classes behind them.
        Assert.DoesNotMatch(@"Reporting\.|System\.|Microsoft\.|JsonElement|Nullable`|\bInt32\b|\bDouble\b|\bString\b", body);
        Assert.Equal("nosniff", response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) ? sniff.Single() : null);
        Assert.Equal(before, await data.App.StoreFingerprintAsync());
        // A status the description does not declare would surprise every generated client.
        var declared = data.Description.Statuses(c.Method, c.Path);
        Assert.True(declared?.Contains(((int)response.StatusCode).ToString()) == true,
            $"{c.Name}: {c.Method} {c.Path} answered {(int)response.StatusCode}, which the API description does not declare ({string.Join(", ", declared ?? new HashSet<string>())})");
    }
}
