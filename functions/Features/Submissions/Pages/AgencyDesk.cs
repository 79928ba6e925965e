using Reporting.Features.Indicators;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions.Pages;

/// <summary>Where a fiscal year's submissions stand for agencies today.</summary>
public enum WindowState
{
    /// <summary>No window is set: agencies may submit (a year without a window is open).</summary>
    Unset,
    NotYetOpen,
    Open,
    Closed,
}

/// <summary>A fiscal year as an agency's clerk sees it: its window, how many days are left, whether it is locked.</summary>
public sealed record YearStatus(int Year, SubmissionWindow? Window, WindowState State, int? DaysLeft, YearLock? Lock)
{
    /// <summary>Whether an agency may submit values for the year now (the write itself decides again).</summary>
    public bool AcceptsAgencies => Lock is null && State is WindowState.Unset or WindowState.Open;

    public static YearStatus Of(int year, SubmissionWindow? window, YearLock? yearLock, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(JapanTime.ToJapan(now).DateTime);
        var state = window is null ? WindowState.Unset
            : today < window.OpensOn ? WindowState.NotYetOpen
            : today > window.ClosesOn ? WindowState.Closed
            : WindowState.Open;
        int? daysLeft = state == WindowState.Open ? window!.ClosesOn.DayNumber - today.DayNumber : null;
        return new YearStatus(year, window, state, daysLeft, yearLock);
    }
}

/// <summary>One indicator on an agency's list: the catalog entry, its values, and where the chosen year stands.</summary>
public sealed record DeskIndicator(Indicator Indicator, IReadOnlyList<IndicatorValue> Values)
{
    /// <summary>The current value of a series for a year, if any.</summary>
    public IndicatorValue? ValueOf(string series, int year) => Values.FirstOrDefault(v => v.Series == series && v.Year == year);

    /// <summary>The latest values of a series up to <paramref name="year"/>: the five years before it and itself.</summary>
    public IReadOnlyList<IndicatorValue> Recent(string series, int year, int count = 5) =>
        Values.Where(v => v.Series == series && v.Year <= year).OrderByDescending(v => v.Year).Take(count).ToList();
}

/// <summary>An agency's work for a fiscal year: the years it may choose, the chosen year's status, its indicators.</summary>
public sealed record Desk(Agency Agency, IReadOnlyList<int> Years, YearStatus Year, IReadOnlyList<DeskIndicator> Indicators);

/// <summary>
/// What the agency pages show, read once per page: the agency's indicators (the catalog decides which are whose), their
/// values, the submission windows and each year's publication. The year a clerk works on is, unless they choose
/// another, the latest year whose window is open today, else the latest completed fiscal year (the annual report's).
/// </summary>
public sealed class AgencyDesk(IndicatorStore catalog, ValueStore values, SubmissionControls controls, TimeProvider clock)
{
    public async Task<Result<Desk>> OpenAsync(string agencyCode, int? year, CancellationToken cancellationToken = default)
    {
        var agency = await catalog.FindAgencyAsync(agencyCode, cancellationToken);
        if (agency is null)
        {
            return Refusal.Forbidden(new($"Agency '{agencyCode}' is not registered.", $"府省「{agencyCode}」は登録されていません。管理者に登録を依頼してください。"));
        }
        var (years, status) = await YearAsync(year, cancellationToken);
        var mine = (await catalog.ListAsync(cancellationToken)).Where(i => string.Equals(i.Agency, agency.Code, StringComparison.OrdinalIgnoreCase)).OrderBy(i => i.Order);
        var indicators = await Task.WhenAll(mine.Select(async i => new DeskIndicator(i, await values.ListAsync(i.Id, includeHistory: false, cancellationToken))));
        return new Desk(agency, years, status, indicators);
    }

    /// <summary>The years a clerk may choose from and the status of the one chosen (or of the default).</summary>
    public async Task<(IReadOnlyList<int> Years, YearStatus Status)> YearAsync(int? year, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var windows = await controls.ListWindowsAsync(cancellationToken);
        var current = JapanTime.CurrentFiscalYear(clock);
        var open = windows.Where(w => w.IsOpen(now) && w.FiscalYear <= current).Select(w => (int?)w.FiscalYear).Max();
        var chosen = year is { } y && y >= ValueRules.MinYear && y <= current ? y : open ?? JapanTime.LatestCompletedFiscalYear(clock);
        var years = Enumerable.Range(current - 5, 6).Concat(windows.Select(w => w.FiscalYear)).Append(chosen)
            .Where(y => y >= ValueRules.MinYear && y <= current).Distinct().OrderDescending().ToList();
        var status = YearStatus.Of(chosen, windows.FirstOrDefault(w => w.FiscalYear == chosen), await controls.GetLockAsync(chosen, cancellationToken), now);
        return (years, status);
    }

    /// <summary>One of the agency's indicators with its values, or why it is not theirs.</summary>
    public async Task<Result<(DeskIndicator Indicator, Agency Agency)>> IndicatorAsync(Submitter submitter, string id, CancellationToken cancellationToken = default)
    {
        var indicator = await catalog.FindAsync(id, cancellationToken);
        if (indicator is null) return Refusal.NoIndicator(id);
        var agency = submitter.AgencyCode is { } code ? await catalog.FindAgencyAsync(code, cancellationToken) : null;
        if (submitter.AgencyCode is { } agencyCode && Ownership.Check(indicator, agencyCode, agency) is { } notOwner) return notOwner;
        var owner = agency ?? await catalog.FindAgencyAsync(indicator.Agency, cancellationToken) ?? new Agency(indicator.Agency, indicator.Agency);
        return (new DeskIndicator(indicator, await values.ListAsync(indicator.Id, includeHistory: false, cancellationToken)), owner);
    }

    /// <summary>A value with every revision, for its history.</summary>
    public Task<IndicatorValue?> HistoryAsync(string indicatorId, string series, int year, CancellationToken cancellationToken = default) =>
        values.GetAsync(indicatorId, series, year, includeHistory: true, cancellationToken);
}
