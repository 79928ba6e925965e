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
public sealed class IndicatorStore(ReportingTables tables)
{
    private const string Partition = "catalog";

    public async Task<IReadOnlyList<Indicator>> ListAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<Indicator>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var entity in tables.Indicators.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            result.Add(FromEntity(entity));
        }
        return result.OrderBy(i => i.Order).ToList();
    }

    public async Task<Indicator?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }
        var response = await tables.Indicators.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
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
        var changed = 0;
        foreach (var definition in definitions)
        {
            var existing = await tables.Indicators.GetEntityIfExistsAsync<TableEntity>(Partition, definition.Id, cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                try
                {
                    await tables.Indicators.AddEntityAsync(ToEntity(definition, version, targetSetBy: null), cancellationToken);
                    changed++;
                }
                catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
                {
                    // Another instance seeded it first: the same definition, nothing to do.
                }
                continue;
            }

            var entity = existing.Value!;
            if ((entity.GetInt32("CatalogVersion") ?? 0) >= version)
            {
                continue;
            }
            var keepTarget = entity.GetString("TargetSetBy") is { Length: > 0 };
            var current = FromEntity(entity);
            var updated = ToEntity(keepTarget ? definition with { Target = current.Target } : definition, version, entity.GetString("TargetSetBy"));
            await tables.Indicators.UpdateEntityAsync(updated, entity.ETag, TableUpdateMode.Replace, cancellationToken);
            changed++;
        }
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
internal sealed class CatalogSeeder(IndicatorStore store, ILogger<CatalogSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var changed = await store.SeedAsync(PlanCatalog.Indicators, PlanCatalog.Version, cancellationToken);
        logger.LogInformation("Indicator catalog version {Version}: {Changed} of {Count} indicators added or updated", PlanCatalog.Version, changed, PlanCatalog.Indicators.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
