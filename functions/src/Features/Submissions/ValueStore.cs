using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>
/// Submitted values in Table Storage, partitioned by indicator so that the current value and its history entry are
/// written in one entity-group transaction: either both land or neither does.
/// Row keys: <c>current|{series}|{year}</c> and <c>history|{series}|{year}|{revision:D6}</c>.
/// </summary>
public sealed class ValueStore(ReportingTables tables, ILogger<ValueStore> logger)
{
    private const string Current = "current|";
    private const string History = "history|";
    private const int MaxAttempts = 8;

    public sealed record WriteResult(IndicatorValue Value, bool Created, bool Unchanged);

    public async Task<WriteResult> SubmitAsync(
        string indicatorId, string series, int year, double value, string? note, string who, string agency, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var rowKey = CurrentKey(series, year);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await tables.Values.GetEntityIfExistsAsync<TableEntity>(indicatorId, rowKey, cancellationToken: cancellationToken);
            var previous = existing.HasValue ? ToValue(existing.Value!) : null;
            if (previous is not null && previous.Value.Equals(value) && previous.Note == note)
            {
                // Sending the same value and note again is a retry, not a revision.
                return new WriteResult(previous, Created: false, Unchanged: true);
            }

            var revision = (previous?.Revision ?? 0) + 1;
            var current = new TableEntity(indicatorId, rowKey)
            {
                ["Series"] = series,
                ["Year"] = year,
                ["Value"] = value,
                ["Note"] = note,
                ["Revision"] = revision,
                ["SubmittedBy"] = who,
                ["Agency"] = agency,
                ["SubmittedAt"] = now,
            };
            var history = new TableEntity(indicatorId, HistoryKey(series, year, revision))
            {
                ["Series"] = series,
                ["Year"] = year,
                ["Value"] = value,
                ["PreviousValue"] = previous?.Value,
                ["Note"] = note,
                ["Revision"] = revision,
                ["SubmittedBy"] = who,
                ["Agency"] = agency,
                ["SubmittedAt"] = now,
            };
            var actions = new List<TableTransactionAction>
            {
                previous is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, current)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, current, existing.Value!.ETag),
                new(TableTransactionActionType.Add, history),
            };

            try
            {
                await tables.Values.SubmitTransactionAsync(actions, cancellationToken);
                return new WriteResult(ToValue(current), Created: previous is null, Unchanged: false);
            }
            catch (TableTransactionFailedException ex) when (
                attempt < MaxAttempts &&
                (ex.ErrorCode == TableErrorCode.EntityAlreadyExists || ex.ErrorCode == TableErrorCode.UpdateConditionNotSatisfied || ex.Status is 409 or 412))
            {
                // Another writer revised the same value between our read and write; read again and build on its revision.
                logger.LogDebug("Concurrent revision of {Indicator}/{Series}/{Year}, attempt {Attempt}", indicatorId, series, year, attempt);
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), cancellationToken);
            }
        }
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
                if (!histories.TryGetValue(key, out var list))
                {
                    histories[key] = list = [];
                }
                list.Add(new ValueRevision(
                    e.GetInt32("Revision") ?? 0, e.GetDouble("Value") ?? 0, e.GetDouble("PreviousValue"), e.GetString("Note"),
                    e.GetString("SubmittedBy"), e.GetString("Agency"), e.GetDateTimeOffset("SubmittedAt") ?? default));
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

    private static IndicatorValue ToValue(TableEntity e) => new(
        e.PartitionKey, e.GetString("Series"), e.GetInt32("Year") ?? 0, e.GetDouble("Value") ?? 0, e.GetString("Note"),
        e.GetInt32("Revision") ?? 0, e.GetString("SubmittedBy"), e.GetString("Agency"), e.GetDateTimeOffset("SubmittedAt") ?? default);
}
