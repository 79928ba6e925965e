using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Microsoft.Extensions.Options;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

public sealed class SubmissionOptions
{
    public const string Section = "Submissions";

    /// <summary>A value more than this many times (or less than 1/this) the previous year's is flagged for staff.</summary>
    public double OutlierFactor { get; set; } = 2.0;

    /// <summary>
    /// How long an instance reuses what it read of a year's submission window and lock. Publishing a report as final
    /// waits this long after locking before it checks the data, so every instance has seen the lock by then.
    /// </summary>
    public double ControlsCacheSeconds { get; set; } = 5;
}

/// <summary>
/// Submitted values in Table Storage, append-only: every accepted change is one immutable revision entity, and the
/// latest revision of a value is its current state. Partitioned by indicator, so all changes of one indicator — a
/// single PUT or all rows of an import — are one entity-group transaction: written together or not at all.
/// Row key <c>value|{series}|{year:D4}|{999999 − revision:D6}</c>: the newest revision sorts first, so the current
/// value is a one-row range read; and inserting revision n+1 is itself the concurrency check — of two writers building
/// on revision n, storage lets exactly one insert n+1.
/// <para>Each year of an indicator has a guard entity (<c>year|{year:D4}</c>, <see cref="YearGuard"/>) in the same
/// partition. A write updates the guards of its years in its transaction, conditional on the ETags it read; a
/// publication locks a year by updating the guards. So a write that read the year as open and is still in flight when
/// the year is locked fails at storage, is planned again on what storage holds, and is refused — it cannot land after
/// the lock. A submission costs one transaction of two operations and no read when this instance already knows the
/// value's latest revision and the guard (<see cref="LatestValues"/>).</para>
/// This class does I/O, retries and caching; what a write does is decided by <see cref="RevisionPlanner"/>.
/// </summary>
public sealed class ValueStore(ReportingTables tables, LatestValues latest, IOptions<SubmissionOptions> options, ILogger<ValueStore> logger)
{
    private const string Prefix = "value|";
    private const string GuardPrefix = "year|";
    private const int MaxAttempts = 16;

    /// <summary>The inverted revision in the row key has six digits.</summary>
    public const int MaxRevision = RevisionPlanner.MaxRevision;

    /// <summary>Table Storage allows 100 operations per transaction: each changed value is one, and each year's guard one.</summary>
    public const int MaxActionsPerTransaction = 100;

    /// <summary>Whether <paramref name="changes"/> changed values over <paramref name="years"/> years fit in one transaction.</summary>
    public static bool FitsOneTransaction(int changes, int years) => changes + years <= MaxActionsPerTransaction;

    /// <summary>
    /// Applies <paramref name="writes"/> (distinct series/year pairs of one indicator) atomically, or answers why not: a
    /// failed precondition (nothing written), a locked year, more changes than one transaction holds, or contention that
    /// did not settle. Writes identical to the stored value are unchanged, not revisions. A concurrent change is retried
    /// on the new state.
    /// </summary>
    public async Task<IReadOnlyList<Result<WriteOutcome>>> WriteAsync(string indicatorId, IReadOnlyList<ValueWrite> writes, Submitter submitter,
        DateTimeOffset now, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        if (dryRun) return await WriteUnsynchronisedAsync(indicatorId, writes, submitter, now, dryRun, cancellationToken);
        // Writes of one year of one indicator update the same guard: within this instance they take turns instead of
        // failing each other's ETag condition (a writer that must re-read after every conflict would otherwise starve
        // behind one that need not). Years are taken in order, so two batches never wait for each other in a circle.
        var gates = writes.Select(w => w.Year).Distinct().Order().Select(y => writing.GetOrAdd((indicatorId, y), _ => new SemaphoreSlim(1, 1))).ToList();
        var taken = 0;
        try
        {
            foreach (var gate in gates)
            {
                await gate.WaitAsync(cancellationToken);
                taken++;
            }
            return await WriteUnsynchronisedAsync(indicatorId, writes, submitter, now, dryRun, cancellationToken);
        }
        finally
        {
            foreach (var gate in gates.Take(taken)) gate.Release();
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Indicator, int Year), SemaphoreSlim> writing = new();

    private async Task<IReadOnlyList<Result<WriteOutcome>>> WriteUnsynchronisedAsync(string indicatorId, IReadOnlyList<ValueWrite> writes, Submitter submitter,
        DateTimeOffset now, bool dryRun, CancellationToken cancellationToken)
    {
        // Each value and the year before it (for the outlier flag), and the guard of each year written.
        var keys = writes.SelectMany(w => new[] { (w.Series, w.Year), (w.Series, w.Year - 1) }).Distinct().ToList();
        var years = writes.Select(w => w.Year).Distinct().ToList();
        // Keys whose state must come from storage, not from what this instance last saw: all of them for a dry run,
        // whose answer is a prediction of what storage would do.
        var mustRead = dryRun ? keys.ToHashSet() : [];
        var mustReadYears = dryRun ? years.ToHashSet() : [];
        for (var attempt = 1; ; attempt++)
        {
            var (values, guards) = await StateAsync(indicatorId, keys, years, mustRead, mustReadYears, cancellationToken);
            var decision = RevisionPlanner.Plan(indicatorId, writes, values, guards, submitter, now, options.Value.OutlierFactor);
            if (decision.NeedsRead)
            {
                // Not writing is only decided on what storage says now: a cached state may be behind another instance's write.
                mustRead.UnionWith(decision.DoubtfulValues);
                mustReadYears.UnionWith(decision.DoubtfulYears);
                attempt--;
                continue;
            }
            if (decision.Refusal is { } refusal) return All(refusal);
            var plan = decision.Plan!;
            if (!FitsOneTransaction(plan.Revisions.Count, plan.Years.Count))
            {
                return All(new Refusal(RefusalKind.TooLarge, new("Too many changes for one transaction", "一度に変更できる件数を超えています"),
                    new($"more than {MaxActionsPerTransaction} changed values and years of {indicatorId} cannot be written together atomically: split them over several imports.",
                        $"指標 {indicatorId} の変更が多すぎて一度に保存できません（上限 {MaxActionsPerTransaction} 件）。ファイルを分けて取り込んでください。"),
                    Field: "indicator"));
            }
            if (plan.Revisions.Count == 0 || dryRun)
            {
                return plan.Outcomes;
            }
            if (await TryCommitAsync(indicatorId, plan, guards, submitter, now, cancellationToken))
            {
                foreach (var o in plan.Outcomes.Where(o => !o.IsRefused && o.Value.Kind != WriteKind.Unchanged))
                {
                    latest.Saw(indicatorId, o.Value.Value.Series, o.Value.Value.Year, o.Value.Value);
                }
                return plan.Outcomes;
            }
            if (attempt >= MaxAttempts)
            {
                return All(Refusal.Conflict(new($"{indicatorId} is being changed by many requests at once; nothing of this request was written. Retry it.",
                    $"指標 {indicatorId} は多くの操作で同時に変更されています。何も保存していません。もう一度保存してください。")));
            }
            // Another writer took the revision we built on, or a guard changed (another write of the year, or a lock).
            logger.LogDebug("Concurrent change of {Indicator}, attempt {Attempt}", indicatorId, attempt);
            mustRead.UnionWith(writes.Select(w => (w.Series, w.Year)));
            mustReadYears.UnionWith(years);
            // Jittered, growing back-off: another instance writing the same year gets its turn.
            await Task.Delay(Random.Shared.Next(1, 4 << Math.Min(attempt, 6)), cancellationToken);
        }

        IReadOnlyList<Result<WriteOutcome>> All(Refusal refusal) => writes.Select(_ => new Result<WriteOutcome>(refusal)).ToList();
    }

    /// <summary>
    /// Inserts the planned revisions and updates the guards of their years, conditional on the guards' ETags, in one
    /// transaction; false if storage refused it (a concurrent writer or a lock). When the SDK retried a transaction whose
    /// first answer was lost, the retry fails although ours applied: the write id tells.
    /// </summary>
    private async Task<bool> TryCommitAsync(string indicatorId, RevisionPlan plan, IReadOnlyDictionary<int, Known<YearGuard>> guards,
        Submitter submitter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var writeId = Guid.NewGuid().ToString("N");
        var revisions = plan.Revisions.Select(r => ToEntity(r, writeId)).ToList();
        var actions = revisions.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)).ToList();
        foreach (var year in plan.Years)
        {
            var guard = guards[year].Value;
            var entity = new TableEntity(indicatorId, GuardKey(year)) { ["LastWrite"] = writeId };
            actions.Add(guard.Exists
                ? new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, new ETag(guard.ETag!))
                : new TableTransactionAction(TableTransactionActionType.Add, ToEntity(guard, indicatorId, writeId)));
        }
        try
        {
            var response = await tables.Values.SubmitTransactionAsync(actions, cancellationToken);
            // The guards' new ETags, so this instance's next write of the year needs no read.
            for (var i = 0; i < plan.Years.Count; i++)
            {
                var year = plan.Years[i];
                if (response.Value[revisions.Count + i].Headers.ETag is { } etag) latest.SawGuard(indicatorId, guards[year].Value with { ETag = etag.ToString() });
                else latest.ForgetGuard(indicatorId, year);
            }
            return true;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists || ex.ErrorCode == TableErrorCode.UpdateConditionNotSatisfied)
        {
            foreach (var year in plan.Years) latest.ForgetGuard(indicatorId, year);
            var ours = await AllStoredAsync(revisions, writeId, cancellationToken);
            if (ours) logger.LogInformation("Write of {Indicator} was already applied (answer lost, retried)", indicatorId);
            return ours;
        }
    }

    /// <summary>Whether every revision of a write is in storage as this write stored it (its write id).</summary>
    private async Task<bool> AllStoredAsync(IReadOnlyList<TableEntity> revisions, string writeId, CancellationToken cancellationToken)
    {
        var reads = await Task.WhenAll(revisions.Select(r => tables.Values.GetEntityIfExistsAsync<TableEntity>(r.PartitionKey, r.RowKey, cancellationToken: cancellationToken)));
        return reads.All(r => r.HasValue && r.Value!.GetString("WriteId") == writeId);
    }

    /// <summary>
    /// Sets the guard of <paramref name="year"/> of every indicator to <paramref name="state"/> for report
    /// <paramref name="reportId"/>. Each update changes the guard's ETag, so every write of the year planned before it
    /// fails at storage and is planned again on the new state. Unconditional: a publication always wins over writes.
    /// </summary>
    public async Task SetYearStateAsync(IEnumerable<string> indicatorIds, int year, LockState state, string reportId, string by, DateTimeOffset since,
        CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(indicatorIds.Select(async id =>
        {
            var guard = new YearGuard(year, state, reportId, by, since, null);
            await tables.Values.UpsertEntityAsync(ToEntity(guard, id, writeId: null), TableUpdateMode.Merge, cancellationToken);
            latest.ForgetGuard(id, year);
        }));
    }

    /// <summary>Opens the year again on every indicator whose guard still names <paramref name="reportId"/> (a failed publication's).</summary>
    public async Task OpenYearAsync(IEnumerable<string> indicatorIds, int year, string reportId, CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(indicatorIds.Select(async id =>
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var found = await tables.Values.GetEntityIfExistsAsync<TableEntity>(id, GuardKey(year), cancellationToken: cancellationToken);
                if (!found.HasValue || found.Value!.GetString("ReportId") != reportId) break;
                var open = new TableEntity(id, GuardKey(year)) { ["LockState"] = LockState.Open.ToString(), ["ReportId"] = "", ["LockedBy"] = "" };
                try
                {
                    await tables.Values.UpdateEntityAsync(open, found.Value.ETag, TableUpdateMode.Merge, cancellationToken);
                    break;
                }
                catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.UpdateConditionNotSatisfied)
                {
                    // A write of an administrator touched the guard meanwhile: read it again.
                }
            }
            latest.ForgetGuard(id, year);
        }));
    }

    private static TableEntity ToEntity(NewRevision r, string writeId) => new(r.Value.IndicatorId, RowKey(r.Value.Series, r.Value.Year, r.Value.Revision))
    {
        ["Series"] = r.Value.Series, ["Year"] = r.Value.Year, ["Value"] = r.Value.Value, ["PreviousValue"] = r.PreviousValue, ["Note"] = r.Value.Note,
        ["Status"] = r.Value.Status.ToString(), ["Revision"] = r.Value.Revision, ["SubmittedBy"] = r.Value.SubmittedBy, ["Agency"] = r.Value.Agency,
        ["SubmittedAt"] = r.Value.SubmittedAt, ["Reason"] = r.Reason, ["WriteId"] = writeId,
    };

    private static TableEntity ToEntity(YearGuard guard, string indicatorId, string? writeId)
    {
        var entity = new TableEntity(indicatorId, GuardKey(guard.Year))
        {
            ["Year"] = guard.Year, ["LockState"] = guard.State.ToString(), ["ReportId"] = guard.ReportId ?? "", ["LockedBy"] = guard.LockedBy ?? "",
        };
        if (guard.Since is { } since) entity["LockedSince"] = since;
        if (writeId is not null) entity["LastWrite"] = writeId;
        return entity;
    }

    private static YearGuard ToGuard(TableEntity e) => new(
        e.GetInt32("Year") ?? int.Parse(e.RowKey.AsSpan(GuardPrefix.Length), System.Globalization.CultureInfo.InvariantCulture),
        Enum.TryParse<LockState>(e.GetString("LockState"), out var state) ? state : LockState.Open,
        e.GetString("ReportId") is { Length: > 0 } report ? report : null,
        e.GetString("LockedBy") is { Length: > 0 } by ? by : null,
        e.GetDateTimeOffset("LockedSince"),
        e.ETag.ToString());

    private static string GuardKey(int year) => $"{GuardPrefix}{year:D4}";

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> loading = new(StringComparer.Ordinal);

    /// <summary>
    /// The latest revision of each key and the guard of each year: what this instance knows, or reads (all at once).
    /// </summary>
    private async Task<(Dictionary<(string Series, int Year), Known<IndicatorValue?>> Values, Dictionary<int, Known<YearGuard>> Guards)> StateAsync(
        string indicatorId, IReadOnlyList<(string Series, int Year)> keys, IReadOnlyList<int> years,
        HashSet<(string, int)> mustRead, HashSet<int> mustReadYears, CancellationToken cancellationToken)
    {
        var values = new Dictionary<(string, int), Known<IndicatorValue?>>();
        var guards = new Dictionary<int, Known<YearGuard>>();
        if (keys.Count(mustRead.Contains) > 4)
        {
            // Many values to read (an import's dry run, or after a conflict): one read of the indicator, not one per value.
            var (currents, _, stored) = await ReadPartitionAsync(indicatorId, includeHistory: false, cancellationToken);
            var byKey = currents.ToDictionary(v => (v.Series, v.Year));
            foreach (var key in keys) values[key] = new Known<IndicatorValue?>(byKey.GetValueOrDefault(key), FromCache: false);
            foreach (var year in years) guards[year] = new Known<YearGuard>(stored.GetValueOrDefault(year) ?? YearGuard.Absent(year), FromCache: false);
            return (values, guards);
        }
        if (!latest.HasWhole(indicatorId) && (keys.Any(k => !mustRead.Contains(k)) || years.Any(y => !mustReadYears.Contains(y))))
        {
            // First write of this indicator here: one read of all its values beats a read per value from now on; and
            // requests arriving together wait for that one read rather than each making their own.
            var gate = loading.GetOrAdd(indicatorId, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken);
            try
            {
                if (!latest.HasWhole(indicatorId)) await ReadPartitionAsync(indicatorId, includeHistory: false, cancellationToken);
            }
            finally
            {
                gate.Release();
            }
        }
        var valueReads = new List<Task<((string, int) Key, IndicatorValue? Value)>>();
        foreach (var key in keys)
        {
            if (!mustRead.Contains(key) && latest.TryGet(indicatorId, key.Series, key.Year, out var known))
            {
                values[key] = new Known<IndicatorValue?>(known.Value, FromCache: true);
            }
            else
            {
                valueReads.Add(ReadLatestAsync(indicatorId, key, cancellationToken));
            }
        }
        var guardReads = new List<Task<YearGuard>>();
        foreach (var year in years)
        {
            if (!mustReadYears.Contains(year) && latest.TryGetGuard(indicatorId, year, out var guard))
            {
                guards[year] = new Known<YearGuard>(guard, FromCache: true);
            }
            else
            {
                guardReads.Add(ReadGuardAsync(indicatorId, year, cancellationToken));
            }
        }
        foreach (var (key, value) in await Task.WhenAll(valueReads))
        {
            values[key] = new Known<IndicatorValue?>(value, FromCache: false);
        }
        foreach (var guard in await Task.WhenAll(guardReads))
        {
            guards[guard.Year] = new Known<YearGuard>(guard, FromCache: false);
        }
        return (values, guards);
    }

    private async Task<YearGuard> ReadGuardAsync(string indicatorId, int year, CancellationToken cancellationToken)
    {
        var found = await tables.Values.GetEntityIfExistsAsync<TableEntity>(indicatorId, GuardKey(year), cancellationToken: cancellationToken);
        var guard = found.HasValue ? ToGuard(found.Value!) : YearGuard.Absent(year);
        latest.SawGuard(indicatorId, guard);
        return guard;
    }

    private async Task<((string, int) Key, IndicatorValue? Value)> ReadLatestAsync(string indicatorId, (string Series, int Year) key, CancellationToken cancellationToken)
    {
        var prefix = KeyPrefix(key.Series, key.Year);
        IndicatorValue? value = null;
        await foreach (var e in tables.Values.QueryAsync<TableEntity>(RangeFilter(indicatorId, prefix), maxPerPage: 1, cancellationToken: cancellationToken))
        {
            value = ToValue(e);
            break;
        }
        latest.Saw(indicatorId, key.Series, key.Year, value);
        return (key, value);
    }

    /// <summary>
    /// Every revision of an indicator, newest first within each value (the row key order; the first of each is current),
    /// and the guards of its years: the whole partition in one query.
    /// </summary>
    private async Task<(List<IndicatorValue> Currents, Dictionary<(string, int), List<ValueRevision>> Histories, Dictionary<int, YearGuard> Guards)> ReadPartitionAsync(
        string indicatorId, bool includeHistory, CancellationToken cancellationToken)
    {
        var currents = new List<IndicatorValue>();
        var histories = new Dictionary<(string, int), List<ValueRevision>>();
        var guards = new Dictionary<int, YearGuard>();
        await foreach (var e in tables.Values.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {indicatorId}"), cancellationToken: cancellationToken))
        {
            if (e.RowKey.StartsWith(GuardPrefix, StringComparison.Ordinal))
            {
                var guard = ToGuard(e);
                guards[guard.Year] = guard;
                latest.SawGuard(indicatorId, guard);
                continue;
            }
            if (!e.RowKey.StartsWith(Prefix, StringComparison.Ordinal)) continue;
            var key = (e.GetString("Series"), e.GetInt32("Year") ?? 0);
            if (!histories.TryGetValue(key, out var list))
            {
                histories[key] = list = [];
                var value = ToValue(e);
                currents.Add(value);
                latest.Saw(indicatorId, value.Series, value.Year, value);
            }
            if (includeHistory) list.Add(ToRevision(e));
        }
        latest.SawWhole(indicatorId);
        return (currents, histories, guards);
    }

    public async Task<IndicatorValue?> GetAsync(string indicatorId, string series, int year, bool includeHistory, CancellationToken cancellationToken = default)
    {
        var before = ReadLatestAsync(indicatorId, (series, year - 1), cancellationToken);
        IndicatorValue? value;
        List<ValueRevision>? history = null;
        if (includeHistory)
        {
            // Every revision, newest first: the first one is the current value.
            var rows = new List<TableEntity>();
            await foreach (var e in tables.Values.QueryAsync<TableEntity>(RangeFilter(indicatorId, KeyPrefix(series, year)), cancellationToken: cancellationToken))
            {
                rows.Add(e);
            }
            value = rows.Count == 0 ? null : ToValue(rows[0]);
            history = rows.Select(ToRevision).OrderBy(r => r.Revision).ToList();
        }
        else
        {
            (_, value) = await ReadLatestAsync(indicatorId, (series, year), cancellationToken);
        }
        var (_, previous) = await before;
        if (value is null) return null;
        value = OutlierRule.Apply(value, previous, options.Value.OutlierFactor);
        return history is null ? value : value with { History = history };
    }

    public async Task<IReadOnlyList<IndicatorValue>> ListAsync(string indicatorId, bool includeHistory, CancellationToken cancellationToken = default)
    {
        var (currents, histories, _) = await ReadPartitionAsync(indicatorId, includeHistory, cancellationToken);
        var view = currents.ToDictionary(v => (v.Series, v.Year));
        return currents
            .Select(v => OutlierRule.Apply(v, view, options.Value.OutlierFactor))
            .Select(v => includeHistory ? v with { History = histories[(v.Series, v.Year)].OrderBy(r => r.Revision).ToList() } : v)
            .OrderBy(v => v.Series, StringComparer.Ordinal).ThenBy(v => v.Year)
            .ToList();
    }

    private static string KeyPrefix(string series, int year) => $"{Prefix}{series}|{year:D4}|";
    private static string RowKey(string series, int year, int revision) => $"{KeyPrefix(series, year)}{MaxRevision - revision:D6}";

    private static string RangeFilter(string indicatorId, string prefix, string? end = null) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {indicatorId} and RowKey ge {prefix} and RowKey lt {end ?? prefix[..^1] + "}"}");

    private static ValueStatus StatusOf(TableEntity e) => Enum.TryParse<ValueStatus>(e.GetString("Status"), out var s) ? s : ValueStatus.Final;

    private static IndicatorValue ToValue(TableEntity e)
    {
        var revision = e.GetInt32("Revision") ?? 0;
        return new IndicatorValue(
            e.PartitionKey, e.GetString("Series"), e.GetInt32("Year") ?? 0, e.GetDouble("Value") ?? 0, e.GetString("Note"),
            revision, e.GetString("SubmittedBy"), e.GetString("Agency"), e.GetDateTimeOffset("SubmittedAt") ?? default,
            Status: StatusOf(e), ETag: ValueETag.Of(revision));
    }

    private static ValueRevision ToRevision(TableEntity e) => new(
        e.GetInt32("Revision") ?? 0, e.GetDouble("Value") ?? 0, e.GetDouble("PreviousValue"), e.GetString("Note"),
        e.GetString("SubmittedBy"), e.GetString("Agency"), e.GetDateTimeOffset("SubmittedAt") ?? default, StatusOf(e), e.GetString("Reason"));
}
