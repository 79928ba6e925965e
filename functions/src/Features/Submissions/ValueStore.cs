using Azure;
using Azure.Data.Tables;
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
/// on revision n, storage lets exactly one insert n+1. A submission is therefore one insert, with no read before it
/// when this instance already knows the value's latest revision (<see cref="LatestValues"/>).
/// </summary>
public sealed class ValueStore(ReportingTables tables, LatestValues latest, IOptions<SubmissionOptions> options, ILogger<ValueStore> logger)
{
    private const string Prefix = "value|";
    private const string PrefixEnd = "value}";
    private const int MaxAttempts = 16;

    /// <summary>The inverted revision in the row key has six digits.</summary>
    public const int MaxRevision = 999_999;

    /// <summary>Table Storage allows 100 operations per transaction; each changed value is one insert.</summary>
    public const int MaxChangesPerTransaction = 100;

    /// <summary>The ETag of a value's revision: weak, as the representation also carries the computed outlier flag.</summary>
    public static string ETagOf(int revision) => $"W/\"r{revision}\"";

    public async Task<WriteOutcome> SubmitAsync(string indicatorId, ValueWrite write, string who, string agency, DateTimeOffset now,
        CancellationToken cancellationToken = default) =>
        (await WriteAsync(indicatorId, [write], who, agency, now, dryRun: false, cancellationToken))[0];

    /// <summary>
    /// Applies <paramref name="writes"/> (distinct series/year pairs of one indicator) atomically. Writes identical to the
    /// stored value are unchanged, not revisions. A failed precondition throws <see cref="PreconditionFailedException"/>
    /// and nothing is written; a concurrent change without a precondition is retried on the new state.
    /// </summary>
    public async Task<IReadOnlyList<WriteOutcome>> WriteAsync(string indicatorId, IReadOnlyList<ValueWrite> writes, string who, string agency,
        DateTimeOffset now, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        // Each value and the year before it (for the outlier flag).
        var keys = writes.SelectMany(w => new[] { (w.Series, w.Year), (w.Series, w.Year - 1) }).Distinct().ToList();
        // Keys whose state must come from storage, not from what this instance last saw: all of them for a dry run,
        // whose answer is a prediction of what storage would do.
        var mustRead = dryRun ? keys.ToHashSet() : [];
        for (var attempt = 1; ; attempt++)
        {
            var state = await StateAsync(indicatorId, keys, mustRead, cancellationToken);
            var (outcomes, actions, doubtful) = Plan(indicatorId, writes, state, who, agency, now);
            if (doubtful.Count > 0)
            {
                // Not writing is only decided on what storage says now: a cached state may be behind another instance's write.
                mustRead.UnionWith(doubtful);
                attempt--;
                continue;
            }
            if (outcomes.FirstOrDefault(o => o.Failure is not null) is { Failure: { } failure })
            {
                throw failure;
            }
            if (actions.Count > MaxChangesPerTransaction)
            {
                throw new InvalidOperationException($"At most {MaxChangesPerTransaction} changed values of one indicator can be written atomically.");
            }
            if (actions.Count == 0 || dryRun)
            {
                return outcomes.Select(o => o.Outcome!).ToList();
            }
            if (await TryCommitAsync(actions, cancellationToken))
            {
                foreach (var o in outcomes.Where(o => o.Outcome!.Kind != WriteKind.Unchanged))
                {
                    latest.Saw(indicatorId, o.Outcome!.Value.Series, o.Outcome.Value.Year, o.Outcome.Value);
                }
                return outcomes.Select(o => o.Outcome!).ToList();
            }
            // Another writer took the revision we built on.
            if (writes.FirstOrDefault(w => w.IfMatch is not null || w.CreateOnly) is { } conditional)
            {
                throw new PreconditionFailedException(conditional.Series, conditional.Year, "The value changed while this request was being written.");
            }
            if (attempt >= MaxAttempts)
            {
                throw new WriteContentionException($"{indicatorId} is being changed by many requests at once; nothing of this request was written. Retry it.");
            }
            logger.LogDebug("Concurrent change of {Indicator}, attempt {Attempt}", indicatorId, attempt);
            mustRead.UnionWith(writes.Select(w => (w.Series, w.Year)));
            await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
        }
    }

    /// <summary>
    /// Inserts the planned revisions; false if one of them already exists (a concurrent writer). One insert is atomic by
    /// itself and costs storage and this process less than a transaction; several are one entity-group transaction.
    /// </summary>
    private async Task<bool> TryCommitAsync(List<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            if (actions.Count == 1)
            {
                await tables.Values.AddEntityAsync((TableEntity)actions[0].Entity, cancellationToken);
            }
            else
            {
                await tables.Values.SubmitTransactionAsync(actions, cancellationToken);
            }
            return true;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "EntityAlreadyExists" || ex.Status == 409)
        {
            // Either another writer, or our own write applied with its answer lost and retried by the SDK.
            var ours = await AllStoredAsync(actions, cancellationToken);
            if (ours) logger.LogInformation("Write of {Indicator} was already applied (answer lost, retried)", actions[0].Entity.PartitionKey);
            return ours;
        }
    }

    /// <summary>Whether every insert of <paramref name="actions"/> is in storage as this attempt wrote it (its write id).</summary>
    private async Task<bool> AllStoredAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var reads = await Task.WhenAll(actions.Select(a => tables.Values.GetEntityIfExistsAsync<TableEntity>(a.Entity.PartitionKey, a.Entity.RowKey, cancellationToken: cancellationToken)));
        return reads.Zip(actions).All(p => p.First.HasValue && p.First.Value!.GetString("WriteId") == (string?)((TableEntity)p.Second.Entity)["WriteId"]);
    }

    private sealed record Planned(WriteOutcome? Outcome, PreconditionFailedException? Failure);

    private (List<Planned> Outcomes, List<TableTransactionAction> Actions, List<(string, int)> Doubtful) Plan(
        string indicatorId, IReadOnlyList<ValueWrite> writes, Dictionary<(string Series, int Year), State> state, string who, string agency, DateTimeOffset now)
    {
        var outcomes = new List<Planned>(writes.Count);
        var actions = new List<TableTransactionAction>();
        var doubtful = new List<(string, int)>();
        var writeId = Guid.NewGuid().ToString("N");
        // Later writes of the batch see earlier ones, so an import's previous-year row counts for the outlier check.
        var view = state.Where(p => p.Value.Value is not null).ToDictionary(p => p.Key, p => p.Value.Value!);

        foreach (var w in writes)
        {
            var key = (w.Series, w.Year);
            var found = state.GetValueOrDefault(key);
            var previous = found.Value;
            PreconditionFailedException? failure = null;
            if (w.CreateOnly && previous is not null)
            {
                failure = new PreconditionFailedException(w.Series, w.Year, $"A value for {w.Series}/{w.Year} already exists (If-None-Match: *).");
            }
            else if (w.IfMatch is not null && (previous is null || !ETagMatches(w.IfMatch, previous.Revision)))
            {
                failure = new PreconditionFailedException(w.Series, w.Year, previous is null
                    ? $"There is no value for {w.Series}/{w.Year} to match."
                    : $"The value for {w.Series}/{w.Year} has changed since ETag {w.IfMatch}; its current ETag is {ETagOf(previous.Revision)}.");
            }
            var same = previous is not null && previous.Value.Equals(w.Value) && previous.Note == w.Note && previous.Status == w.Status;
            if ((failure is not null || same) && found.FromCache && !w.CreateOnly)
            {
                doubtful.Add(key);
                continue;
            }
            if (failure is not null)
            {
                outcomes.Add(new Planned(null, failure));
                continue;
            }
            if (same)
            {
                // The same value, note and status sent again is a retry, not a revision.
                outcomes.Add(new Planned(new WriteOutcome(WithFlag(previous!, view), WriteKind.Unchanged), null));
                continue;
            }
            var revision = (previous?.Revision ?? 0) + 1;
            if (revision > MaxRevision)
            {
                throw new InvalidOperationException($"{indicatorId}/{w.Series}/{w.Year} has reached {MaxRevision} revisions.");
            }
            var entity = new TableEntity(indicatorId, RowKey(w.Series, w.Year, revision))
            {
                ["Series"] = w.Series, ["Year"] = w.Year, ["Value"] = w.Value, ["PreviousValue"] = previous?.Value, ["Note"] = w.Note,
                ["Status"] = w.Status.ToString(), ["Revision"] = revision, ["SubmittedBy"] = who, ["Agency"] = agency,
                ["SubmittedAt"] = now, ["Reason"] = w.Reason, ["WriteId"] = writeId,
            };
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
            var value = ToValue(entity);
            view[key] = value;
            outcomes.Add(new Planned(new WriteOutcome(WithFlag(value, view), previous is null ? WriteKind.Created : WriteKind.Revised), null));
        }
        return (outcomes, actions, doubtful);
    }

    /// <summary>
    /// If-Match as HTTP clients send it: "*" matches any existing version; otherwise one of a comma-separated list of
    /// tags, compared without the weak prefix (clients often drop the W/).
    /// </summary>
    private static bool ETagMatches(string ifMatch, int revision)
    {
        static string Bare(string tag) => tag.Trim().StartsWith("W/", StringComparison.Ordinal) ? tag.Trim()[2..] : tag.Trim();
        var current = Bare(ETagOf(revision));
        return ifMatch.Trim() == "*" || ifMatch.Split(',').Any(t => Bare(t) == current);
    }

    /// <summary>
    /// The outlier flag is computed whenever a value is read, from the previous year's value as it is then — a flag stored
    /// at submission would go stale when that year is revised.
    /// </summary>
    private IndicatorValue WithFlag(IndicatorValue value, IReadOnlyDictionary<(string Series, int Year), IndicatorValue> values)
    {
        var factor = options.Value.OutlierFactor;
        if (!values.TryGetValue((value.Series, value.Year - 1), out var before) || before.Value <= 0 || value.Value <= 0 || factor <= 1)
        {
            return value with { Flagged = false, FlagReason = null };
        }
        var ratio = value.Value / before.Value;
        return ratio > factor || ratio < 1 / factor
            ? value with { Flagged = true, FlagReason = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"前年（{value.Year - 1}）の値 {before.Value:#,0.###} の {ratio:0.##} 倍（閾値 {factor:0.##} 倍）。") }
            : value with { Flagged = false, FlagReason = null };
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> loading = new(StringComparer.Ordinal);

    private readonly record struct State(IndicatorValue? Value, bool FromCache);

    /// <summary>The latest revision of each key: what this instance knows, or a one-row read (all reads at once).</summary>
    private async Task<Dictionary<(string Series, int Year), State>> StateAsync(
        string indicatorId, IReadOnlyList<(string Series, int Year)> keys, HashSet<(string, int)> mustRead, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, int), State>();
        if (keys.Count(mustRead.Contains) > 4)
        {
            // Many values to read (an import's dry run, or after a conflict): one read of the indicator, not one per value.
            var (currents, _) = await ReadPartitionAsync(indicatorId, includeHistory: false, cancellationToken);
            var stored = currents.ToDictionary(v => (v.Series, v.Year));
            foreach (var key in keys) result[key] = new State(stored.GetValueOrDefault(key), FromCache: false);
            return result;
        }
        var reads = new List<Task<((string, int) Key, IndicatorValue? Value)>>();
        if (!latest.HasWhole(indicatorId) && keys.Any(k => !mustRead.Contains(k)))
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
        foreach (var key in keys)
        {
            if (!mustRead.Contains(key) && latest.TryGet(indicatorId, key.Series, key.Year, out var known))
            {
                result[key] = new State(known.Value, FromCache: true);
            }
            else
            {
                reads.Add(ReadLatestAsync(indicatorId, key, cancellationToken));
            }
        }
        foreach (var (key, value) in await Task.WhenAll(reads))
        {
            result[key] = new State(value, FromCache: false);
        }
        return result;
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

    /// <summary>Every revision of an indicator, newest first within each value (the row key order); the first of each is current.</summary>
    private async Task<(List<IndicatorValue> Currents, Dictionary<(string, int), List<ValueRevision>> Histories)> ReadPartitionAsync(
        string indicatorId, bool includeHistory, CancellationToken cancellationToken)
    {
        var currents = new List<IndicatorValue>();
        var histories = new Dictionary<(string, int), List<ValueRevision>>();
        await foreach (var e in tables.Values.QueryAsync<TableEntity>(RangeFilter(indicatorId, Prefix, PrefixEnd), cancellationToken: cancellationToken))
        {
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
        return (currents, histories);
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
        value = WithFlag(value, previous is null ? new Dictionary<(string, int), IndicatorValue>() : new() { [(series, year - 1)] = previous });
        return history is null ? value : value with { History = history };
    }

    public async Task<IReadOnlyList<IndicatorValue>> ListAsync(string indicatorId, bool includeHistory, CancellationToken cancellationToken = default)
    {
        var (currents, histories) = await ReadPartitionAsync(indicatorId, includeHistory, cancellationToken);
        var view = currents.ToDictionary(v => (v.Series, v.Year));
        return currents
            .Select(v => WithFlag(v, view))
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
            Status: StatusOf(e), ETag: ETagOf(revision));
    }

    private static ValueRevision ToRevision(TableEntity e) => new(
        e.GetInt32("Revision") ?? 0, e.GetDouble("Value") ?? 0, e.GetDouble("PreviousValue"), e.GetString("Note"),
        e.GetString("SubmittedBy"), e.GetString("Agency"), e.GetDateTimeOffset("SubmittedAt") ?? default, StatusOf(e), e.GetString("Reason"));
}
