using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>The period (Japan dates, inclusive) in which agencies may submit values for one fiscal year.</summary>
public sealed record SubmissionWindow(int FiscalYear, DateOnly OpensOn, DateOnly ClosesOn, string SetBy, DateTimeOffset SetAt)
{
    public bool IsOpen(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(JapanTime.ToJapan(now).DateTime);
        return today >= OpensOn && today <= ClosesOn;
    }
}

/// <summary>A fiscal year whose values are locked because a report for it was published as final.</summary>
public sealed record YearLock(int FiscalYear, string ReportId, string PublishedBy, DateTimeOffset PublishedAt);

/// <summary>Why a write is refused before it reaches the store.</summary>
public sealed record SubmissionRefusal(int Status, string Title, string Detail, IDictionary<string, object?> Extensions);

/// <summary>
/// Submission windows and year locks (DHIS2's data input periods and approvals): kept in the Controls table, checked
/// on every write. A year without a window is open; a year locked by a published report is closed to agencies, and an
/// admin may still correct it with a logged reason.
/// Each instance reuses what it read of a year for <see cref="SubmissionOptions.ControlsCacheSeconds"/> (a write then
/// costs no read of its own); a change made here applies here at once and on every instance within that time, which
/// is what <see cref="SettleTime"/> gives a publication to wait for.
/// </summary>
public sealed class SubmissionControls(ReportingTables tables, TimeProvider clock, IOptions<SubmissionOptions> options)
{
    private const string WindowPartition = "window";
    private const string LockPartition = "lock";

    private sealed record Cached(YearLock? Lock, SubmissionWindow? Window, long ReadStartedAt);

    private readonly ConcurrentDictionary<int, Cached> cache = new();
    private readonly ConcurrentDictionary<int, SemaphoreSlim> reading = new();

    private TimeSpan CacheTime => TimeSpan.FromSeconds(Math.Max(0, options.Value.ControlsCacheSeconds));

    /// <summary>After a change of the controls, how long until every instance acts on it (with a margin for requests in flight).</summary>
    public TimeSpan SettleTime => CacheTime + TimeSpan.FromSeconds(Math.Min(1, CacheTime.TotalSeconds));

    public async Task<IReadOnlyList<SubmissionWindow>> ListWindowsAsync(CancellationToken cancellationToken = default)
    {
        var result = new List<SubmissionWindow>();
        await foreach (var e in tables.Controls.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {WindowPartition}"), cancellationToken: cancellationToken))
        {
            result.Add(ToWindow(e));
        }
        return result.OrderBy(w => w.FiscalYear).ToList();
    }

    public async Task<SubmissionWindow> SetWindowAsync(int fiscalYear, DateOnly opensOn, DateOnly closesOn, string setBy, CancellationToken cancellationToken = default)
    {
        var window = new SubmissionWindow(fiscalYear, opensOn, closesOn, setBy, clock.GetUtcNow());
        await tables.Controls.UpsertEntityAsync(new TableEntity(WindowPartition, Key(fiscalYear))
        {
            ["OpensOn"] = opensOn.ToString("O", CultureInfo.InvariantCulture),
            ["ClosesOn"] = closesOn.ToString("O", CultureInfo.InvariantCulture),
            ["SetBy"] = setBy,
            ["SetAt"] = window.SetAt,
        }, TableUpdateMode.Replace, cancellationToken);
        cache.TryRemove(fiscalYear, out _);
        return window;
    }

    public async Task<YearLock?> GetLockAsync(int fiscalYear, CancellationToken cancellationToken = default)
    {
        var e = await tables.Controls.GetEntityIfExistsAsync<TableEntity>(LockPartition, Key(fiscalYear), cancellationToken: cancellationToken);
        return e.HasValue ? ToLock(e.Value!) : null;
    }

    /// <summary>Locks a year for <paramref name="yearLock"/>'s report; false if the year is already locked (first one wins).</summary>
    public async Task<bool> TryLockAsync(YearLock yearLock, CancellationToken cancellationToken = default)
    {
        try
        {
            await tables.Controls.AddEntityAsync(new TableEntity(LockPartition, Key(yearLock.FiscalYear))
            {
                ["ReportId"] = yearLock.ReportId,
                ["PublishedBy"] = yearLock.PublishedBy,
                ["PublishedAt"] = yearLock.PublishedAt,
            }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == "EntityAlreadyExists")
        {
            return false;
        }
        finally
        {
            cache.TryRemove(yearLock.FiscalYear, out _);
        }
    }

    /// <summary>Lifts a lock that a publication set but could not complete (only that lock: it must still name the report).</summary>
    public async Task UnlockAsync(YearLock yearLock, CancellationToken cancellationToken = default)
    {
        var e = await tables.Controls.GetEntityIfExistsAsync<TableEntity>(LockPartition, Key(yearLock.FiscalYear), cancellationToken: cancellationToken);
        if (e.HasValue && e.Value!.GetString("ReportId") == yearLock.ReportId)
        {
            await tables.Controls.DeleteEntityAsync(e.Value, e.Value.ETag, cancellationToken);
        }
        cache.TryRemove(yearLock.FiscalYear, out _);
    }

    /// <summary>
    /// Whether <paramref name="user"/> may write a value for <paramref name="year"/> now.
    /// Calendar-year values count against the window of the fiscal year with the same number.
    /// </summary>
    public async Task<SubmissionRefusal?> CheckAsync(int year, ClaimsPrincipal user, string? reason, CancellationToken cancellationToken = default)
    {
        var isAdmin = user.IsInRole(Roles.Admin) && !user.IsAgency();
        if (isAdmin)
        {
            return string.IsNullOrWhiteSpace(reason)
                ? new SubmissionRefusal(400, "A reason is required",
                    "An administrator's change of a submitted value must give a reason (\"reason\"); it is kept in the value's history.",
                    new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["reason"] = ["is required for an administrator's change."] } })
                : null;
        }
        var (yearLock, window) = await ControlsOfAsync(year, cancellationToken);
        if (yearLock is not null)
        {
            return new SubmissionRefusal(409, "The year is locked",
                $"Values for {year} are locked: report {yearLock.ReportId} was published as final on {JapanTime.DateLabel(yearLock.PublishedAt)}. Ask an administrator to correct it.",
                new Dictionary<string, object?> { ["lockedYear"] = year, ["reportId"] = yearLock.ReportId, ["publishedAt"] = yearLock.PublishedAt });
        }
        var now = clock.GetUtcNow();
        if (window is not null && !window.IsOpen(now))
        {
            return new SubmissionRefusal(409, "The submission window is closed",
                $"Submissions for {year} are accepted from {window.OpensOn:yyyy-MM-dd} to {window.ClosesOn:yyyy-MM-dd} (Japan time); today is {DateOnly.FromDateTime(JapanTime.ToJapan(now).DateTime):yyyy-MM-dd}.",
                new Dictionary<string, object?>
                {
                    ["window"] = new { opensOn = window.OpensOn.ToString("O", CultureInfo.InvariantCulture), closesOn = window.ClosesOn.ToString("O", CultureInfo.InvariantCulture) },
                    ["today"] = DateOnly.FromDateTime(JapanTime.ToJapan(now).DateTime).ToString("O", CultureInfo.InvariantCulture),
                });
        }
        return null;
    }

    private async Task<(YearLock? Lock, SubmissionWindow? Window)> ControlsOfAsync(int year, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(year, out var cached) && Stopwatch.GetElapsedTime(cached.ReadStartedAt) < CacheTime)
        {
            return (cached.Lock, cached.Window);
        }
        // Requests arriving together for a year wait for one read rather than each making their own.
        var gate = reading.GetOrAdd(year, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cache.TryGetValue(year, out cached) && Stopwatch.GetElapsedTime(cached.ReadStartedAt) < CacheTime)
            {
                return (cached.Lock, cached.Window);
            }
            return await ReadControlsAsync(year, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(YearLock? Lock, SubmissionWindow? Window)> ReadControlsAsync(int year, CancellationToken cancellationToken)
    {
        // Aged from before the reads: an entry can only be older than what it holds, never fresher.
        var started = Stopwatch.GetTimestamp();
        // Two point reads at once (not a RowKey-only query, which would scan every partition of the table).
        var lockRead = tables.Controls.GetEntityIfExistsAsync<TableEntity>(LockPartition, Key(year), cancellationToken: cancellationToken);
        var windowRead = tables.Controls.GetEntityIfExistsAsync<TableEntity>(WindowPartition, Key(year), cancellationToken: cancellationToken);
        var (lockEntity, windowEntity) = (await lockRead, await windowRead);
        var read = new Cached(lockEntity.HasValue ? ToLock(lockEntity.Value!) : null, windowEntity.HasValue ? ToWindow(windowEntity.Value!) : null, started);
        if (CacheTime > TimeSpan.Zero) cache[year] = read;
        return (read.Lock, read.Window);
    }

    private static string Key(int fiscalYear) => fiscalYear.ToString("D4", CultureInfo.InvariantCulture);

    private static YearLock ToLock(TableEntity e) => new(
        int.Parse(e.RowKey, CultureInfo.InvariantCulture), e.GetString("ReportId"), e.GetString("PublishedBy"), e.GetDateTimeOffset("PublishedAt") ?? default);

    private static SubmissionWindow ToWindow(TableEntity e) => new(
        int.Parse(e.RowKey, CultureInfo.InvariantCulture),
        DateOnly.Parse(e.GetString("OpensOn"), CultureInfo.InvariantCulture),
        DateOnly.Parse(e.GetString("ClosesOn"), CultureInfo.InvariantCulture),
        e.GetString("SetBy"),
        e.GetDateTimeOffset("SetAt") ?? default);
}
