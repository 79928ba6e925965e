using System.Text.Json;
using Reporting.Tests.Reports;

namespace Reporting.Tests.Infrastructure.ApiContract;

/// <summary>
/// The OpenAPI description the published handler serves, as API tooling judges it: Redocly's recommended rules and
/// Spectral's spectral:oas pass with no errors and no warnings, and it says what generators need to produce working
/// clients (security, operation ids, every status with its problem type, headers, strict types, files as binary).
/// </summary>
[Trait("Tier", "Full")]
public sealed class ApiDescriptionTests(PublishedHandler handler) : IClassFixture<PublishedHandler>, IAsyncLifetime
{
    private string file = "";
    private JsonElement doc;

    public async Task InitializeAsync()
    {
        using var http = new HttpClient();
        var json = await http.GetStringAsync(handler.BaseUrl + "/api/openapi.json");
        file = Path.Combine(Path.GetTempPath(), $"reporting-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        doc = JsonDocument.Parse(json).RootElement;
    }

    public Task DisposeAsync()
    {
        File.Delete(file);
        return Task.CompletedTask;
    }

    private static readonly Dictionary<string, string> Quiet = new()
    {
        ["REDOCLY_TELEMETRY"] = "off",
        ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true",
        ["NO_COLOR"] = "1",
    };

    [Fact]
    public void Redocly_RecommendedRules_FindNoErrorsAndNoWarnings()
    {
        var (exit, output, error) = Tool.RunWith(Repo.Path_("node_modules", ".bin", "redocly"), Quiet,
            "lint", file, "--config", Repo.Path_("redocly.yaml"), "--format=json");
        var report = JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement;
        var problems = report.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("severity").GetString()} {p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()} at {p.GetProperty("location")[0].GetProperty("pointer").GetString()}")
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems) + error);
        Assert.Equal(0, exit);
    }

    [Fact]
    public void Spectral_OasRules_FindNoErrorsAndNoWarnings()
    {
        var (exit, output, error) = Tool.RunWith(Repo.Path_("node_modules", ".bin", "spectral"), Quiet,
            "lint", file, "--ruleset", Repo.Path_(".spectral.yaml"), "--format", "json", "--fail-severity", "hint");
        // The JSON report, then (when there is nothing to report) a line of text: read the first JSON value only.
        var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(output[output.IndexOf('[')..]));
        var results = JsonElement.ParseValue(ref reader).EnumerateArray()
            .Select(r => $"{r.GetProperty("code").GetString()}: {r.GetProperty("message").GetString()} at {string.Join('.', r.GetProperty("path").EnumerateArray())}")
            .ToList();
        Assert.True(results.Count == 0, string.Join("\n", results) + error);
        Assert.Equal(0, exit);
    }

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));

    private JsonElement Operation(string path, string method) => doc.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static HashSet<string> Statuses(JsonElement operation) =>
        operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();

    [Fact]
    public void IsOpenApi30_WhichEveryClientGeneratorReads()
    {
        Assert.StartsWith("3.0.", doc.GetProperty("openapi").GetString());
    }

    [Fact]
    public void EveryOperation_IsNamedAndSummarised_AndEveryProtectedOneNeedsAnEntraToken_WithItsRolesListed()
    {
        var ids = new List<string>();
        foreach (var (path, method, operation) in Operations())
        {
            ids.Add(operation.GetProperty("operationId").GetString()!);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path}");
            var security = operation.GetProperty("security");
            var statuses = Statuses(operation);
            if (path.StartsWith("/api/health", StringComparison.Ordinal))
            {
                Assert.Equal(0, security.GetArrayLength());
                Assert.DoesNotContain("401", statuses);
                continue;
            }
            Assert.Contains(security.EnumerateArray(), r => r.TryGetProperty("entraId", out _));
            Assert.Contains(security.EnumerateArray(), r => r.TryGetProperty("bearer", out _));
            Assert.True(operation.GetProperty("x-roles").GetArrayLength() > 0, $"{method} {path}");
            Assert.Contains("**Roles:**", operation.GetProperty("description").GetString());
            foreach (var status in new[] { "401", "403", "429", "503" }) Assert.Contains(status, statuses);
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var entra = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("entraId");
        Assert.Equal("oauth2", entra.GetProperty("type").GetString());
        var flow = entra.GetProperty("flows").GetProperty("clientCredentials");
        Assert.EndsWith("/oauth2/v2.0/token", flow.GetProperty("tokenUrl").GetString());
        Assert.True(flow.GetProperty("scopes").TryGetProperty("api://reporting-tests/.default", out _));
    }

    [Fact]
    public void EveryErrorStatus_IsAProblemJson_WithTheValidationShapeFor400()
    {
        foreach (var (path, method, operation) in Operations())
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                if (path == "/api/health/ready" && response.Name == "503") continue; // the readiness report itself
                var content = response.Value.GetProperty("content").EnumerateObject().ToList();
                Assert.Equal(["application/problem+json"], content.Select(c => c.Name));
                var schema = content[0].Value.GetProperty("schema").GetProperty("$ref").GetString();
                Assert.Equal(response.Name == "400" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails", schema);
            }
        }
    }

    [Fact]
    public void NumbersAreNumbers_EnumsAreStrings_YearsAreIntegers_AndFlagsAreBooleans()
    {
        foreach (var (name, schema) in doc.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => (s.Name, s.Value)))
        {
            if (schema.TryGetProperty("enum", out _)) Assert.Equal("string", schema.GetProperty("type").GetString());
            foreach (var property in schema.TryGetProperty("properties", out var properties) ? properties.EnumerateObject() : [])
            {
                // The serializer's "number or string" (AllowReadingFromString) would show as a pattern on a number.
                if (property.Value.TryGetProperty("type", out var type) && type.GetString() is "integer" or "number")
                {
                    Assert.False(property.Value.TryGetProperty("pattern", out _), $"{name}.{property.Name}");
                }
                Assert.False(property.Value.TryGetProperty("oneOf", out _), $"{name}.{property.Name}: oneOf");
            }
        }
        foreach (var (path, method, operation) in Operations())
        {
            foreach (var parameter in operation.TryGetProperty("parameters", out var parameters) ? parameters.EnumerateArray() : [])
            {
                var expected = parameter.GetProperty("name").GetString() switch
                {
                    "year" or "fiscalYear" => "integer",
                    "history" or "dryRun" => "boolean",
                    _ => "string",
                };
                Assert.Equal(expected, parameter.GetProperty("schema").GetProperty("type").GetString());
            }
        }
        var submit = doc.GetProperty("components").GetProperty("schemas").GetProperty("SubmitValueRequest");
        Assert.Equal(["value"], submit.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("number", submit.GetProperty("properties").GetProperty("value").GetProperty("type").GetString());
        // A member the API never writes as null is absent rather than null: not required.
        var value = doc.GetProperty("components").GetProperty("schemas").GetProperty("IndicatorValue");
        Assert.DoesNotContain("note", value.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public void SubmittingAValue_DeclaresItsBody_ItsPreconditions_EveryStatus_AndTheETag()
    {
        var put = Operation("/api/indicators/{id}/values/{year}", "put");
        Assert.Equal("#/components/schemas/SubmitValueRequest",
            put.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var headers = put.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString());
        Assert.Equal(["If-Match", "If-None-Match"], headers);
        Assert.Equal(["200", "201", "400", "401", "403", "404", "409", "412", "413", "429", "503"], Statuses(put).Order(StringComparer.Ordinal));
        foreach (var status in new[] { "200", "201" })
        {
            var response = put.GetProperty("responses").GetProperty(status);
            Assert.True(response.GetProperty("headers").TryGetProperty("ETag", out _), status);
            Assert.Equal("#/components/schemas/IndicatorValue", response.GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        }
        Assert.True(put.GetProperty("responses").GetProperty("201").GetProperty("headers").TryGetProperty("Location", out _));
        Assert.True(Operation("/api/indicators/{id}/target", "put").GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public void FilesAreBinary_AndEachImportContentTypeIsItsOwnOperation()
    {
        var download = Operation("/api/reports/{fiscalYear}", "get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.Equal(["application/pdf", "text/html", "text/csv", "application/json"], download.EnumerateObject().Select(c => c.Name));
        Assert.All(download.EnumerateObject(), c => Assert.Equal("binary", c.Value.GetProperty("schema").GetProperty("format").GetString()));

        var csv = Operation("/api/imports", "post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["text/csv"], csv.EnumerateObject().Select(c => c.Name));
        Assert.Equal("binary", csv.GetProperty("text/csv").GetProperty("schema").GetProperty("format").GetString());
        var rows = Operation("/api/imports/rows", "post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["application/json"], rows.EnumerateObject().Select(c => c.Name));
        Assert.Equal("#/components/schemas/ImportRowRequest", rows.GetProperty("application/json").GetProperty("schema").GetProperty("items").GetProperty("$ref").GetString());
        Assert.Contains("415", Statuses(Operation("/api/imports", "post")));
    }
}
