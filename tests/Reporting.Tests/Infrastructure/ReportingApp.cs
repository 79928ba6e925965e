using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using System.Net;
using FunctionsDevHost;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Reporting.Hosting;
using Reporting.Features.Reports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Reporting.Infrastructure;

namespace Reporting.Tests.Infrastructure;

internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void Init()
    {
        // Tests configure everything themselves: never pick up a developer's local.settings.json.
        Environment.SetEnvironmentVariable("REPORTING_LOCAL_SETTINGS", "/nonexistent/local.settings.json");
    }
}

/// <summary>
/// The app as the Functions host runs it, in the test process so that a test can replace its services: the real isolated
/// worker (built by the same <see cref="ReportingWorker.AddReporting"/> as Program.cs, with the ASP.NET Core
/// integration and every middleware) connected over gRPC to the repository's development host (<see cref="DevHost"/>),
/// which serves its HTTP triggers on a free loopback port exactly as it does for <c>scripts/run-local.sh</c>. Against the
/// shared Azurite, with its own tables and container (a unique prefix per instance), the development issuer's test key,
/// and a fake clock set to 2026-11-23 Japan time (fiscal year 2026). Started on first use.
/// </summary>
public sealed class ReportingApp(IReadOnlyDictionary<string, string>? settings = null, string? prefix = null, string? connectionString = null)
    : IDisposable, IAsyncDisposable
{
    public const string Issuer = "https://test.reporting.local/";
    public const string Audience = "api://reporting-tests";

    public static readonly DateTimeOffset Today = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(9));

    /// <summary>Tables and container of this app; two apps given the same prefix share storage, like two instances.</summary>
    public string Prefix { get; } = prefix ?? "t" + Guid.NewGuid().ToString("N")[..10];
    public string Container => Prefix + "-reports";
    public FakeTimeProvider Clock { get; } = new(Today);
    public Tokens Tokens { get; } = new(Issuer, Audience, Tokens.TestKey);
    public string ConnectionString => connectionString ?? Azurite.Instance.ConnectionString;

    /// <summary>Extra service registrations of a test (an exporter, a storage gate), applied after the app's own.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Whether the development host runs the timer on its schedule (by default tests run it themselves).</summary>
    public bool RunTimers { get; init; }

    /// <summary>The development host's clock (its timer's schedule), when a test drives it.</summary>
    public TimeProvider? HostClock { get; init; }

    /// <summary>Where the development host keeps the timer's schedule status between runs.</summary>
    public string? HostState { get; init; }

    private readonly SemaphoreSlim starting = new(1, 1);
    private Running? running;

    private sealed record Running(DevHost Host, IHost Worker, HttpMessageHandler Handler);

    /// <summary>The worker's services (its DI container), as the functions get them.</summary>
    public IServiceProvider Services => Start().Worker.Services;

    /// <summary>Where the development host serves the app: http://127.0.0.1:{port}.</summary>
    public Uri BaseAddress => Start().Host.BaseAddress;

    /// <summary>The development host serving this app (its timers are run by <see cref="RunTimerAsync"/>).</summary>
    public DevHost Host => Start().Host;

    /// <summary>Runs the AnnualReport timer as the host does on its schedule (past due: an occurrence that was missed).</summary>
    public Task<FunctionsDevHost.InvocationResult> RunTimerAsync(bool pastDue = false) => Start().Host.RunTimerAsync(AnnualReportFunction.Name, pastDue);

    public HttpClient CreateClient() => new(Start().Handler, disposeHandler: false) { BaseAddress = Start().Host.BaseAddress };

    private Running Start()
    {
        if (running is { } started) return started;
        starting.Wait();
        try
        {
            return running ??= StartAsync().GetAwaiter().GetResult();
        }
        finally
        {
            starting.Release();
        }
    }

    private async Task<Running> StartAsync()
    {
        InProcessWorkers.Prepare();
        var host = await DevHost.StartAsync(new DevHostOptions
        {
            AppDirectory = AppContext.BaseDirectory,
            Port = 0,
            StartWorker = false,
            RunTimers = RunTimers,
            Clock = HostClock ?? TimeProvider.System,
            StateDirectory = HostState,
            Settings = new Dictionary<string, string> { ["AnnualReportSchedule"] = "0 0 0 1 6 *" },
            Loggers = InProcessWorkers.Loggers,
        });
        try
        {
            var builder = FunctionsApplication.CreateBuilder([]);
            var configuration = new Dictionary<string, string?>
            {
                ["Functions:Worker:HostEndpoint"] = host.GrpcAddress.ToString(),
                ["Functions:Worker:WorkerId"] = host.WorkerId,
                ["Functions:Worker:RequestId"] = Guid.NewGuid().ToString(),
                ["Functions:Worker:GrpcMaxMessageLength"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Storage:ConnectionString"] = ConnectionString,
                ["Storage:TablePrefix"] = Prefix,
                ["Storage:ReportsContainer"] = Container,
                ["Auth:Issuer"] = Issuer,
                ["Auth:Audience"] = Audience,
                ["Auth:DevSigningKey"] = Convert.ToBase64String(Tokens.TestKey),
                ["AnnualReportSchedule"] = "0 0 0 1 6 *",
                // Short, so a publication's wait for every instance to see its lock (this cache time + margin) stays short in tests.
                ["Submissions:ControlsCacheSeconds"] = "0.5",
                // Dozens of in-process apps: none of them needs its first report to be fast.
                ["Report:WarmUpOnStart"] = "false",
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) configuration[key] = value;
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(InProcessWorkers.LogProvider);
            builder.AddReporting();
            // Each in-process worker serves its ASP.NET Core side on a port of its own, which the system chooses (the
            // worker's default is one port per process); the development host is told where once it listens.
            builder.Services.Configure<KestrelServerOptions>(o => o.Listen(IPAddress.Loopback, 0));
            builder.Services.RemoveAll<TimeProvider>();
            builder.Services.AddSingleton<TimeProvider>(Clock);
            TestServices?.Invoke(builder.Services);
            var worker = builder.Build();
            await worker.StartAsync();
            var server = worker.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.Single();
            host.WorkerListensAt(new Uri(server));
            await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
            return new Running(host, worker, new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        if (running is not { } started) return;
        running = null;
        started.Handler.Dispose();
        await started.Host.DisposeAsync();
        try
        {
            await started.Worker.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
        }
        if (started.Worker is IAsyncDisposable disposable) await disposable.DisposeAsync();
        else started.Worker.Dispose();
    }

    /// <summary>Waits until the app has prepared its storage (it answers before that, as under the Functions host).</summary>
    public Task ReadyAsync() => Services.GetRequiredService<Reporting.Hosting.StartupGate>().Ready;

    public HttpClient As(string? token)
    {
        var client = CreateClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public HttpClient AsAgency(string code) => As(Tokens.Agency(code));
    public HttpClient AsStaff() => As(Tokens.Staff());
    public HttpClient AsAdmin() => As(Tokens.Admin());

    public TableClient ValuesTable => new TableServiceClient(ConnectionString).GetTableClient(new StorageOptions { TablePrefix = Prefix }.ValuesTable);
    public TableClient IndicatorsTable => new TableServiceClient(ConnectionString).GetTableClient(new StorageOptions { TablePrefix = Prefix }.IndicatorsTable);
    public BlobContainerClient ReportsContainer => new BlobServiceClient(ConnectionString).GetBlobContainerClient(Container);

    /// <summary>
    /// Everything the app keeps — every entity of every table (with its ETag) and every blob — as one comparable text:
    /// what "the store is unchanged" is checked against.
    /// </summary>
    public async Task<string> StoreFingerprintAsync()
    {
        await ReadyAsync();
        var lines = new List<string>();
        foreach (var table in new[] { ValuesTable, IndicatorsTable, new TableServiceClient(ConnectionString).GetTableClient(new StorageOptions { TablePrefix = Prefix }.ControlsTable) })
        {
            await foreach (var e in table.QueryAsync<TableEntity>()) lines.Add($"{table.Name}|{e.PartitionKey}|{e.RowKey}|{e.ETag}");
        }
        await foreach (var blob in ReportsContainer.GetBlobsAsync()) lines.Add($"blob|{blob.Name}|{blob.Properties.ETag}");
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    /// <summary>Every revision of every value (not the years' guards beside them): what "nothing was stored" is checked against.</summary>
    public async Task<List<TableEntity>> AllValueEntitiesAsync()
    {
        await ReadyAsync();
        var list = new List<TableEntity>();
        await foreach (var e in ValuesTable.QueryAsync<TableEntity>()) if (e.RowKey.StartsWith("value|", StringComparison.Ordinal)) list.Add(e);
        return list;
    }
}
