using System.Net;
using System.Text.Json;
using Reporting.Infrastructure;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Hosting;

/// <summary>
/// The OpenAPI description is derived from the functions themselves: every HTTP function is an operation with its
/// route, method, name and policy, and nothing else is — a function added, renamed or re-routed without the description
/// following fails here.
/// </summary>
public sealed class OpenApiTests : AppTest
{
    private async Task<JsonElement> DocumentAsync()
    {
        var response = await app.As(null).GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    [Fact]
    public async Task EveryHttpFunction_IsAnOperation_WithItsRouteMethodNameAndRoles_AndNothingElseIs()
    {
        var doc = await DocumentAsync();
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var described = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (Key: $"{m.Name.ToUpperInvariant()} {p.Name}", Operation: m.Value)))
            .ToDictionary(o => o.Key, o => o.Operation);
        // The API's operations; the web interface's pages are not part of it.
        var functions = HttpOperation.All.Where(o => o.IsApi && o.Attribute<NotDescribedAttribute>() is null)
            .SelectMany(o => o.Methods.Select(m => (Key: $"{m} {o.Path}", Function: o)))
            .ToDictionary(f => f.Key, f => f.Function);
        Assert.Equal(functions.Keys.Order(StringComparer.Ordinal), described.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, function) in functions)
        {
            var operation = described[key];
            Assert.Equal(function.Name, operation.GetProperty("operationId").GetString());
            if (function.Attribute<RequiresAttribute>() is { } requires)
            {
                var roles = operation.GetProperty("x-roles").EnumerateArray().Select(r => r.GetString()!).ToList();
                Assert.Equal(Policies.Of(requires.Required).RoleValues, roles);
            }
            else
            {
                Assert.False(operation.TryGetProperty("x-roles", out _), key);
            }
        }
        // The description itself is served, not described.
        Assert.DoesNotContain(described.Keys, k => k.EndsWith("openapi.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnOperation_DeclaresItsBody_ItsStatuses_AndItsParameters_AsItsFunctionDoes()
    {
        var doc = await DocumentAsync();
        var put = doc.GetProperty("paths").GetProperty("/api/indicators/{id}/values/{year}").GetProperty("put");
        var statuses = put.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        foreach (var status in new[] { "200", "201", "400", "401", "403", "404", "409", "412", "429", "503" }) Assert.Contains(status, statuses);
        Assert.True(put.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var parameters = put.GetProperty("parameters").EnumerateArray().Select(p => (p.GetProperty("name").GetString(), p.GetProperty("in").GetString())).ToList();
        Assert.Equal([("id", "path"), ("year", "path"), ("If-Match", "header"), ("If-None-Match", "header")], parameters);
        var imports = doc.GetProperty("paths").GetProperty("/api/imports").GetProperty("post");
        Assert.Equal(["text/csv"], imports.GetProperty("requestBody").GetProperty("content").EnumerateObject().Select(c => c.Name));
        var values = doc.GetProperty("paths").GetProperty("/api/indicators/{id}/values").GetProperty("get");
        Assert.Contains(values.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "history" && p.GetProperty("schema").GetProperty("type").GetString() == "boolean");
    }

    [Fact]
    public async Task OpenApiDocument_IsReadableWithoutAToken_SoGeneratorsAndApiManagementImportItByUrl()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.As(null).GetAsync("/api/openapi.json")).StatusCode);
    }
}
