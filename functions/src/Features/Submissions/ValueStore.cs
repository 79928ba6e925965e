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
}

/// <summary>
/// Submitted values in Table Storage, partitioned by indicator so that every change of one indicator — a single PUT or
/// all rows of an import — lands in one entity-group transaction: the current values and their history entries are
/// written together or not at all. Row keys: <c>current|{series}|{year}</c> and <c>history|{series}|{year}|{revision:D6}</c>.
/// </summary>
public sealed class ValueStore(ReportingTables tables, IOptions<SubmissionOptions> options, ILogger<ValueStore> logger)
{
    private const string Current = "current|";
    private const string History = "history|";
    private const int MaxAttempts = 8;

    /// <summary>Table Storage allows 100 operations per transaction; each changed value takes two.</summary>
    public const int MaxChangesPerTransaction = 50;

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
        for (var attempt = 1; ; attempt++)
        {
            var stored = writes.Count <= 4
                ? await LoadKeysAsync(indicatorId, writes.SelectMany(w => new[] { (w.Series, w.Year), (w.Series, w.Year - 1) }).Distinct(), cancellationToken)
                : await LoadCurrentAsync(indicatorId, cancellationToken);
            var outcomes = new List<WriteOutcome>(writes.Count);
            var actions = new List<TableTransactionAction>();
            // Later writes of the batch see earlier ones, so an import's previous-year row counts for the outlier check.
            var view = stored.Where(p => p.Value.Value is not null).ToDictionary(p => p.Key, p => p.Value.Value!);

            foreach (var w in writes)
            {
                stored.TryGetValue((w.Series, w.Year), out var existing);
                if (w.CreateOnly && existing.Value is not null)
                {
                    throw new PreconditionFailedException(w.Series, w.Year, $"A value for {w.Series}/{w.Year} already exists (If-None-Match: *).");
                }
                if (w.IfMatch is not null && (existing.Value is null || !EtagMatches(w.IfMatch, existing.ETag)))
                {
                    throw new PreconditionFailedException(w.Series, w.Year, existing.Value is null
                        ? $"There is no value for {w.Series}/{w.Year} to match."
                        : $"The value for {w.Series}/{w.Year} has changed since ETag {w.IfMatch}; its current ETag is {existing.ETag}.");
                }
                var previous = existing.Value;
                if (previous is not null && previous.Value.Equals(w.Value) && previous.Note == w.Note && previous.Status == w.Status)
                {
                    // The same value, note and status sent again is a retry, not a revision.
                    outcomes.Add(new WriteOutcome(previous with { ETag = existing.ETag.ToString() }, WriteKind.Unchanged));
                    continue;
                }

                var (flagged, reason) = Outlier(view, w, options.Value.OutlierFactor);
                var revision = (previous?.Revision ?? 0) + 1;
                var current = new TableEntity(indicatorId, CurrentKey(w.Series, w.Year))
                {
                    ["Series"] = w.Series, ["Year"] = w.Year, ["Value"] = w.Value, ["Note"] = w.Note, ["Status"] = w.Status.ToString(),
                    ["Revision"] = revision, ["SubmittedBy"] = who, ["Agency"] = agency, ["SubmittedAt"] = now,
                    ["Flagged"] = flagged, ["FlagReason"] = reason,
                };
                var history = new TableEntity(indicatorId, HistoryKey(w.Series, w.Year, revision))
                {
                    ["Series"] = w.Series, ["Year"] = w.Year, ["Value"] = w.Value, ["PreviousValue"] = previous?.Value, ["Note"] = w.Note,
                    ["Status"] = w.Status.ToString(), ["Revision"] = revision, ["SubmittedBy"] = who, ["Agency"] = agency,
                    ["SubmittedAt"] = now, ["Reason"] = w.Reason,
                };
                actions.Add(previous is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, current)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, current, existing.ETag));
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, history));
                view[(w.Series, w.Year)] = ToValue(current);
                outcomes.Add(new WriteOutcome(ToValue(current), previous is null ? WriteKind.Created : WriteKind.Revised));
            }

            if (actions.Count > 2 * MaxChangesPerTransaction)
            {
                throw new InvalidOperationException($"At most {MaxChangesPerTransaction} changed values of one indicator can be written atomically.");
            }
            if (actions.Count == 0 || dryRun)
            {
                return outcomes;
            }
            try
            {
                var response = await tables.Values.SubmitTransactionAsync(actions, cancellationToken);
                // The new ETags of the current rows, for the caller's next If-Match.
                var etags = actions.Select((a, i) => (a, i)).Where(x => x.a.Entity.RowKey.StartsWith(Current, StringComparison.Ordinal))
                    .ToDictionary(x => x.a.Entity.RowKey, x => response.Value[x.i].Headers.ETag?.ToString());
                return outcomes.Select(o => o.Kind == WriteKind.Unchanged ? o
                    : o with { Value = o.Value with { ETag = etags.GetValueOrDefault(CurrentKey(o.Value.Series, o.Value.Year)) } }).ToList();
            }
            catch (TableTransactionFailedException ex) when (
                ex.ErrorCode == TableErrorCode.EntityAlreadyExists || ex.ErrorCode == TableErrorCode.UpdateConditionNotSatisfied || ex.Status is 409 or 412)
            {
                if (writes.Any(w => w.IfMatch is not null || w.CreateOnly))
                {
                    var w = writes.First(w => w.IfMatch is not null || w.CreateOnly);
                    throw new PreconditionFailedException(w.Series, w.Year, "The value changed while this request was being written.");
                }
                if (attempt >= MaxAttempts) throw;
                // Another writer changed the indicator between our read and write: read again and build on its state.
                logger.LogDebug("Concurrent change of {Indicator}, attempt {Attempt}", indicatorId, attempt);
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
            }
        }
    }

    /// <summary>
    /// If-Match as HTTP clients send it: "*" matches any existing version; otherwise one of a comma-separated list of
    /// tags, compared without the weak prefix (Table Storage ETags are weak; clients often drop the W/).
    /// </summary>
    private static bool EtagMatches(string ifMatch, ETag stored)
    {
        static string Bare(string tag) => tag.Trim().StartsWith("W/", StringComparison.Ordinal) ? tag.Trim()[2..] : tag.Trim();
        var current = Bare(stored.ToString());
        return ifMatch.Trim() == "*" || ifMatch.Split(',').Any(t => Bare(t) == current);
    }

    private static (bool, string?) Outlier(Dictionary<(string, int), IndicatorValue> view, ValueWrite w, double factor)
    {
        if (!view.TryGetValue((w.Series, w.Year - 1), out var before) || before.Value <= 0 || w.Value <= 0 || factor <= 1)
        {
            return (false, null);
        }
        var ratio = w.Value / before.Value;
        return ratio > factor || ratio < 1 / factor
            ? (true, $"前年（{w.Year - 1}）の値 {before.Value:#,0.###} の {ratio:0.##} 倍です（閾値 {factor:0.##} 倍）。")
            : (false, null);
    }

    /// <summary>Point reads of the values a small write touches (and the years before them, for the outlier check).</summary>
    private async Task<Dictionary<(string Series, int Year), (IndicatorValue? Value, ETag ETag)>> LoadKeysAsync(
        string indicatorId, IEnumerable<(string Series, int Year)> keys, CancellationToken cancellationToken)
    {
        var reads = keys.Select(async k => (Key: k, Response: await tables.Values.GetEntityIfExistsAsync<TableEntity>(indicatorId, CurrentKey(k.Series, k.Year), cancellationToken: cancellationToken)));
        var result = new Dictionary<(string, int), (IndicatorValue?, ETag)>();
        foreach (var (key, response) in await Task.WhenAll(reads))
        {
            if (response.HasValue) result[key] = (ToValue(response.Value!), response.Value!.ETag);
        }
        return result;
    }

    private async Task<Dictionary<(string Series, int Year), (IndicatorValue? Value, ETag ETag)>> LoadCurrentAsync(string indicatorId, CancellationToken cancellationToken)
    {
        var result = new Dictionary<(string, int), (IndicatorValue?, ETag)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {indicatorId} and RowKey ge {Current} and RowKey lt {"current}"}");
        await foreach (var e in tables.Values.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            var v = ToValue(e);
            result[(v.Series, v.Year)] = (v, e.ETag);
        }
        return result;
    }

    public async Task<IndicatorValue?> GetAsync(string indicatorId, string series, int year, bool includeHistory, CancellationToken cancellationToken = default)
    {
        var found = await tables.Values.GetEntityIfExistsAsync<TableEntity>(indicatorId, CurrentKey(series, year), cancellationToken: cancellationToken);
        if (!found.HasValue) return null;
        var value = ToValue(found.Value!);
        if (!includeHistory) return value;
        var prefix = $"{History}{series}|{year:D4}|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {indicatorId} and RowKey ge {prefix} and RowKey lt {prefix + "~"}");
        var history = new List<ValueRevision>();
        await foreach (var e in tables.Values.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken)) history.Add(ToRevision(e));
        return value with { History = history.OrderBy(r => r.Revision).ToList() };
    }

    public async Task<IReadOnlyList<IndicatorValue>> ListAsync(string indicatorId, bool includeHistory, CancellationToken cancellationToken = default)
    {
        var currents = new List<IndicatorValue>();
        var histories = new Dictionary<(string, int), List<ValueRevision>>();
        var filter = includeHistory
            ? TableClient.CreateQueryFilter($"PartitionKey eq {indicatorId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {indicatorId} and RowKey ge {Current} and RowKey lt {"current}"}");
        await foreach (var e in tables.Values.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (e.RowKey.StartsWith(Current, StringComparison.Ordinal))
            {
                currents.Add(ToValue(e));
            }
            else if (e.RowKey.StartsWith(History, StringComparison.Ordinal))
            {
                var key = (e.GetString("Series"), e.GetInt32("Year") ?? 0);
                if (!histories.TryGetValue(key, out var list)) histories[key] = list = [];
                list.Add(ToRevision(e));
            }
        }
        return currents
            .Select(v => includeHistory
                ? v with { History = histories.TryGetValue((v.Series, v.Year), out var h) ? h.OrderBy(r => r.Revision).ToList() : [] }
                : v)
            .OrderBy(v => v.Series, StringComparer.Ordinal).ThenBy(v => v.Year)
            .ToList();
    }

    private static string CurrentKey(string series, int year) => $"{Current}{series}|{year:D4}";
    private static string HistoryKey(string series, int year, int revision) => $"{History}{series}|{year:D4}|{revision:D6}";

    private static ValueStatus StatusOf(TableEntity e) => Enum.TryParse<ValueStatus>(e.GetString("Status"), out var s) ? s : ValueStatus.Final;

    private static IndicatorValue ToValue(TableEntity e) => new(
        e.PartitionKey, e.GetString("Series"), e.GetInt32("Year") ?? 0, e.GetDouble("Value") ?? 0, e.GetString("Note"),
        e.GetInt32("Revision") ?? 0, e.GetString("SubmittedBy"), e.GetString("Agency"), e.GetDateTimeOffset("SubmittedAt") ?? default,
        Status: StatusOf(e), Flagged: e.GetBoolean("Flagged") ?? false, FlagReason: e.GetString("FlagReason"),
        ETag: e.ETag == default ? null : e.ETag.ToString());

    private static ValueRevision ToRevision(TableEntity e) => new(
        e.GetInt32("Revision") ?? 0, e.GetDouble("Value") ?? 0, e.GetDouble("PreviousValue"), e.GetString("Note"),
        e.GetString("SubmittedBy"), e.GetString("Agency"), e.GetDateTimeOffset("SubmittedAt") ?? default, StatusOf(e), e.GetString("Reason"));
}
