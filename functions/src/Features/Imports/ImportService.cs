using System.Security.Claims;
using Reporting.Features.Indicators;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Imports;

public enum RowOutcome { Accepted, Unchanged, Rejected }

public sealed record RowError(string Field, string Message);

public sealed record RowResult(int Row, string? Indicator, string? Series, int? Year, RowOutcome Outcome, IReadOnlyList<RowError> Errors, string? ETag = null,
    WriteKind? Change = null, bool Flagged = false);

public sealed record ImportResult(bool DryRun, int Rows, int Accepted, int Unchanged, int Rejected, IReadOnlyList<RowResult> Results);

/// <summary>
/// Validates every row with the same rules as a single PUT, then writes each indicator's valid rows in one transaction
/// (all of them or none). A rejected row is never written; with dryRun nothing is written and the result says what
/// would happen.
/// </summary>
public sealed class ImportService(IndicatorStore catalog, ValueStore values, SubmissionControls controls, Repertoire repertoire, TimeProvider clock)
{
    public async Task<ImportResult> ImportAsync(IAsyncEnumerable<ImportRow> rows, ClaimsPrincipal user, bool dryRun, CancellationToken cancellationToken = default)
    {
        var indicators = (await catalog.ListAsync(cancellationToken)).ToDictionary(i => i.Id, StringComparer.Ordinal);
        var agency = user.AgencyCode()!;
        var registered = await catalog.FindAgencyAsync(agency, cancellationToken);
        var results = new List<RowResult>();
        var valid = new List<(ImportRow Row, Indicator Indicator, ValueWrite Write)>();
        var seen = new Dictionary<(string, string, int), int>();
        var refusals = new Dictionary<int, SubmissionRefusal?>();

        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            RowResult Reject(params RowError[] errors) => new(row.Row, row.Indicator, row.Series, int.TryParse(row.Year, out var y) ? y : null, RowOutcome.Rejected, errors);

            if (row.Indicator is null || !indicators.TryGetValue(row.Indicator, out var indicator))
            {
                results.Add(Reject(new RowError("indicator", row.Indicator is null ? "is required." : $"\"{row.Indicator}\" is not an indicator of the catalog.")));
                continue;
            }
            if (Ownership.Check(indicator, agency, registered) is { } notOwner)
            {
                results.Add(Reject(new RowError("indicator", notOwner.Detail)));
                continue;
            }
            var numberError = ImportParser.ParseNumber(row.Value, row.ValueIsNumber, out var number);
            var (write, errors, unknownSeries) = ValueRules.Validate(indicator, row.Series, row.Year ?? "", numberError is null ? number : null, numberError,
                row.Note, row.Status, reason: null, repertoire, clock);
            if (unknownSeries) errors["series"] = [$"\"{row.Series}\" is not a series of {indicator.Id}: {string.Join(", ", indicator.Series.Select(s => s.Id))}."];
            if (errors.Count > 0)
            {
                results.Add(Reject(errors.SelectMany(e => e.Value.Select(m => new RowError(e.Key, m))).ToArray()));
                continue;
            }
            if (seen.TryGetValue((indicator.Id, write!.Series, write.Year), out var first))
            {
                results.Add(Reject(new RowError("year", $"repeats row {first} ({indicator.Id}, {write.Series}, {write.Year}): send each value once.")));
                continue;
            }
            seen[(indicator.Id, write.Series, write.Year)] = row.Row;
            if (!refusals.TryGetValue(write.Year, out var refusal))
            {
                refusal = await controls.CheckAsync(write.Year, user, reason: null, cancellationToken);
                refusals[write.Year] = refusal;
            }
            if (refusal is not null)
            {
                results.Add(Reject(new RowError("year", refusal.Detail)));
                continue;
            }
            valid.Add((row, indicator, write));
        }

        var now = clock.GetUtcNow();
        foreach (var group in valid.GroupBy(v => v.Indicator.Id))
        {
            var batch = group.ToList();
            IReadOnlyList<WriteOutcome>? outcomes = null;
            string? failure = null;
            try
            {
                outcomes = await values.WriteAsync(group.Key, batch.Select(b => b.Write).ToList(), user.Who(), agency, now, dryRun, cancellationToken);
            }
            catch (InvalidOperationException ex) when (ex.Message.StartsWith("At most", StringComparison.Ordinal))
            {
                failure = $"more than {ValueStore.MaxChangesPerTransaction} changed values of {group.Key} cannot be written together atomically: split them over several imports.";
            }
            for (var i = 0; i < batch.Count; i++)
            {
                var (row, indicator, write) = batch[i];
                results.Add(outcomes is null
                    ? new RowResult(row.Row, indicator.Id, write.Series, write.Year, RowOutcome.Rejected, [new RowError("indicator", failure!)])
                    : new RowResult(row.Row, indicator.Id, write.Series, write.Year,
                        outcomes[i].Kind == WriteKind.Unchanged ? RowOutcome.Unchanged : RowOutcome.Accepted, [],
                        dryRun ? null : outcomes[i].Value.ETag, outcomes[i].Kind, outcomes[i].Value.Flagged));
            }
        }

        var ordered = results.OrderBy(r => r.Row).ToList();
        if (!dryRun)
        {
            foreach (var outcome in ordered.GroupBy(r => r.Outcome == RowOutcome.Rejected ? "refused" : (r.Change ?? WriteKind.Unchanged).ToString().ToLowerInvariant()))
            {
                Hosting.Telemetry.RecordSubmission(agency, outcome.Key, outcome.Count());
            }
        }
        return new ImportResult(dryRun, ordered.Count, ordered.Count(r => r.Outcome == RowOutcome.Accepted), ordered.Count(r => r.Outcome == RowOutcome.Unchanged),
            ordered.Count(r => r.Outcome == RowOutcome.Rejected), ordered);
    }
}
