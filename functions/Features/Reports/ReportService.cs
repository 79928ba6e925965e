using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Reporting.Features.Progress;
using Reporting.Features.Reports.Rendering;
using Reporting.Infrastructure;

namespace Reporting.Features.Reports;

/// <summary>
/// The one report generator behind the staff's POST and the AnnualReport timer: read, freeze into a snapshot, assess,
/// render, store. Data fetching happens here and only here; rendering sees the snapshot alone.
/// </summary>
public sealed class ReportService(
    ProgressService progress, Indicators.IndicatorStore catalog, ReportRenderer renderer, ReportStore store, ReportCoordinator coordinator, TimeProvider clock,
    IOptions<ReportOptions> options, ILogger<ReportService> logger)
{
    /// <summary>How long the files of a run without a manifest are left before they count as abandoned.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromHours(1);

    public async Task<ReportSnapshot> BuildSnapshotAsync(int fiscalYear, string trigger, CancellationToken cancellationToken = default)
    {
        var assessedRead = progress.AssessAsync(fiscalYear, includeHistory: true, cancellationToken);
        var agenciesRead = catalog.ListAgenciesAsync(cancellationToken);
        var changesRead = catalog.ChangesAsync(cancellationToken: cancellationToken);
        var assessed = await assessedRead;
        var items = assessed.Select(a => new IndicatorSnapshot(
            a.Definition,
            a.Definition.Series.Select(s => new SeriesSnapshot(s.Id, s.Name,
                a.Values.Where(v => v.Series == s.Id).Select(v => new ValuePoint(v.Year, v.Value, v.Note, v.Revision, v.Agency, v.SubmittedAt,
                    v.Revision > 1 ? v.History : null, v.Status, v.Flagged, v.FlagReason)).ToList())).ToList(),
            a.Progress)).ToList();
        var now = clock.GetUtcNow();
        // The catalog's changes up to now: a later report shows later changes, an earlier one never a change made after it.
        var changes = (await changesRead).Where(c => c.ChangedAt <= now).ToList();
        return new ReportSnapshot(fiscalYear, now, trigger, options.Value.Publisher, items, await agenciesRead, changes);
    }

    /// <summary>
    /// Generates the report of <paramref name="fiscalYear"/> unless the latest one was made from the same data, in which
    /// case that one is returned (Created = false): a re-run, a second instance or a racing request adds no duplicate.
    /// </summary>
    public async Task<(ReportInfo Info, bool Created)> GenerateAsync(int fiscalYear, string trigger, CancellationToken cancellationToken = default)
    {
        using var activity = Hosting.Telemetry.Source.StartActivity("report.generate");
        activity?.SetTag("reporting.fiscal_year", fiscalYear);
        activity?.SetTag("reporting.trigger", trigger);
        await using var held = await coordinator.AcquireAsync(fiscalYear, cancellationToken);
        // Under the lease no other run of this year is writing: a folder without a manifest and untouched for an hour
        // is a run that died (functionTimeout is 10 minutes).
        if (await store.DeleteAbandonedAsync(fiscalYear, clock.GetUtcNow() - AbandonedAfter, cancellationToken) is > 0 and var removed)
        {
            logger.LogWarning("Removed {Blobs} files of abandoned FY{FiscalYear} report runs (no manifest)", removed, fiscalYear);
        }
        var snapshot = await BuildSnapshotAsync(fiscalYear, trigger, cancellationToken);
        var dataSha = DataFingerprint(snapshot);
        var latest = (await store.ListAsync(fiscalYear, cancellationToken)).FirstOrDefault();
        // A report made before the HTML edition existed is made again, so that every report has both editions.
        if (latest is not null && latest.DataSha256 == dataSha && latest.HtmlPath is not null)
        {
            logger.LogInformation("Report for FY{FiscalYear} ({Trigger}): data unchanged since {ReportId}; no new report", fiscalYear, trigger, latest.Id);
            activity?.SetTag("reporting.report_id", latest.Id);
            activity?.SetTag("reporting.created", false);
            return (latest, false);
        }
        var artifacts = Render(snapshot);
        var id = ReportStore.NewId(snapshot.GeneratedAt);
        var info = await store.SaveAsync(fiscalYear, id, (latest?.Sequence ?? 0) + 1, snapshot.GeneratedAt, trigger,
            artifacts, MayCommitAsync, cancellationToken);
        async Task<bool> MayCommitAsync(CancellationToken ct) => await held.StillHeldAsync(id, ct) switch
        {
            ReportCoordinator.Turn.Held => true,
            // The lease lapsed: commit only if no other run committed a report meanwhile.
            ReportCoordinator.Turn.Retaken => (await store.ListAsync(fiscalYear, ct)).FirstOrDefault()?.Id == latest?.Id,
            _ => false,
        };
        if (info is null)
        {
            // This run lost the lease (its renewals failed) and another instance may have reported the same data.
            var now = (await store.ListAsync(fiscalYear, cancellationToken)).FirstOrDefault();
            if (now is not null && now.DataSha256 == dataSha)
            {
                return (now, false);
            }
            throw new RefusedException(Refusal.Conflict(new(
                $"The FY{fiscalYear} report run lost its turn to another instance before it could commit; nothing was stored. Retry it.",
                $"{fiscalYear}年度の報告書の作成が、完了前にほかの処理に引き継がれました。何も保存していません。もう一度作成してください。")));
        }
        logger.LogInformation("Report {ReportId} for FY{FiscalYear} generated by {Trigger}: {Bytes} bytes, {Indicators} indicators, snapshot {Sha256}",
            info.Id, fiscalYear, trigger, artifacts.Pdf.Length, snapshot.Indicators.Count, artifacts.SnapshotSha256);
        activity?.SetTag("reporting.report_id", info.Id);
        activity?.SetTag("reporting.created", true);
        return (info, true);
    }

    /// <summary>What the report says, without when or why it was generated: equal fingerprints, equal reports.</summary>
    public static string DataFingerprint(ReportSnapshot snapshot) => ReportRenderer.DataFingerprint(snapshot);

    /// <summary>Everything stored for one report, computed from the snapshot alone (and so reproducible from it).</summary>
    public ReportArtifacts Render(ReportSnapshot snapshot) => renderer.Render(snapshot);
}

/// <summary>
/// Turns a snapshot into everything stored for a report — the snapshot's JSON, the PDF, and the CSV and JSON summaries —
/// from the snapshot alone, so the same snapshot always gives the same files.
/// </summary>
public sealed class ReportRenderer(ReportDocument document)
{
    /// <summary>
    /// The files of the report. They depend on the snapshot alone: the rendering runs under the invariant culture (a
    /// library formatting a number with the caller's culture would print 16.000 under de-DE), and no date is read from
    /// the process's time zone.
    /// </summary>
    public ReportArtifacts Render(ReportSnapshot snapshot)
    {
        using var activity = Hosting.Telemetry.Source.StartActivity("report.render");
        activity?.SetTag("reporting.fiscal_year", snapshot.FiscalYear);
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        try
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(snapshot, Json.Info<ReportSnapshot>());
            var sha = Convert.ToHexStringLower(SHA256.HashData(json));
            var rows = ReportSummary.Rows(snapshot);
            var (pdf, html) = document.RenderEditions(snapshot, sha);
            return new ReportArtifacts(json, sha, pdf, ReportSummary.Csv(rows), ReportSummary.Json(rows), DataFingerprint(snapshot), html);
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
    }

    /// <summary>What the report says, without when or why it was generated: equal fingerprints, equal reports.</summary>
    public static string DataFingerprint(ReportSnapshot snapshot) => Convert.ToHexStringLower(SHA256.HashData(
        JsonSerializer.SerializeToUtf8Bytes(snapshot with { GeneratedAt = default, Trigger = "" }, Json.Info<ReportSnapshot>())));
}

public sealed record ReportArtifacts(byte[] SnapshotJson, string SnapshotSha256, byte[] Pdf, byte[] SummaryCsv, byte[] SummaryJson, string DataSha256, byte[] Html);
