using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Reporting.Infrastructure;

namespace Reporting.Features.Health;

public sealed record HealthResponse(string Status, string Mode, DateTimeOffset JapanTime, int CurrentFiscalYear);

/// <summary>Readiness: each check's name and status, never an exception or a storage message.</summary>
public sealed record ReadinessResponse(string Status, IReadOnlyDictionary<string, string> Checks, double DurationMs);

/// <summary>The names of the health functions: anonymous, never rate limited, answered before storage is ready.</summary>
public static class HealthFunctions
{
    public const string Liveness = "GetHealth";
    public const string Readiness = "GetReadiness";
}

/// <summary>
/// GET /api/health: liveness — the process answers, at no cost (what a platform and a load balancer poll), with the time
/// in Japan and the current fiscal year.
/// </summary>
public sealed class GetHealthFunction(TimeProvider clock)
{
    [Function(HealthFunctions.Liveness)]
    [AllowAnonymous, NotRateLimited]
    [Operation("Health", "Liveness: the service answers",
        Description = "Answers at no cost, whatever the state of storage: what the platform and a load balancer poll. Also tells the time in Japan and the current fiscal year (年度).")]
    [Returns<HealthResponse>]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request) =>
        TypedResults.Ok(new HealthResponse("ok", "functions-isolated-worker", JapanTime.Now(clock), JapanTime.CurrentFiscalYear(clock)));
}

/// <summary>
/// GET /api/health/ready: readiness — start-up has prepared storage, and tables and blobs answer now; 503 otherwise.
/// Wire monitoring (an Application Insights availability test) here.
/// </summary>
public sealed class GetReadinessFunction(HealthCheckService health)
{
    [Function(HealthFunctions.Readiness)]
    [AllowAnonymous, NotRateLimited]
    [Operation("Health", "Readiness: storage is prepared and answers",
        Description = "200 when start-up has prepared storage and a table read and a blob call succeed within 5 s; 503 otherwise, naming only which check failed. Point monitoring here.")]
    [Returns<ReadinessResponse>, Returns<ReadinessResponse>(StatusCodes.Status503ServiceUnavailable)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health/ready")] HttpRequest request)
    {
        var report = await health.CheckHealthAsync(request.HttpContext.RequestAborted);
        var body = new ReadinessResponse(report.Status.ToString().ToLowerInvariant(),
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant()), Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(body)
            : TypedResults.Json(body, Json.Info<ReadinessResponse>(), statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
