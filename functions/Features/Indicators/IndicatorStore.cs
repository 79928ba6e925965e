using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>
/// The catalog in Table Storage. Partition <c>catalog</c> holds one entity per indicator (row key = its id) and, after
/// them (row keys from <c>~</c>), the audit trail of every administrative change — written in the same entity-group
/// transaction as the change itself, so no change is ever unaudited. Partition <c>agency</c> holds the agencies. Lists
/// (series, baselines) and the target are JSON properties because Table Storage has no nested types and they are always
/// read whole.
/// </summary>
public sealed class IndicatorStore(ReportingTables tables, TimeProvider clock)
{
    private const string Partition = "catalog";
    private const string AgencyPartition = "agency";

    /// <summary>Row keys of audit entries start here: after every indicator id ([a-z0-9-]).</summary>
    private const string ChangePrefix = "~";

    /// <summary>
    /// The catalog is read on every submission but changes a few times a year (an admin's target), so it is cached
    /// briefly. A change made on this instance is seen at once; other instances see it within this time.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private volatile CachedCatalog? cache;

    private sealed record CachedCatalog(IReadOnlyList<Indicator> Indicators, Dictionary<string, Indicator> ById,
        IReadOnlyList<Agency> Agencies, Dictionary<string, Agency> AgencyByCode, DateTimeOffset Until);

    private async Task<CachedCatalog> CatalogAsync(CancellationToken cancellationToken)
    {
        var current = cache;
        if (current is not null && clock.GetUtcNow() < current.Until) return current;
        var indicators = new List<Indicator>();
        await foreach (var entity in tables.Indicators.QueryAsync<TableEntity>(IndicatorFilter, cancellationToken: cancellationToken))
        {
            indicators.Add(FromEntity(entity));
        }
        var agencies = new List<Agency>();
        await foreach (var entity in tables.Indicators.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {AgencyPartition}"), cancellationToken: cancellationToken))
        {
            agencies.Add(new Agency(entity.RowKey, entity.GetString("Name")));
        }
        var sorted = indicators.OrderBy(i => i.Order).ToList();
        var sortedAgencies = agencies.OrderBy(a => a.Code, StringComparer.Ordinal).ToList();
        current = new CachedCatalog(sorted, sorted.ToDictionary(i => i.Id, StringComparer.Ordinal),
            sortedAgencies, sortedAgencies.ToDictionary(a => a.Code, StringComparer.OrdinalIgnoreCase), clock.GetUtcNow() + CacheFor);
        cache = current;
        return current;
    }

    private static readonly string IndicatorFilter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey lt {ChangePrefix}");

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

    public async Task<IReadOnlyList<Agency>> ListAgenciesAsync(CancellationToken cancellationToken = default) =>
        (await CatalogAsync(cancellationToken)).Agencies;

    /// <summary>A registered agency by its code (any letter case), or null.</summary>
    public async Task<Agency?> FindAgencyAsync(string? code, CancellationToken cancellationToken = default) =>
        code is null ? null : (await CatalogAsync(cancellationToken)).AgencyByCode.GetValueOrDefault(code);

    /// <summary>Ids are lowercase kebab-case; anything else cannot be a catalog key, so it is never sent to storage.</summary>
    public static bool IsWellFormedId(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>What an agency code must be, as a refusal says it.</summary>
    public static readonly Message AgencyCodeRule = new("must be 1 to 16 upper-case letters or digits, as in the app role agency.{code} (e.g. DIGITAL).",
        "府省コードは英大文字または数字1〜16文字で入力してください（アプリロール agency.{コード} と同じ。例: DIGITAL）。");

    /// <summary>Agency codes are what app roles carry after "agency.": upper-case letters and digits.</summary>
    public static bool IsWellFormedAgencyCode(string code) =>
        code.Length is > 0 and <= 16 && code.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9'));

    /// <summary>
    /// Adds missing indicators and agencies, and refreshes definitions written by an older catalog version, keeping
    /// whatever an admin has set (target, name, agency, source) and every agency name. Safe to run on every start and
    /// from several instances at once.
    /// </summary>
    public async Task<int> SeedAsync(IEnumerable<Indicator> definitions, int version, IEnumerable<Agency>? agencies = null, CancellationToken cancellationToken = default)
    {
        // One query for what exists, then only the missing or outdated entities are written, in parallel.
        var existing = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var e in tables.Indicators.QueryAsync<TableEntity>(IndicatorFilter, cancellationToken: cancellationToken))
        {
            existing[e.RowKey] = e;
        }
        var writes = definitions.Select(async definition =>
        {
            if (!existing.TryGetValue(definition.Id, out var entity))
            {
                return await AddIfAbsentAsync(ToEntity(definition, version, new TableEntity()), cancellationToken);
            }
            if ((entity.GetInt32("CatalogVersion") ?? 0) >= version)
            {
                return 0;
            }
            var current = FromEntity(entity);
            var kept = definition with
            {
                Target = entity.GetString("TargetSetBy") is { Length: > 0 } ? current.Target : definition.Target,
                Name = entity.GetString("NameSetBy") is { Length: > 0 } ? current.Name : definition.Name,
                Agency = entity.GetString("AgencySetBy") is { Length: > 0 } ? current.Agency : definition.Agency,
                Source = entity.GetString("SourceSetBy") is { Length: > 0 } ? current.Source : definition.Source,
            };
            try
            {
                await tables.Indicators.UpdateEntityAsync(ToEntity(kept, version, entity), entity.ETag, TableUpdateMode.Replace, cancellationToken);
                return 1;
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.UpdateConditionNotSatisfied)
            {
                return 0; // another instance refreshed it (or an admin changed it) meanwhile: its write stands
            }
        }).ToList();
        var agencyWrites = (agencies ?? []).Select(a => AddIfAbsentAsync(new TableEntity(AgencyPartition, a.Code) { ["Name"] = a.Name }, cancellationToken));
        var changed = (await Task.WhenAll(writes)).Sum();
        await Task.WhenAll(agencyWrites);
        Invalidate();
        return changed;
    }

    private async Task<int> AddIfAbsentAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Indicators.AddEntityAsync(entity, cancellationToken);
            return 1;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            return 0; // another instance seeded it first, or an admin already changed it: keep what is there
        }
    }

    /// <summary>Adds an agency or renames one; returns it. Renaming changes how every report printed from now on names it.</summary>
    public async Task<Agency> SetAgencyAsync(Agency agency, string setBy, CancellationToken cancellationToken = default)
    {
        await tables.Indicators.UpsertEntityAsync(new TableEntity(AgencyPartition, agency.Code)
        {
            ["Name"] = agency.Name,
            ["SetBy"] = setBy,
            ["SetAt"] = clock.GetUtcNow(),
        }, TableUpdateMode.Replace, cancellationToken);
        Invalidate();
        return agency;
    }

    /// <summary>What became of a change of the catalog: the indicator as written (null when there is none), or that another change came first.</summary>
    public sealed record CatalogWrite(Indicator? Indicator, bool ChangedMeanwhile = false);

    /// <summary>Replaces an indicator's target, audited with who, when and why.</summary>
    public Task<CatalogWrite> SetTargetAsync(string id, Target target, string setBy, string? reason = null, CancellationToken cancellationToken = default) =>
        ChangeAsync(id, current => current with { Target = target }, setBy, reason, cancellationToken);

    /// <summary>Corrects an indicator's name, agency or source note (nulls are left as they are), audited with a reason.</summary>
    public Task<CatalogWrite> CorrectAsync(string id, string? name, string? agency, string? source, string changedBy, string reason,
        CancellationToken cancellationToken = default) =>
        ChangeAsync(id, current => current with { Name = name ?? current.Name, Agency = agency ?? current.Agency, Source = source ?? current.Source },
            changedBy, reason, cancellationToken);

    /// <summary>
    /// Applies <paramref name="change"/> to the stored indicator and writes it with one audit entry per changed field, in
    /// one transaction conditional on the entity's ETag: of two concurrent admin edits, one is written and the other is
    /// answered as changed meanwhile (never interleaved, never half-audited). A change that changes nothing writes nothing.
    /// </summary>
    private async Task<CatalogWrite> ChangeAsync(string id, Func<Indicator, Indicator> change, string by, string? reason, CancellationToken cancellationToken)
    {
        var existing = await tables.Indicators.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        if (!existing.HasValue)
        {
            return new CatalogWrite(null);
        }
        var entity = existing.Value!;
        var current = FromEntity(entity);
        var updated = change(current);
        var now = clock.GetUtcNow();
        var changes = Diff(current, updated).Select(d => new CatalogChange(id, d.Field, d.Old, d.New, by, now, reason)).ToList();
        if (changes.Count == 0)
        {
            return new CatalogWrite(current);
        }
        var replacement = ToEntity(updated, entity.GetInt32("CatalogVersion") ?? 0, entity);
        foreach (var c in changes)
        {
            replacement[$"{c.Field}SetBy"] = by;
            replacement[$"{c.Field}SetAt"] = now;
        }
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, replacement, entity.ETag) };
        var writeId = Guid.NewGuid().ToString("N")[..8];
        actions.AddRange(changes.Select((c, n) => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(Partition,
            $"{ChangePrefix}{id}|{now.UtcTicks:D19}|{writeId}|{n}")
        {
            ["IndicatorId"] = c.IndicatorId, ["Field"] = c.Field.ToString(), ["OldValue"] = c.OldValue, ["NewValue"] = c.NewValue,
            ["ChangedBy"] = c.ChangedBy, ["ChangedAt"] = c.ChangedAt, ["Reason"] = c.Reason,
        })));
        try
        {
            await tables.Indicators.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.UpdateConditionNotSatisfied)
        {
            return new CatalogWrite(null, ChangedMeanwhile: true);
        }
        Invalidate();
        return new CatalogWrite(updated);
    }

    private static IEnumerable<(CatalogField Field, string? Old, string New)> Diff(Indicator before, Indicator after)
    {
        if (before.Name != after.Name) yield return (CatalogField.Name, before.Name, after.Name);
        if (before.Agency != after.Agency) yield return (CatalogField.Agency, before.Agency, after.Agency);
        if (before.Source != after.Source) yield return (CatalogField.Source, before.Source, after.Source);
        if (before.Target != after.Target) yield return (CatalogField.Target, before.Target.Label, after.Target.Label);
    }

    /// <summary>Every audited change of the catalog (or of one indicator), oldest first.</summary>
    public async Task<IReadOnlyList<CatalogChange>> ChangesAsync(string? indicatorId = null, CancellationToken cancellationToken = default)
    {
        var from = ChangePrefix + (indicatorId is null ? "" : indicatorId + "|");
        var to = indicatorId is null ? ChangePrefix + "\uffff" : ChangePrefix + indicatorId + "}";
        var list = new List<CatalogChange>();
        await foreach (var e in tables.Indicators.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {from} and RowKey lt {to}"), cancellationToken: cancellationToken))
        {
            list.Add(new CatalogChange(e.GetString("IndicatorId"), Enum.TryParse<CatalogField>(e.GetString("Field"), out var f) ? f : CatalogField.Name,
                e.GetString("OldValue"), e.GetString("NewValue") ?? "", e.GetString("ChangedBy") ?? "", e.GetDateTimeOffset("ChangedAt") ?? default,
                e.GetString("Reason")));
        }
        return list.OrderBy(c => c.ChangedAt).ThenBy(c => c.IndicatorId, StringComparer.Ordinal).ThenBy(c => c.Field).ToList();
    }

    /// <summary>The entity of <paramref name="i"/>; audit marks (who set what) are carried over from <paramref name="previous"/>.</summary>
    private static TableEntity ToEntity(Indicator i, int version, TableEntity previous)
    {
        var entity = new TableEntity(Partition, i.Id)
        {
            ["Order"] = i.Order,
            ["Group"] = i.Group.ToString(),
            ["Name"] = i.Name,
            ["Unit"] = i.Unit,
            ["ValueKind"] = i.ValueKind.ToString(),
            ["Direction"] = i.Direction.ToString(),
            ["YearType"] = i.YearType.ToString(),
            ["Series"] = JsonSerializer.Serialize(i.Series.ToList(), Json.Info<List<Series>>()),
            ["Baseline"] = JsonSerializer.Serialize(i.Baseline.ToList(), Json.Info<List<Baseline>>()),
            ["Target"] = JsonSerializer.Serialize(i.Target, Json.Info<Target>()),
            ["Agency"] = i.Agency,
            ["Source"] = i.Source,
            ["Decimals"] = i.Decimals,
            ["Maximum"] = i.Maximum,
            ["ReferencePeriod"] = JsonSerializer.Serialize(i.Period, Json.Info<ReferencePeriod>()),
            ["CatalogVersion"] = version,
        };
        foreach (var field in Enum.GetValues<CatalogField>())
        {
            if (previous.GetString($"{field}SetBy") is { } by) entity[$"{field}SetBy"] = by;
            if (previous.GetDateTimeOffset($"{field}SetAt") is { } at) entity[$"{field}SetAt"] = at;
        }
        return entity;
    }

    private static Indicator FromEntity(TableEntity e)
    {
        // An entity written before the catalog had precision and bounds takes them from the plan until it is re-seeded.
        var plan = PlanCatalog.Indicators.FirstOrDefault(i => i.Id == e.RowKey);
        return new Indicator(
            e.RowKey,
            e.GetInt32("Order") ?? 0,
            Enum.Parse<IndicatorGroup>(e.GetString("Group")),
            e.GetString("Name"),
            e.GetString("Unit"),
            Enum.Parse<ValueKind>(e.GetString("ValueKind")),
            Enum.Parse<Direction>(e.GetString("Direction")),
            Enum.Parse<YearType>(e.GetString("YearType")),
            JsonSerializer.Deserialize(e.GetString("Series"), Json.Info<List<Series>>())!,
            JsonSerializer.Deserialize(e.GetString("Baseline"), Json.Info<List<Baseline>>())!,
            JsonSerializer.Deserialize(e.GetString("Target"), Json.Info<Target>())!,
            e.GetString("Agency"),
            e.GetString("Source"),
            e.GetInt32("Decimals") ?? plan?.Decimals ?? 3,
            e.GetDouble("Maximum") ?? plan?.Maximum ?? Submissions.ValueRules.MaxMagnitude,
            // Written before reference periods were stated: the plan's, until the catalog is re-seeded.
            e.GetString("ReferencePeriod") is { Length: > 0 } period ? JsonSerializer.Deserialize(period, Json.Info<ReferencePeriod>()) : plan?.Reference);
    }
}

/// <summary>Seeds the plan's catalog and agencies when the app starts (after the tables exist).</summary>
internal sealed class CatalogSeeder(IndicatorStore store, ILogger<CatalogSeeder> logger) : Hosting.IStartupTask
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var changed = await store.SeedAsync(PlanCatalog.Indicators, PlanCatalog.Version, PlanCatalog.Agencies, cancellationToken);
        logger.LogInformation("Indicator catalog version {Version}: {Changed} of {Count} indicators added or updated", PlanCatalog.Version, changed, PlanCatalog.Indicators.Count);
    }
}
