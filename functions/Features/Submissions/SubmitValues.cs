using Reporting.Features.Indicators;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>
/// One value as an agency or an administrator submits it — by <c>PUT …/values/{year}</c> or as a row of an import —
/// before any rule is applied: the year as sent, the value parsed (or why it could not be), and the HTTP preconditions.
/// <see cref="Row"/> is the row of an import (0 for a PUT).
/// </summary>
public sealed record ValueSubmission(
    string? IndicatorId, string? Series, string Year, double? Value, Message? ValueError, string? Note, string? Status,
    string? Reason = null, string? IfMatch = null, bool CreateOnly = false, int Row = 0);

/// <summary>What became of one submission of a batch: its write's outcome, or why it was refused.</summary>
public sealed record SubmissionResult(ValueSubmission Submission, Indicator? Indicator, ValueWrite? Write, Result<WriteOutcome> Outcome);

/// <summary>
/// Submitting values: the one path every write of a value takes, whether it comes from the PUT endpoint or from an
/// import. In order: the indicator exists; an agency submits only the indicators the catalog gives it; the value,
/// year, series, status, note and reason follow the catalog's rules; an administrator gives a reason; an agency is
/// inside the year's window; the year is not locked (decided at the write itself); the write. Each step answers a
/// refusal the caller maps, never an HTTP status.
/// </summary>
public sealed class SubmitValues(
    IndicatorStore catalog, ValueStore values, SubmissionControls controls, Repertoire repertoire, TimeProvider clock, ILogger<SubmitValues> logger)
{
    /// <summary>
    /// Whether <paramref name="submitter"/> may submit values of the indicator at all: it exists, and an agency submits only
    /// the indicators the catalog gives it. Checked before the request's body is read, so that a caller learns first that
    /// the value is not theirs to send (403), whatever the body holds.
    /// </summary>
    public async Task<Refusal?> CheckAccessAsync(Submitter submitter, string indicatorId, CancellationToken cancellationToken = default)
    {
        var indicator = await catalog.FindAsync(indicatorId, cancellationToken);
        if (indicator is null) return Refusal.NoIndicator(indicatorId) with { Field = "indicator" };
        if (submitter.AgencyCode is not { } code) return null;
        return Ownership.Check(indicator, code, await catalog.FindAgencyAsync(code, cancellationToken)) is { } notOwner ? notOwner with { Field = "indicator" } : null;
    }

    /// <summary>One value (a PUT): written, unchanged, or refused.</summary>
    public async Task<Result<WriteOutcome>> SubmitAsync(Submitter submitter, ValueSubmission submission, CancellationToken cancellationToken = default)
    {
        var indicator = submission.IndicatorId is null ? null : await catalog.FindAsync(submission.IndicatorId, cancellationToken);
        var registered = submitter.AgencyCode is { } code ? await catalog.FindAgencyAsync(code, cancellationToken) : null;
        var prepared = await PrepareAsync(submitter, submission, indicator, registered, new Dictionary<int, Refusal?>(), cancellationToken);
        if (prepared.IsRefused)
        {
            Hosting.Telemetry.RecordSubmission(submitter.Agency, "refused");
            return prepared.Refusal!;
        }
        var write = prepared.Value with { IfMatch = submission.IfMatch, CreateOnly = submission.CreateOnly };
        var outcome = (await values.WriteAsync(indicator!.Id, [write], submitter, clock.GetUtcNow(), cancellationToken: cancellationToken))[0];
        if (!outcome.IsRefused) outcome = outcome.Value with { Value = outcome.Value.Value.Dated(indicator) };
        Record(submitter, indicator.Id, [outcome]);
        if (!outcome.IsRefused)
        {
            logger.LogInformation("Value {Indicator}/{Series}/{Year} = {Value} ({Status}) by {Agency}: revision {Revision} ({Outcome})",
                indicator.Id, write.Series, write.Year, write.Value, write.Status, submitter.Agency, outcome.Value.Value.Revision, outcome.Value.Kind);
        }
        return outcome;
    }

    /// <summary>
    /// Many values (an import): every submission is checked with the same rules as a single one, then each indicator's
    /// valid submissions are written in one transaction, all of them or none. A refused submission is never written; a
    /// batch may not submit the same value twice. With <paramref name="dryRun"/> nothing is written and the answer says
    /// what would happen.
    /// </summary>
    public async Task<IReadOnlyList<SubmissionResult>> SubmitAllAsync(Submitter submitter, IAsyncEnumerable<ValueSubmission> submissions, bool dryRun,
        CancellationToken cancellationToken = default)
    {
        var indicators = (await catalog.ListAsync(cancellationToken)).ToDictionary(i => i.Id, StringComparer.Ordinal);
        var registered = submitter.AgencyCode is { } code ? await catalog.FindAgencyAsync(code, cancellationToken) : null;
        var results = new List<SubmissionResult>();
        var valid = new List<(ValueSubmission Submission, Indicator Indicator, ValueWrite Write)>();
        var seen = new Dictionary<(string, string, int), int>();
        var windows = new Dictionary<int, Refusal?>();

        await foreach (var submission in submissions.WithCancellation(cancellationToken))
        {
            var indicator = submission.IndicatorId is null ? null : indicators.GetValueOrDefault(submission.IndicatorId);
            var prepared = await PrepareAsync(submitter, submission, indicator, registered, windows, cancellationToken, before: write =>
                seen.TryGetValue((indicator!.Id, write.Series, write.Year), out var first)
                    ? Refusal.Invalid("year", new($"repeats row {first} ({indicator.Id}, {write.Series}, {write.Year}): send each value once.",
                        $"{first}行目と同じ値（{indicator.Id}、{write.Series}、{write.Year}）です。同じ値は1回だけ入力してください。"))
                    : null);
            if (prepared.IsRefused)
            {
                results.Add(new SubmissionResult(submission, indicator, null, prepared.Refusal!));
                continue;
            }
            seen[(indicator!.Id, prepared.Value.Series, prepared.Value.Year)] = submission.Row;
            valid.Add((submission, indicator, prepared.Value));
        }

        var now = clock.GetUtcNow();
        var groups = valid.GroupBy(v => v.Indicator.Id).ToList();
        var committed = new List<string>();
        foreach (var group in groups)
        {
            var batch = group.ToList();
            IReadOnlyList<Result<WriteOutcome>> outcomes;
            try
            {
                outcomes = await values.WriteAsync(group.Key, batch.Select(b => b.Write).ToList(), submitter, now, dryRun, cancellationToken);
            }
            catch (Exception ex) when (!dryRun && StorageFaults.IsUnavailable(ex))
            {
                throw Interrupted(committed, group.Key, groups.SkipWhile(g => g.Key != group.Key).Skip(1).Select(g => g.Key).ToList(), ex);
            }
            results.AddRange(batch.Select((b, i) => new SubmissionResult(b.Submission, b.Indicator, b.Write, outcomes[i])));
            if (!dryRun)
            {
                Record(submitter, group.Key, outcomes);
                committed.Add(group.Key);
            }
        }
        if (!dryRun)
        {
            var refused = results.Count(r => r.Write is null);
            if (refused > 0) Hosting.Telemetry.RecordSubmission(submitter.Agency, "refused", refused);
        }
        return results.OrderBy(r => r.Submission.Row).ToList();
    }

    /// <summary>Every rule a submission must pass before it is written, in the order a submitter fixes them.</summary>
    private async Task<Result<ValueWrite>> PrepareAsync(Submitter submitter, ValueSubmission submission, Indicator? indicator, Agency? registered,
        Dictionary<int, Refusal?> windows, CancellationToken cancellationToken, Func<ValueWrite, Refusal?>? before = null)
    {
        if (indicator is null)
        {
            return submission.IndicatorId is null
                ? Refusal.Invalid("indicator", ValueRules.Required)
                : Refusal.NoIndicator(submission.IndicatorId) with { Field = "indicator" };
        }
        if (submitter.AgencyCode is { } agency && Ownership.Check(indicator, agency, registered) is { } notOwner)
        {
            return notOwner with { Field = "indicator" };
        }
        var validated = ValueRules.Validate(indicator, submission.Series, submission.Year, submission.ValueError is null ? submission.Value : null,
            submission.ValueError, submission.Note, submission.Status, submission.Reason, repertoire, clock);
        if (validated.IsRefused) return validated;
        var write = validated.Value;
        if (before?.Invoke(write) is { } repeated) return repeated;
        if (!windows.TryGetValue(write.Year, out var closed))
        {
            closed = await controls.CheckAsync(write.Year, submitter, submission.Reason, cancellationToken);
            windows[write.Year] = closed;
        }
        return closed is null ? write : closed;
    }

    /// <summary>
    /// Storage failed while an import was being written: the indicators whose transactions storage confirmed, the one
    /// in flight (storage may or may not have applied it: each transaction is all or nothing), and those not sent.
    /// Sending the same import again is safe — values already stored are answered unchanged, so each converges to one
    /// revision — and that is what the answer tells the client to do.
    /// </summary>
    private StorageInterruptedException Interrupted(IReadOnlyList<string> committed, string inFlight, IReadOnlyList<string> notSent, Exception fault)
    {
        logger.LogWarning(fault, "Import interrupted by storage: {Committed} committed, {InFlight} unconfirmed, {NotSent} not sent",
            committed.Count, inFlight, notSent.Count);
        var notCommitted = new[] { inFlight }.Concat(notSent).ToList();
        return new StorageInterruptedException(
            $"Storage became unavailable during the import. Committed: {List(committed)}. Not committed: {List(notCommitted)} " +
            $"(the transaction of {inFlight} was in flight and may or may not have been applied). Send the same import again: " +
            "rows already stored are answered unchanged, the others are written.",
            new Dictionary<string, object?>
            {
                ["committed"] = committed.ToArray(),
                ["notCommitted"] = notCommitted.ToArray(),
                ["unconfirmed"] = new[] { inFlight },
            },
            fault);

        static string List(IReadOnlyList<string> ids) => ids.Count == 0 ? "none" : string.Join(", ", ids);
    }

    private static void Record(Submitter submitter, string indicatorId, IReadOnlyList<Result<WriteOutcome>> outcomes)
    {
        foreach (var kind in outcomes.GroupBy(o => o.IsRefused ? "refused" : o.Value.Kind.ToString().ToLowerInvariant()))
        {
            Hosting.Telemetry.RecordSubmission(submitter.Agency, kind.Key, kind.Count());
        }
    }
}
