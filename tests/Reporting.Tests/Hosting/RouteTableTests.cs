using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Hosting;

public sealed class RouteTableTests : AppTest
{
    private HashSet<string> AppRoutes()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        return endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                .Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet();
    }

    private static string Normalize(string route) => "/" + route.Trim('/');

    [Fact]
    public void EveryHttpFunction_HasAnEndpoint_AndEveryApiEndpoint_HasAFunction()
    {
        var prefix = FunctionsLayout.HostJson.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString();
        var declared = FunctionsLayout.Functions()
            .Where(f => f.TriggerType == "httpTrigger")
            .SelectMany(f => f.Methods.Select(m => $"{m} {Normalize($"{prefix}/{f.Route}")}"))
            .ToHashSet();
        var served = AppRoutes().Where(r => r.Split(' ')[1].StartsWith("/api/", StringComparison.Ordinal)).ToHashSet();

        Assert.Empty(declared.Except(served));
        Assert.Empty(served.Except(declared));
        Assert.Contains("PUT /api/indicators/{id}/values/{year}", declared);
    }

    [Fact]
    public void EveryNonHttpFunction_IsServedAsPostByName()
    {
        var routes = AppRoutes();
        var others = FunctionsLayout.Functions().Where(f => f.TriggerType != "httpTrigger").ToList();
        Assert.Contains(others, f => f.Name == "AnnualReport");
        foreach (var function in others)
        {
            Assert.Contains($"POST /{function.Name}", routes);
        }
    }

    [Fact]
    public void AnnualReport_IsATimer_WhoseScheduleComesFromAnAppSetting()
    {
        var timer = FunctionsLayout.Functions().Single(f => f.Name == "AnnualReport");
        Assert.Equal("timerTrigger", timer.TriggerType);
        Assert.Equal("%AnnualReportSchedule%", timer.Trigger.GetProperty("schedule").GetString());
    }

    [Fact]
    public void HostJson_DeclaresTheCustomHandler_WithHttpProxying()
    {
        var handler = FunctionsLayout.HostJson.GetProperty("customHandler");
        Assert.Equal("bin/Reporting", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.True(handler.GetProperty("enableProxyingHttpRequest").GetBoolean());
    }
}
