using System.Globalization;
using System.Security.Claims;
using Azure.Data.Tables;
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
/// </summary>
public sealed class SubmissionControls(ReportingTables tables, TimeProvider clock)
{
    private const string WindowPartition = "window";
    private const string LockPartition = "lock";

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
        return window;
    }

    public async Task<YearLock?> GetLockAsync(int fiscalYear, CancellationToken cancellationToken = default)
    {
        var e = await tables.Controls.GetEntityIfExistsAsync<TableEntity>(LockPartition, Key(fiscalYear), cancellationToken: cancellationToken);
        return e.HasValue ? ToLock(e.Value!) : null;
    }

    public async Task LockAsync(YearLock yearLock, CancellationToken cancellationToken = default) =>
        await tables.Controls.UpsertEntityAsync(new TableEntity(LockPartition, Key(yearLock.FiscalYear))
        {
            ["ReportId"] = yearLock.ReportId,
            ["PublishedBy"] = yearLock.PublishedBy,
            ["PublishedAt"] = yearLock.PublishedAt,
        }, TableUpdateMode.Replace, cancellationToken);

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
        // Two point reads at once (not a RowKey-only query, which would scan every partition of the table).
        var lockRead = tables.Controls.GetEntityIfExistsAsync<TableEntity>(LockPartition, Key(year), cancellationToken: cancellationToken);
        var windowRead = tables.Controls.GetEntityIfExistsAsync<TableEntity>(WindowPartition, Key(year), cancellationToken: cancellationToken);
        var (lockEntity, windowEntity) = (await lockRead, await windowRead);
        var yearLock = lockEntity.HasValue ? ToLock(lockEntity.Value!) : null;
        var window = windowEntity.HasValue ? ToWindow(windowEntity.Value!) : null;
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
