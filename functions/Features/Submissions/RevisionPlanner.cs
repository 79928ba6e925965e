using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>How far the publication of a final report has locked a year's values.</summary>
public enum LockState
{
    Open,

    /// <summary>A publication has locked the year and is checking the data; it ends final or open again.</summary>
    Publishing,

    /// <summary>A report of the year was published as final: agencies can no longer change its values.</summary>
    Final,
}

/// <summary>
/// The guard of one year of one indicator's values: an entity in the values' own partition. Every write of a value of
/// that year updates it in the same transaction, conditional on the ETag it read — so a publication, which updates the
/// guard to lock the year, makes every write still in flight fail at storage instead of landing after the lock. The
/// lock is enforced at the write itself, not by a check made some time before it.
/// </summary>
public sealed record YearGuard(int Year, LockState State, string? ReportId, string? LockedBy, DateTimeOffset? Since, string? ETag)
{
    /// <summary>A year no write or publication has touched yet: there is no guard entity.</summary>
    public static YearGuard Absent(int year) => new(year, LockState.Open, null, null, null, null);

    public bool Exists => ETag is not null;
}

/// <summary>What a plan was built on: a stored state, and whether it came from this instance's memory rather than a read.</summary>
public readonly record struct Known<T>(T Value, bool FromCache);

/// <summary>A revision to insert: the value as it will be stored, the value it replaces and the reason given.</summary>
public sealed record NewRevision(IndicatorValue Value, double? PreviousValue, string? Reason);

/// <summary>
/// What a write will do: for each requested write its outcome or why it is refused (its year is locked), the revisions
/// to insert, and the years whose guards the transaction updates.
/// </summary>
public sealed record RevisionPlan(IReadOnlyList<Result<WriteOutcome>> Outcomes, IReadOnlyList<NewRevision> Revisions, IReadOnlyList<int> Years);

/// <summary>
/// A plan, or the refusal that stops the write, or the keys whose cached state must first be confirmed by a read (a
/// decision not to write — unchanged, a failed precondition, a locked year — is never taken on cached state alone).
/// </summary>
public sealed record PlanDecision(RevisionPlan? Plan, Refusal? Refusal, IReadOnlyList<(string Series, int Year)> DoubtfulValues, IReadOnlyList<int> DoubtfulYears)
{
    public bool NeedsRead => DoubtfulValues.Count > 0 || DoubtfulYears.Count > 0;
}

/// <summary>The weak ETag of a value's revision, and If-Match as HTTP clients send it.</summary>
public static class ValueETag
{
    /// <summary>Weak: the representation also carries the computed outlier flag.</summary>
    public static string Of(int revision) => $"W/\"r{revision}\"";

    /// <summary>"*" matches any existing version; otherwise one of a comma-separated list, compared without the weak prefix (clients often drop the W/).</summary>
    public static bool Matches(string ifMatch, int revision)
    {
        static string Bare(string tag) => tag.Trim().StartsWith("W/", StringComparison.Ordinal) ? tag.Trim()[2..] : tag.Trim();
        var current = Bare(Of(revision));
        return ifMatch.Trim() == "*" || ifMatch.Split(',').Any(t => Bare(t) == current);
    }
}

/// <summary>
/// Decides what a write of values does, from the stored state alone: which revisions to insert (values are append-only:
/// a change is revision n + 1), which writes change nothing (the same value, note and status sent again is a retry,
/// not a revision), which HTTP preconditions fail, and whether the year is locked for the submitter. Pure: the store
/// reads the state, asks, and commits the plan.
/// </summary>
public static class RevisionPlanner
{
    /// <inheritdoc cref="ValueStore.MaxRevision"/>
    public const int MaxRevision = 999_999;

    /// <summary>
    /// A publication that locked a year and neither finished nor opened it again within this time stopped (an outage
    /// outlasted its clean-up): the publication of another report may take the year over.
    /// </summary>
    public static readonly TimeSpan AbandonedPublication = TimeSpan.FromMinutes(10);

    public static PlanDecision Plan(
        string indicatorId, IReadOnlyList<ValueWrite> writes,
        IReadOnlyDictionary<(string Series, int Year), Known<IndicatorValue?>> values, IReadOnlyDictionary<int, Known<YearGuard>> guards,
        Submitter submitter, DateTimeOffset now, double outlierFactor)
    {
        // A locked year refuses its own writes; the other writes of the batch go ahead.
        var locked = new Dictionary<int, Refusal>();
        if (!submitter.IsAdmin)
        {
            var doubtfulYears = new List<int>();
            foreach (var year in writes.Select(w => w.Year).Distinct())
            {
                var guard = guards.GetValueOrDefault(year, new Known<YearGuard>(YearGuard.Absent(year), FromCache: false));
                if (LockedFor(guard.Value, now) is not { } refusal) continue;
                if (guard.FromCache) doubtfulYears.Add(year);
                else locked[year] = refusal;
            }
            if (doubtfulYears.Count > 0) return new PlanDecision(null, null, [], doubtfulYears);
        }

        var outcomes = new List<Result<WriteOutcome>>(writes.Count);
        var revisions = new List<NewRevision>();
        var doubtful = new List<(string, int)>();
        Refusal? failure = null;
        // Later writes of the batch see earlier ones, so an import's previous-year row counts for the outlier check.
        var view = values.Where(p => p.Value.Value is not null).ToDictionary(p => p.Key, p => p.Value.Value!);
        foreach (var w in writes)
        {
            if (locked.TryGetValue(w.Year, out var lockedYear))
            {
                outcomes.Add(lockedYear);
                continue;
            }
            var key = (w.Series, w.Year);
            var found = values.GetValueOrDefault(key, new Known<IndicatorValue?>(null, FromCache: false));
            var previous = found.Value;
            Refusal? precondition = null;
            if (w.CreateOnly && previous is not null)
            {
                precondition = Refusal.PreconditionFailed(new($"A value for {w.Series}/{w.Year} already exists (If-None-Match: *).",
                    $"{w.Year}の値（{w.Series}）は、ほかの人がすでに入力しています。上書きしていません。"));
            }
            else if (w.IfMatch is not null && (previous is null || !ValueETag.Matches(w.IfMatch, previous.Revision)))
            {
                precondition = Refusal.PreconditionFailed(previous is null
                    ? new($"There is no value for {w.Series}/{w.Year} to match.", $"{w.Year}の値（{w.Series}）はありません。")
                    : new($"The value for {w.Series}/{w.Year} has changed since ETag {w.IfMatch}; its current ETag is {ValueETag.Of(previous.Revision)}.",
                        $"{w.Year}の値（{w.Series}）は、画面を開いた後にほかの人が変更しました（現在は第{previous.Revision}版）。上書きしていません。"));
            }
            var same = previous is not null && previous.Value.Equals(w.Value) && previous.Note == w.Note && previous.Status == w.Status;
            if ((precondition is not null || same) && found.FromCache && !w.CreateOnly)
            {
                doubtful.Add(key);
                continue;
            }
            if (precondition is not null)
            {
                failure ??= precondition;
                continue;
            }
            if (same)
            {
                outcomes.Add(new WriteOutcome(OutlierRule.Apply(previous!, view, outlierFactor), WriteKind.Unchanged));
                continue;
            }
            var revision = (previous?.Revision ?? 0) + 1;
            if (revision > MaxRevision)
            {
                failure ??= Refusal.Conflict(new($"{indicatorId}/{w.Series}/{w.Year} has reached {MaxRevision:N0} revisions; no more can be stored.",
                    $"{w.Year}の値（{w.Series}）は改訂が上限（{MaxRevision:N0}版）に達しました。これ以上保存できません。"));
                continue;
            }
            var value = new IndicatorValue(indicatorId, w.Series, w.Year, w.Value, w.Note, revision, submitter.Who, submitter.Agency, now,
                Status: w.Status, ETag: ValueETag.Of(revision));
            revisions.Add(new NewRevision(value, previous?.Value, w.Reason));
            view[key] = value;
            outcomes.Add(new WriteOutcome(OutlierRule.Apply(value, view, outlierFactor), previous is null ? WriteKind.Created : WriteKind.Revised));
        }
        if (doubtful.Count > 0) return new PlanDecision(null, null, doubtful, []);
        if (failure is not null) return new PlanDecision(null, failure, [], []);
        var years = revisions.Select(r => r.Value.Year).Distinct().Order().ToList();
        return new PlanDecision(new RevisionPlan(outcomes, revisions, years), null, [], []);
    }

    /// <summary>Why an agency may not write the guard's year now, or null when it may.</summary>
    public static Refusal? LockedFor(YearGuard guard, DateTimeOffset now) => guard.State switch
    {
        LockState.Final => new Refusal(RefusalKind.Conflict, new("The year is locked", "この年度は確定済みです"),
            new($"Values for {guard.Year} are locked: report {guard.ReportId} was published as final on {JapanTime.DateLabel(guard.Since ?? now)}. Ask an administrator to correct it.",
                $"{guard.Year}の値は、{JapanTime.DateLabel(guard.Since ?? now)}に報告書が確定版として公表されたため変更できません。訂正が必要な場合は管理者に依頼してください。"),
            Extensions: new Dictionary<string, object?> { ["lockedYear"] = guard.Year, ["reportId"] = guard.ReportId, ["publishedAt"] = guard.Since },
            Field: "year"),
        LockState.Publishing => new Refusal(RefusalKind.Conflict, new("The year is being locked", "この年度は公表の処理中です"),
            new($"Values for {guard.Year} cannot be changed while report {guard.ReportId} is being published (the year is being locked). Retry in a minute: a publication either completes or opens the year again; if one stopped half-way, staff publish the report again to complete it.",
                $"{guard.Year}の報告書を公表する処理中のため、値を変更できません。1分ほど待ってからもう一度保存してください。"),
            Extensions: new Dictionary<string, object?> { ["lockedYear"] = guard.Year, ["reportId"] = guard.ReportId },
            Field: "year"),
        _ => null,
    };
}
