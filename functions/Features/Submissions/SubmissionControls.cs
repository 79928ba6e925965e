using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
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

/// <summary>
/// The publication of a fiscal year's final report: which report, by whom, since when, and how far it has got
/// (<see cref="LockState.Publishing"/> until the report is marked final). One per year: the first publication wins.
/// </summary>
/// <summary>A closed window's dates, as a refusal names them (yyyy-MM-dd, Japan time).</summary>
public sealed record WindowDates(string OpensOn, string ClosesOn);

public sealed record YearLock(int FiscalYear, string ReportId, string PublishedBy, DateTimeOffset PublishedAt, LockState State = LockState.Publishing);

/// <summary>
/// Submission windows and the record of each year's publication (DHIS2's data input periods and approvals), kept in
/// the Controls table. A year without a window is open. Windows are checked before every agency write; each instance
/// reuses what it read of a year's window for <see cref="SubmissionOptions.ControlsCacheSeconds"/>. Whether a year is
/// locked is decided at the write itself, by the year's guards in the values table (<see cref="YearGuard"/>); the
/// record here is what makes one publication per year win and what a retried publication resumes.
/// </summary>
public sealed class SubmissionControls(ReportingTables tables, TimeProvider clock, IOptions<SubmissionOptions> options)
{
    private const string WindowPartition = "window";
    private const string LockPartition = "lock";

    private sealed record Cached(SubmissionWindow? Window, long ReadStartedAt);

    private readonly ConcurrentDictionary<int, Cached> cache = new();
    private readonly ConcurrentDictionary<int, SemaphoreSlim> reading = new();

    private TimeSpan CacheTime => TimeSpan.FromSeconds(Math.Max(0, options.Value.ControlsCacheSeconds));

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

    /// <summary>Records the start of <paramref name="yearLock"/>'s publication; false if the year already has one (first one wins).</summary>
    public async Task<bool> TryLockAsync(YearLock yearLock, CancellationToken cancellationToken = default)
    {
        try
        {
            await tables.Controls.AddEntityAsync(ToEntity(yearLock), cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.EntityAlreadyExists)
        {
            return false;
        }
    }

    /// <summary>Records that the publication completed: the year's report is final.</summary>
    public async Task MarkFinalAsync(YearLock yearLock, CancellationToken cancellationToken = default) =>
        await tables.Controls.UpsertEntityAsync(ToEntity(yearLock with { State = LockState.Final }), TableUpdateMode.Replace, cancellationToken);

    /// <summary>Removes the record of a publication that could not complete (only that one: it must still name the report).</summary>
    public async Task UnlockAsync(YearLock yearLock, CancellationToken cancellationToken = default)
    {
        var e = await tables.Controls.GetEntityIfExistsAsync<TableEntity>(LockPartition, Key(yearLock.FiscalYear), cancellationToken: cancellationToken);
        if (e.HasValue && e.Value!.GetString("ReportId") == yearLock.ReportId)
        {
            try
            {
                await tables.Controls.DeleteEntityAsync(e.Value, e.Value.ETag, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.ErrorCode == TableErrorCode.UpdateConditionNotSatisfied || ex.ErrorCode == TableErrorCode.ResourceNotFound)
            {
                // Another request of the same publication finished or removed it meanwhile.
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="submitter"/> may write a value for <paramref name="year"/> as far as the window and the
    /// reason go: an administrator must give a reason; an agency must be inside the year's window. (A locked year is
    /// refused at the write itself.) Calendar-year values count against the window of the fiscal year with the same number.
    /// </summary>
    public async Task<Refusal?> CheckAsync(int year, Submitter submitter, string? reason, CancellationToken cancellationToken = default)
    {
        if (submitter.IsAdmin)
        {
            return string.IsNullOrWhiteSpace(reason)
                ? new Refusal(RefusalKind.Invalid, new("A reason is required", "理由を入力してください"),
                    new("An administrator's change of a submitted value must give a reason (\"reason\"); it is kept in the value's history.",
                        "管理者が提出済みの値を変更するときは理由が必要です。理由は値の履歴に記録されます。"),
                    new Dictionary<string, Message[]> { ["reason"] = [new("is required for an administrator's change.", "管理者による変更には理由が必要です。")] }, Field: "reason")
                : null;
        }
        var window = await WindowOfAsync(year, cancellationToken);
        var now = clock.GetUtcNow();
        if (window is not null && !window.IsOpen(now))
        {
            return new Refusal(RefusalKind.Conflict, new("The submission window is closed", "入力期間外です"),
                new($"Submissions for {year} are accepted from {window.OpensOn:yyyy-MM-dd} to {window.ClosesOn:yyyy-MM-dd} (Japan time); today is {DateOnly.FromDateTime(JapanTime.ToJapan(now).DateTime):yyyy-MM-dd}.",
                    $"{year}の値の入力期間は{JapanTime.DayLabel(window.OpensOn)}から{JapanTime.DayLabel(window.ClosesOn)}までです（本日は{JapanTime.DayLabel(DateOnly.FromDateTime(JapanTime.ToJapan(now).DateTime))}）。"),
                Extensions: new Dictionary<string, object?>
                {
                    ["window"] = new WindowDates(window.OpensOn.ToString("O", CultureInfo.InvariantCulture), window.ClosesOn.ToString("O", CultureInfo.InvariantCulture)),
                    ["today"] = DateOnly.FromDateTime(JapanTime.ToJapan(now).DateTime).ToString("O", CultureInfo.InvariantCulture),
                },
                Field: "year");
        }
        return null;
    }

    private async Task<SubmissionWindow?> WindowOfAsync(int year, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(year, out var cached) && Stopwatch.GetElapsedTime(cached.ReadStartedAt) < CacheTime)
        {
            return cached.Window;
        }
        // Requests arriving together for a year wait for one read rather than each making their own.
        var gate = reading.GetOrAdd(year, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (cache.TryGetValue(year, out cached) && Stopwatch.GetElapsedTime(cached.ReadStartedAt) < CacheTime)
            {
                return cached.Window;
            }
            // Aged from before the read: an entry can only be older than what it holds, never fresher.
            var started = Stopwatch.GetTimestamp();
            var e = await tables.Controls.GetEntityIfExistsAsync<TableEntity>(WindowPartition, Key(year), cancellationToken: cancellationToken);
            var window = e.HasValue ? ToWindow(e.Value!) : null;
            if (CacheTime > TimeSpan.Zero) cache[year] = new Cached(window, started);
            return window;
        }
        finally
        {
            gate.Release();
        }
    }

    private static string Key(int fiscalYear) => fiscalYear.ToString("D4", CultureInfo.InvariantCulture);

    private static TableEntity ToEntity(YearLock yearLock) => new(LockPartition, Key(yearLock.FiscalYear))
    {
        ["ReportId"] = yearLock.ReportId,
        ["PublishedBy"] = yearLock.PublishedBy,
        ["PublishedAt"] = yearLock.PublishedAt,
        ["State"] = yearLock.State.ToString(),
    };

    // A record written before publications had states is a completed one.
    private static YearLock ToLock(TableEntity e) => new(
        int.Parse(e.RowKey, CultureInfo.InvariantCulture), e.GetString("ReportId"), e.GetString("PublishedBy"), e.GetDateTimeOffset("PublishedAt") ?? default,
        Enum.TryParse<LockState>(e.GetString("State"), out var state) ? state : LockState.Final);

    private static SubmissionWindow ToWindow(TableEntity e) => new(
        int.Parse(e.RowKey, CultureInfo.InvariantCulture),
        DateOnly.Parse(e.GetString("OpensOn"), CultureInfo.InvariantCulture),
        DateOnly.Parse(e.GetString("ClosesOn"), CultureInfo.InvariantCulture),
        e.GetString("SetBy"),
        e.GetDateTimeOffset("SetAt") ?? default);
}
