using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Reporting.Hosting;
using Reporting.Infrastructure;

namespace Reporting.Features.Health;

public sealed record HealthResponse(string Status, string Mode, DateTimeOffset JapanTime, int CurrentFiscalYear);

/// <summary>Readiness: each check's name and status, never an exception or a storage message.</summary>
public sealed record ReadinessResponse(string Status, IReadOnlyDictionary<string, string> Checks, double DurationMs);

public static class HealthEndpoints
{
    /// <summary>
    /// Two anonymous routes. <c>/api/health</c> is liveness: the process answers, at no cost (what the Functions host and
    /// a load balancer poll). <c>/api/health/ready</c> is readiness: start-up has prepared storage, and tables and blobs
    /// answer now — 503 otherwise. Wire monitoring (an Application Insights availability test) to readiness.
    /// </summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/", (TimeProvider clock, HostMode mode) =>
                TypedResults.Ok(new HealthResponse("ok", mode.Name, JapanTime.Now(clock), JapanTime.CurrentFiscalYear(clock))))
            .Describe("GetHealth", "Liveness: the service answers",
                "Answers at no cost, whatever the state of storage: what the Functions host and a load balancer poll. Also tells the time in Japan and the current fiscal year (年度).");
        group.MapGet("/ready", Ready)
            .Describe("GetReadiness", "Readiness: storage is prepared and answers",
                "200 when start-up has prepared storage and a table read and a blob call succeed within 5 s; 503 otherwise, naming only which check failed. Point monitoring here.");
        return app;
    }

    internal static async Task<Results<Ok<ReadinessResponse>, JsonHttpResult<ReadinessResponse>>> Ready(HealthCheckService health, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken);
        var body = new ReadinessResponse(report.Status.ToString().ToLowerInvariant(),
            report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString().ToLowerInvariant()), Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(body)
            : TypedResults.Json(body, Json.Info<ReadinessResponse>(), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StartupCheck>("startup")
            .AddCheck<TablesCheck>("tables")
            .AddCheck<BlobsCheck>("blobs");
        return services;
    }
}

/// <summary>Start-up has created the tables and the container and seeded the catalog.</summary>
internal sealed class StartupCheck(StartupGate gate) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(gate.Ready.IsCompletedSuccessfully ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("starting"));
}

/// <summary>
/// One point read of the catalog: storage answers and the identity may read it. Bounded to a few seconds, whatever the
/// SDK's retry policy would do, so a monitor learns of an outage quickly.
/// </summary>
internal sealed class TablesCheck(ReportingTables tables) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadinessProbe.Timeout);
        return await ReadinessProbe.Run(() => tables.Indicators.GetEntityIfExistsAsync<TableEntity>("catalog", "top10-papers-rank", ["PartitionKey"], timeout.Token));
    }
}

internal sealed class BlobsCheck(BlobContainerClient reports) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadinessProbe.Timeout);
        return await ReadinessProbe.Run(async () =>
        {
            if (!(await reports.ExistsAsync(timeout.Token)).Value) throw new InvalidOperationException("The reports container does not exist.");
        });
    }
}

internal static class ReadinessProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<HealthCheckResult> Run(Func<Task> probe)
    {
        try
        {
            await probe();
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException or InvalidOperationException || StorageFaults.IsUnavailable(ex))
        {
            // The exception stays in the logs (the health check service logs it), not in the answer.
            return HealthCheckResult.Unhealthy("unavailable", ex);
        }
    }
}
