using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>
/// The catalog in Table Storage: one partition, one entity per indicator. Lists (series, baselines) and the target are
/// JSON properties because Table Storage has no nested types and they are always read whole.
/// </summary>
public sealed class IndicatorStore(ReportingTables tables, TimeProvider clock)
{
    private const string Partition = "catalog";

    /// <summary>
    /// The catalog is read on every submission but changes a few times a year (an admin's target), so it is cached
    /// briefly. A change made on this instance is seen at once; other instances see it within this time.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private volatile CachedCatalog? cache;

    private sealed record CachedCatalog(IReadOnlyList<Indicator> Indicators, Dictionary<string, Indicator> ById, DateTimeOffset Until);

    private async Task<CachedCatalog> CatalogAsync(CancellationToken cancellationToken)
    {
        var current = cache;
        if (current is not null && clock.GetUtcNow() < current.Until) return current;
        var list = new List<Indicator>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var entity in tables.Indicators.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            list.Add(FromEntity(entity));
        }
        var sorted = list.OrderBy(i => i.Order).ToList();
        current = new CachedCatalog(sorted, sorted.ToDictionary(i => i.Id, StringComparer.Ordinal), clock.GetUtcNow() + CacheFor);
        cache = current;
        return current;
    }

    private void Invalidate() => cache = null;

    public async Task<IReadOnlyList<Indicator>> ListAsync(CancellationToken cancellationToken = default) =>
        (await CatalogAsync(cancellationToken)).Indicators;

    public async Task<Indicator?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }
        return (await CatalogAsync(cancellationToken)).ById.GetValueOrDefault(id);
    }

    /// <summary>Ids are lowercase kebab-case; anything else cannot be a catalog key, so it is never sent to storage.</summary>
    public static bool IsWellFormedId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>
    /// Adds missing indicators and refreshes definitions written by an older catalog version, keeping any target an
    /// admin has set. Safe to run on every start and from several instances at once.
    /// </summary>
    public async Task<int> SeedAsync(IEnumerable<Indicator> definitions, int version, CancellationToken cancellationToken = default)
    {
        // One query for what exists, then only the missing or outdated entities are written, in parallel.
        var existing = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var e in tables.Indicators.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken: cancellationToken))
        {
            existing[e.RowKey] = e;
        }
        var writes = definitions.Select(async definition =>
        {
            if (!existing.TryGetValue(definition.Id, out var entity))
            {
                try
                {
                    await tables.Indicators.AddEntityAsync(ToEntity(definition, version, targetSetBy: null), cancellationToken);
                    return 1;
                }
                catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
                {
                    return 0; // another instance seeded it first: the same definition
                }
            }
            if ((entity.GetInt32("CatalogVersion") ?? 0) >= version)
            {
                return 0;
            }
            var keepTarget = entity.GetString("TargetSetBy") is { Length: > 0 };
            var current = FromEntity(entity);
            var updated = ToEntity(keepTarget ? definition with { Target = current.Target } : definition, version, entity.GetString("TargetSetBy"));
            await tables.Indicators.UpdateEntityAsync(updated, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            return 1;
        });
        var changed = (await Task.WhenAll(writes)).Sum();
        Invalidate();
        return changed;
    }

    /// <summary>Replaces an indicator's target; the ETag check makes concurrent admin edits fail rather than interleave.</summary>
    public async Task<Indicator?> SetTargetAsync(string id, Target target, string setBy, CancellationToken cancellationToken = default)
    {
        var existing = await tables.Indicators.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return null;
        }
        var entity = existing.Value!;
        var updated = FromEntity(entity) with { Target = target };
        var replacement = ToEntity(updated, entity.GetInt32("CatalogVersion") ?? 0, setBy);
        replacement["TargetSetAt"] = DateTimeOffset.UtcNow;
        await tables.Indicators.UpdateEntityAsync(replacement, entity.ETag, TableUpdateMode.Replace, cancellationToken);
        Invalidate();
        return updated;
    }

    private static TableEntity ToEntity(Indicator i, int version, string? targetSetBy) => new(Partition, i.Id)
    {
        ["Order"] = i.Order,
        ["Group"] = i.Group.ToString(),
        ["Name"] = i.Name,
        ["Unit"] = i.Unit,
        ["ValueKind"] = i.ValueKind.ToString(),
        ["Direction"] = i.Direction.ToString(),
        ["YearType"] = i.YearType.ToString(),
        ["Series"] = JsonSerializer.Serialize(i.Series, Json.Options),
        ["Baseline"] = JsonSerializer.Serialize(i.Baseline, Json.Options),
        ["Target"] = JsonSerializer.Serialize(i.Target, Json.Options),
        ["Agency"] = i.Agency,
        ["Source"] = i.Source,
        ["CatalogVersion"] = version,
        ["TargetSetBy"] = targetSetBy,
    };

    private static Indicator FromEntity(TableEntity e) => new(
        e.RowKey,
        e.GetInt32("Order") ?? 0,
        Enum.Parse<IndicatorGroup>(e.GetString("Group")),
        e.GetString("Name"),
        e.GetString("Unit"),
        Enum.Parse<ValueKind>(e.GetString("ValueKind")),
        Enum.Parse<Direction>(e.GetString("Direction")),
        Enum.Parse<YearType>(e.GetString("YearType")),
        JsonSerializer.Deserialize<List<Series>>(e.GetString("Series"), Json.Options)!,
        JsonSerializer.Deserialize<List<Baseline>>(e.GetString("Baseline"), Json.Options)!,
        JsonSerializer.Deserialize<Target>(e.GetString("Target"), Json.Options)!,
        e.GetString("Agency"),
        e.GetString("Source"));
}

/// <summary>Seeds the plan's catalog when the app starts (after the tables exist).</summary>
internal sealed class CatalogSeeder(IndicatorStore store, ILogger<CatalogSeeder> logger) : Hosting.IStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var changed = await store.SeedAsync(PlanCatalog.Indicators, PlanCatalog.Version, cancellationToken);
        logger.LogInformation("Indicator catalog version {Version}: {Changed} of {Count} indicators added or updated", PlanCatalog.Version, changed, PlanCatalog.Indicators.Count);
    }
}
