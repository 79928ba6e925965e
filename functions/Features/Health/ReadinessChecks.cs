using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Reporting.Infrastructure;

namespace Reporting.Features.Health;

/// <summary>What readiness checks: start-up, a table read and a blob call, each bounded to a few seconds.</summary>
public static class ReadinessChecks
{
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
internal sealed class StartupCheck(Hosting.StartupGate gate) : IHealthCheck
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
