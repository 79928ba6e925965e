using System.Collections.Concurrent;

namespace Reporting.Features.Submissions;

/// <summary>
/// What this instance last saw of each value: its latest revision, or that it had none. It spares a submission the read
/// before its write, and is never trusted further than that: a write built on it is an insert of the next revision,
/// which storage refuses if another instance got there first (then the value is read and the write rebuilt), and a
/// decision not to write (unchanged, precondition failed) is confirmed by a read. Revisions only grow, so an entry is
/// never replaced by an older one. The catalog bounds the keys (indicators × series × years); the cap is a safety net.
/// </summary>
public sealed class LatestValues
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<(string Indicator, string Series, int Year), Known> known = new();
    // A null entry: the guard changed in a way this instance did not see (its ETag is unknown): read it before use.
    private readonly ConcurrentDictionary<(string Indicator, int Year), YearGuard?> guards = new();

    // Indicators read whole: a value of theirs that is not in `known` had no revision when they were read.
    private readonly ConcurrentDictionary<string, bool> wholeIndicators = new(StringComparer.Ordinal);

    /// <summary>A value's latest revision, or <see cref="Value"/> null when it had none.</summary>
    public sealed record Known(IndicatorValue? Value);

    /// <summary>What this instance knows of a value: seen, or absent from its indicator when that was read whole.</summary>
    public bool TryGet(string indicatorId, string series, int year, out Known found)
    {
        if (known.TryGetValue((indicatorId, series, year), out found!)) return true;
        found = new Known(null);
        return wholeIndicators.ContainsKey(indicatorId);
    }

    public bool HasWhole(string indicatorId) => wholeIndicators.ContainsKey(indicatorId);

    /// <summary>Call after <see cref="Saw"/> for every value of a complete read of the indicator.</summary>
    public void SawWhole(string indicatorId) => wholeIndicators[indicatorId] = true;

    /// <summary>
    /// The guard of a year as this instance last saw it (absent from an indicator read whole means it had none). A write
    /// built on a stale guard fails at storage on its ETag and is rebuilt on a fresh read.
    /// </summary>
    public bool TryGetGuard(string indicatorId, int year, out YearGuard guard)
    {
        if (guards.TryGetValue((indicatorId, year), out var seen))
        {
            guard = seen ?? YearGuard.Absent(year);
            return seen is not null;
        }
        guard = YearGuard.Absent(year);
        return wholeIndicators.ContainsKey(indicatorId);
    }

    public void SawGuard(string indicatorId, YearGuard guard) => guards[(indicatorId, guard.Year)] = guard;

    /// <summary>Forgets a guard whose current ETag this instance does not know, so the next write reads it.</summary>
    public void ForgetGuard(string indicatorId, int year) => guards[(indicatorId, year)] = null;

    public void Saw(string indicatorId, string series, int year, IndicatorValue? value)
    {
        if (known.Count >= Capacity)
        {
            wholeIndicators.Clear();
            known.Clear();
            guards.Clear();
        }
        known.AddOrUpdate((indicatorId, series, year), new Known(value),
            (_, old) => old.Value is not null && (value is null || value.Revision < old.Value.Revision) ? old : new Known(value));
    }
}
