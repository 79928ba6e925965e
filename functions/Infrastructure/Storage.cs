using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace Reporting.Infrastructure;

/// <summary>
/// Where the data lives. Locally a connection string (Azurite); in Azure an account name and the app's managed identity,
/// so no key is ever configured.
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public string? ConnectionString { get; set; }

    /// <summary>Storage account name for identity-based access (Azure).</summary>
    public string? AccountName { get; set; }

    /// <summary>Client id of a user-assigned managed identity; empty for the system-assigned one.</summary>
    public string? ClientId { get; set; }

    /// <summary>Prefix for table names; lets tests and environments share one account without colliding.</summary>
    public string TablePrefix { get; set; } = "";

    public string ReportsContainer { get; set; } = "reports";

    public string IndicatorsTable => TablePrefix + "Indicators";
    public string ValuesTable => TablePrefix + "IndicatorValues";
    public string ControlsTable => TablePrefix + "Controls";
    public string RateLimitsTable => TablePrefix + "RateLimits";
}

/// <summary>An extra policy in the storage clients' HTTP pipeline (per call or per retry).</summary>
public sealed record StoragePolicy(HttpPipelinePolicy Policy, HttpPipelinePosition Position = HttpPipelinePosition.PerRetry);

/// <summary>Tables of the app, registered once as singletons (the SDK clients are thread-safe).</summary>
public sealed record ReportingTables(TableClient Indicators, TableClient Values, TableClient Controls, TableClient RateLimits)
{
    public IReadOnlyList<TableClient> All => [Indicators, Values, Controls, RateLimits];
}

public static class StorageRegistration
{
    // Every entity is read as a TableEntity, which the SDK creates with Activator.CreateInstance<T>(): the native
    // build must keep its constructors, which nothing else in the app references.
    [System.Diagnostics.CodeAnalysis.DynamicDependency(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.All, typeof(TableEntity))]
    public static IServiceCollection AddReportingStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.Section));
        var options = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();

        // Transient faults (timeouts, 503 from a busy account) are retried by the SDK with exponential back-off.
        static void Retry(ClientOptions o)
        {
            o.Retry.Mode = RetryMode.Exponential;
            o.Retry.MaxRetries = 5;
            o.Retry.Delay = TimeSpan.FromMilliseconds(200);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(5);
            o.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        }

        // Policies registered as StoragePolicy join the SDK's pipeline (the tests hold or fail requests with them).
        static T With<T>(T clientOptions, IServiceProvider sp) where T : ClientOptions
        {
            Retry(clientOptions);
            foreach (var p in sp.GetServices<StoragePolicy>()) clientOptions.AddPolicy(p.Policy, p.Position);
            return clientOptions;
        }

        // Clients are built on first use (factories), not while the host starts: their construction is costly to JIT.
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            services.AddSingleton(sp => new TableServiceClient(options.ConnectionString, With(new TableClientOptions(), sp)));
            services.AddSingleton(sp => new BlobServiceClient(options.ConnectionString, With(new BlobClientOptions(), sp)));
        }
        else if (!string.IsNullOrWhiteSpace(options.AccountName))
        {
            services.AddSingleton<TokenCredential>(_ => string.IsNullOrWhiteSpace(options.ClientId)
                ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ClientId)));
            services.AddSingleton(sp => new TableServiceClient(new Uri($"https://{options.AccountName}.table.core.windows.net"), sp.GetRequiredService<TokenCredential>(), With(new TableClientOptions(), sp)));
            services.AddSingleton(sp => new BlobServiceClient(new Uri($"https://{options.AccountName}.blob.core.windows.net"), sp.GetRequiredService<TokenCredential>(), With(new BlobClientOptions(), sp)));
        }
        else
        {
            throw new InvalidOperationException(
                "Storage is not configured: set Storage__ConnectionString (Azurite, local) or Storage__AccountName (Azure, managed identity).");
        }

        services.AddSingleton(sp =>
        {
            var tables = sp.GetRequiredService<TableServiceClient>();
            return new ReportingTables(tables.GetTableClient(options.IndicatorsTable), tables.GetTableClient(options.ValuesTable),
                tables.GetTableClient(options.ControlsTable), tables.GetTableClient(options.RateLimitsTable));
        });
        services.AddSingleton(sp => sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(options.ReportsContainer));
        services.AddSingleton<Hosting.IStartupTask, StorageInitializer>();
        return services;
    }
}

/// <summary>Creates the tables and the private reports container before the app answers requests.</summary>
internal sealed class StorageInitializer(TableServiceClient service, ReportingTables tables, BlobContainerClient reports, ILogger<StorageInitializer> logger)
    : Hosting.IStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // The tables that exist are listed in one request and the others created: one round trip on a warm account
        // instead of one per table. Another instance creating one at the same time is expected.
        var names = tables.All.Select(t => t.Name).ToArray();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        var filter = string.Join(" or ", names.Select(n => TableServiceClient.CreateQueryFilter($"TableName eq {n}")));
        await foreach (var table in service.QueryAsync(filter, cancellationToken: cancellationToken)) existing.Add(table.Name);
        foreach (var name in names.Where(n => !existing.Contains(n)))
        {
            try
            {
                await service.CreateTableAsync(name, cancellationToken);
            }
            catch (Azure.RequestFailedException ex) when (ex.ErrorCode == Azure.Data.Tables.Models.TableErrorCode.TableAlreadyExists)
            {
            }
        }
        // No public access: reports are downloaded through the API, which checks the caller's role.
        await reports.CreateIfNotExistsAsync(Azure.Storage.Blobs.Models.PublicAccessType.None, cancellationToken: cancellationToken);
        logger.LogInformation("Storage ready: tables {Indicators}, {Values}; container {Container}", tables.Indicators.Name, tables.Values.Name, reports.Name);
    }
}

public static class StorageFaults
{
    /// <summary>
    /// Storage could not be reached even after the SDK's retries: a 503 for the client to retry, not a 500. The SDK
    /// reports exhausted retries of transport failures as an AggregateException of the attempts.
    /// </summary>
    public static bool IsUnavailable(Exception ex) => ex switch
    {
        StorageInterruptedException => true,
        Azure.RequestFailedException { Status: 0 or >= 500 } => true,
        TimeoutException or IOException or HttpRequestException or System.Net.Sockets.SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsUnavailable),
        _ => false,
    };
}

/// <summary>
/// Storage went away in the middle of work committed in several steps (an import writes one transaction per
/// indicator): a 503 like any outage, which also says what was committed before it, what was not, and what was in
/// flight — storage may or may not have applied that one. <see cref="Progress"/> goes into the problem as it is.
/// </summary>
public sealed class StorageInterruptedException(string detail, IReadOnlyDictionary<string, object?> progress, Exception fault) : Exception(detail, fault)
{
    public IReadOnlyDictionary<string, object?> Progress { get; } = progress;
}
