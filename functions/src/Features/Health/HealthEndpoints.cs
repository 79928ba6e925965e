using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Infrastructure;

namespace Reporting.Features.Health;

public sealed record HealthResponse(string Status, string Mode, DateTimeOffset JapanTime, int CurrentFiscalYear);

public static class HealthEndpoints
{
    /// <summary>The one anonymous route: lets load balancers and the README's walk-through check the app is up.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", (TimeProvider clock, Hosting.HostMode mode) =>
            TypedResults.Ok(new HealthResponse("ok", mode.Name, JapanTime.Now(clock), JapanTime.CurrentFiscalYear(clock))))
            .AllowAnonymous();
        return app;
    }
}
