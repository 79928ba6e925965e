using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>
/// An administrator opens a fiscal year's submissions: the first and last day (Japan time) on which agencies may submit
/// values for it. The same rules for the API and the web interface.
/// </summary>
public sealed class SetWindow(SubmissionControls controls, ILogger<SetWindow> logger)
{
    public static readonly Message FiscalYearRule = new("must be a four-digit fiscal year such as 2026.", "年度は2026のように4桁の数字で入力してください。");

    public async Task<Result<SubmissionWindow>> SetAsync(string fiscalYear, DateOnly? opensOn, DateOnly? closesOn, string who, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, Message[]>();
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out var year)) errors["fiscalYear"] = [FiscalYearRule];
        if (opensOn is null) errors["opensOn"] = [new("is required: the first day (yyyy-MM-dd, Japan time) agencies may submit.", "受付開始日を入力してください。")];
        if (closesOn is null) errors["closesOn"] = [new("is required: the last day (yyyy-MM-dd, Japan time) agencies may submit.", "締切日を入力してください。")];
        else if (opensOn is { } opens && closesOn < opens) errors["closesOn"] = [new("must not be before opensOn.", "締切日は受付開始日より前にできません。")];
        if (errors.Count > 0) return Refusal.Invalid(errors);
        var window = await controls.SetWindowAsync(year, opensOn!.Value, closesOn!.Value, who, cancellationToken);
        logger.LogInformation("Submission window of {FiscalYear} set to {OpensOn}–{ClosesOn} by {Who}", year, window.OpensOn, window.ClosesOn, who);
        return window;
    }
}
