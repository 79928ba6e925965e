using Reporting.Features.Indicators;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Reports;

/// <summary>
/// Publishing a draft as its fiscal year's final report. A year has one final report and it shows the data as locked,
/// so the publication is all or nothing:
/// <list type="number">
/// <item>record the publication (the first one of a year wins; a retry of the same one resumes it);</item>
/// <item>lock the year at every indicator's guard — from then on a write still in flight fails at storage;</item>
/// <item>verify that the data now is the draft's data (else open the year again: 409, generate a new report);</item>
/// <item>mark the report final, then the guards and the record final.</item>
/// </list>
/// If a step fails (storage unreachable), the year is opened again before the error is answered, unless the report
/// was already marked final; if even that fails, the year stays "being published" — agencies are told so, never that
/// a report was published — and a retry of the same publication completes it.
/// </summary>
public sealed class PublishReport(
    ReportStore store, ReportService reports, SubmissionControls controls, ValueStore values, IndicatorStore catalog, TimeProvider clock,
    ILogger<PublishReport> logger)
{
    public async Task<Result<ReportInfo>> PublishAsync(int fiscalYear, string reportId, string publishedBy, CancellationToken cancellationToken = default)
    {
        if (await store.FindAsync(fiscalYear, reportId, cancellationToken) is not { } report)
        {
            return Refusal.NotFound(new($"No report '{reportId}' for fiscal year {fiscalYear}.", $"{fiscalYear}年度の報告書「{reportId}」はありません。"));
        }
        using var activity = Hosting.Telemetry.Source.StartActivity("report.publish");
        activity?.SetTag("reporting.fiscal_year", fiscalYear);
        activity?.SetTag("reporting.report_id", reportId);

        var started = await StartAsync(new YearLock(fiscalYear, reportId, publishedBy, clock.GetUtcNow()), report, cancellationToken);
        if (started.IsRefused) return started.Refusal!;
        var yearLock = started.Value;
        var indicators = (await catalog.ListAsync(cancellationToken)).Select(i => i.Id).ToList();
        var markedFinal = report.Status == ReportStatus.Final;
        try
        {
            if (!markedFinal)
            {
                await values.SetYearStateAsync(indicators, fiscalYear, LockState.Publishing, reportId, yearLock.PublishedBy, yearLock.PublishedAt, cancellationToken);
                // No write of the year can land from here on: what is read now is what the locked year holds.
                var now = await reports.BuildSnapshotAsync(fiscalYear, "publish", cancellationToken);
                if (ReportService.DataFingerprint(now) != report.DataSha256)
                {
                    await OpenAsync(indicators, yearLock, cancellationToken);
                    logger.LogWarning("Publication of {ReportId} for FY{FiscalYear} refused: the data changed since the draft", reportId, fiscalYear);
                    return Refusal.Conflict(new($"The data of fiscal year {fiscalYear} changed after report {reportId} was generated, so it is not what would be locked. " +
                        "Generate a new report (POST /api/reports) and publish that one.",
                        $"報告書「{reportId}」を作成した後に{fiscalYear}年度のデータが変更されたため、この報告書は公表できません。報告書を作成し直してから公表してください。"));
                }
                report = await store.MarkFinalAsync(report, yearLock.PublishedBy, yearLock.PublishedAt, cancellationToken);
                markedFinal = true;
            }
            await values.SetYearStateAsync(indicators, fiscalYear, LockState.Final, reportId, yearLock.PublishedBy, report.PublishedAt ?? yearLock.PublishedAt, cancellationToken);
            await controls.MarkFinalAsync(yearLock, cancellationToken);
        }
        catch (Exception ex) when (!markedFinal && ex is not OperationCanceledException)
        {
            // All or nothing: the report is not final, so the year must not stay locked.
            try
            {
                await OpenAsync(indicators, yearLock, CancellationToken.None);
            }
            catch (Exception cleanup) when (StorageFaults.IsUnavailable(cleanup))
            {
                logger.LogError(cleanup, "Publication of {ReportId} for FY{FiscalYear} failed and the year could not be opened again; it stays 'being published' until the publication is retried",
                    reportId, fiscalYear);
            }
            throw;
        }
        logger.LogInformation("Report {ReportId} published as final for FY{FiscalYear} by {Who}; values of {Year} locked", reportId, fiscalYear, publishedBy, fiscalYear);
        return report;
    }

    /// <summary>Records the publication, or resumes this same one when an earlier attempt stopped before it completed.</summary>
    private async Task<Result<YearLock>> StartAsync(YearLock wanted, ReportInfo report, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await controls.TryLockAsync(wanted, cancellationToken)) return wanted;
            var existing = await controls.GetLockAsync(wanted.FiscalYear, cancellationToken);
            if (existing is null) continue; // a failed publication removed it meanwhile: try again
            if (existing.ReportId == report.Id && existing.State != LockState.Final) return existing;
            if (existing.State == LockState.Final)
            {
                return Refusal.Conflict(new($"Fiscal year {wanted.FiscalYear} already has a final report ({existing.ReportId}, published {JapanTime.DateLabel(existing.PublishedAt)}).",
                    $"{wanted.FiscalYear}年度の報告書は{JapanTime.DateLabel(existing.PublishedAt)}に確定版（{existing.ReportId}）として公表済みです。"));
            }
            if (clock.GetUtcNow() - existing.PublishedAt < RevisionPlanner.AbandonedPublication)
            {
                return Refusal.Conflict(new($"Fiscal year {wanted.FiscalYear} is being published with report {existing.ReportId}; retry in a minute.",
                    $"{wanted.FiscalYear}年度の報告書（{existing.ReportId}）を公表する処理中です。1分ほど待ってからもう一度操作してください。"));
            }
            // Another report's publication that stopped long ago and was never retried: this one takes over.
            logger.LogWarning("Taking over FY{FiscalYear} from the abandoned publication of {ReportId}", wanted.FiscalYear, existing.ReportId);
            await controls.UnlockAsync(existing, cancellationToken);
        }
        return Refusal.Conflict(new($"Fiscal year {wanted.FiscalYear} is being published by another request; retry in a minute.",
            $"{wanted.FiscalYear}年度の報告書を、ほかの操作が公表しているところです。1分ほど待ってからもう一度操作してください。"));
    }

    private async Task OpenAsync(IReadOnlyList<string> indicators, YearLock yearLock, CancellationToken cancellationToken)
    {
        await values.OpenYearAsync(indicators, yearLock.FiscalYear, yearLock.ReportId, cancellationToken);
        await controls.UnlockAsync(yearLock, cancellationToken);
    }
}
