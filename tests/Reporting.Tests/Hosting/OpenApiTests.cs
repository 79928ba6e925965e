using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Hosting;

/// <summary>The OpenAPI document describes every API route of the route table, and nothing else.</summary>
public sealed class OpenApiTests : AppTest
{
    [Fact]
    public async Task OpenApiDocument_DescribesEveryRouteOfTheRouteTable_WithItsResponses()
    {
        var response = await app.AsAgency("MEXT").GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());

        var described = doc.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name.TrimEnd('/')}"))
            .ToHashSet();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) && !e.RoutePattern.RawText!.EndsWith("openapi.json"))
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => $"{m} /{e.RoutePattern.RawText!.Trim('/')}"))
            .ToHashSet();
        Assert.Empty(routes.Except(described));
        Assert.Empty(described.Except(routes));

        var put = doc.GetProperty("paths").GetProperty("/api/indicators/{id}/values/{year}").GetProperty("put");
        var statuses = put.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        foreach (var status in new[] { "400", "403", "404", "409", "412" }) Assert.Contains(status, statuses);
        Assert.True(put.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        var imports = doc.GetProperty("paths").GetProperty("/api/imports").GetProperty("post");
        Assert.True(imports.GetProperty("requestBody").GetProperty("content").TryGetProperty("text/csv", out _));
    }

    [Fact]
    public async Task OpenApiDocument_IsReadableWithoutAToken_SoGeneratorsAndApiManagementImportItByUrl()
    {
        Assert.Equal(HttpStatusCode.OK, (await app.As(null).GetAsync("/api/openapi.json")).StatusCode);
    }
}
