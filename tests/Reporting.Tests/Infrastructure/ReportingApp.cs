using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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
/// The app in-process against the shared Azurite, with its own tables and container (a unique prefix per instance),
/// the development issuer's test key, and a fake clock set to 2026-11-23 Japan time (fiscal year 2026).
/// </summary>
public sealed class ReportingApp(IReadOnlyDictionary<string, string>? settings = null, string? prefix = null, string? connectionString = null)
    : WebApplicationFactory<Program>
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

    /// <summary>Extra service registrations of a test (an exporter, a startup filter), applied after the app's own.</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:ConnectionString", ConnectionString);
        builder.UseSetting("Storage:TablePrefix", Prefix);
        builder.UseSetting("Storage:ReportsContainer", Container);
        builder.UseSetting("Auth:Issuer", Issuer);
        builder.UseSetting("Auth:Audience", Audience);
        builder.UseSetting("Auth:DevSigningKey", Convert.ToBase64String(Tokens.TestKey));
        builder.UseSetting("AnnualReportSchedule", "");
        // Short, so a publication's wait for every instance to see its lock (this cache time + margin) stays short in tests.
        builder.UseSetting("Submissions:ControlsCacheSeconds", "0.5");
        // Dozens of in-process apps: none of them needs its first report to be fast.
        builder.UseSetting("Report:WarmUpOnStart", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            TestServices?.Invoke(services);
        });
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
