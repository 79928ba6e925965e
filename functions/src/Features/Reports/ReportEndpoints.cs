using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Reporting.Infrastructure;

namespace Reporting.Features.Reports;

public sealed record CreateReportRequest(JsonElement? FiscalYear);

/// <summary>Body of <c>POST /api/reports/{fiscalYear}/publish</c>: the draft to publish as final.</summary>
public sealed record PublishReportRequest(string? Id);

public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization(Policies.Staff);
        group.MapPost("/", Create).Accepts<CreateReportRequest>("application/json").ProducesValidationProblem();
        group.MapGet("/", List);
        group.MapGet("/{fiscalYear}", Download)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{fiscalYear}/publish", Publish)
            .Accepts<PublishReportRequest>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    internal static async Task<Results<Created<ReportInfo>, Ok<ReportInfo>, ValidationProblem>> Create(
        HttpRequest request, HttpResponse response, ReportService reports, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestJson.ReadAsync<CreateReportRequest>(request, """{"fiscalYear": 2025}""", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var latest = JapanTime.CurrentFiscalYear(clock);
        if (body?.FiscalYear is not { ValueKind: JsonValueKind.Number } raw || !raw.TryGetInt32(out var fiscalYear) || fiscalYear < 2000 || fiscalYear > latest)
        {
            return Problems.Invalid("fiscalYear", $"is required: a fiscal year (年度) from 2000 to {latest}, e.g. {{\"fiscalYear\": {latest - 1}}}.");
        }
        var (info, created) = await reports.GenerateAsync(fiscalYear, "staff", cancellationToken);
        if (created)
        {
            return TypedResults.Created(info.DownloadPath, info);
        }
        // The latest report already shows exactly this data: it is the answer, not a copy of it.
        response.Headers.Location = info.DownloadPath;
        return TypedResults.Ok(info);
    }

    /// <summary>
    /// Publishes a draft as the year's final report: from then on the year's values are locked for agencies, and only an
    /// administrator can change them (with a reason kept in the history). A year has one final report, and it shows the
    /// data as locked: the year is locked first, then — once every instance has seen the lock — the draft's data
    /// fingerprint is compared with the data now. If a value changed since the draft was made, nothing is published,
    /// the lock is lifted and the answer (409) says to generate a new report.
    /// </summary>
    internal static async Task<Results<Ok<ReportInfo>, ValidationProblem, ProblemHttpResult>> Publish(
        string fiscalYear, HttpRequest request, System.Security.Claims.ClaimsPrincipal user, ReportStore store, ReportService reports,
        Submissions.SubmissionControls controls, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out var year))
        {
            return Problems.Invalid("fiscalYear", "must be a four-digit fiscal year such as 2025.");
        }
        var (body, problem) = await RequestJson.ReadAsync<PublishReportRequest>(request, """{"id": "<report id from GET /api/reports>"}""", cancellationToken);
        if (problem is not null) return problem;
        if (body!.Id is null || !ReportStore.IsValidId(body.Id))
        {
            return Problems.Invalid("id", "is required: a report id as listed by GET /api/reports.");
        }
        if (await store.FindAsync(year, body.Id, cancellationToken: cancellationToken) is not { } found)
        {
            return Problems.NotFound($"No report '{body.Id}' for fiscal year {year}.");
        }
        var logger = loggers.CreateLogger("Reporting.Reports");
        using var activity = Hosting.Telemetry.Source.StartActivity("report.publish");
        activity?.SetTag("reporting.fiscal_year", year);
        activity?.SetTag("reporting.report_id", found.Info.Id);
        var yearLock = new Submissions.YearLock(year, found.Info.Id, user.Who(), clock.GetUtcNow());
        if (!await controls.TryLockAsync(yearLock, cancellationToken))
        {
            var existing = await controls.GetLockAsync(year, cancellationToken);
            // A publication of this same draft that stopped before marking it final is resumed, not refused.
            if (existing is null || existing.ReportId != found.Info.Id || found.Info.Status == "final")
            {
                return Problems.Conflict(existing is null
                    ? $"Fiscal year {year} is being published by another request."
                    : $"Fiscal year {year} already has a final report ({existing.ReportId}, published {JapanTime.DateLabel(existing.PublishedAt)}).");
            }
            yearLock = existing;
        }

        // Instances that read the year as open before the lock may still accept a write until their cache expires.
        await Task.Delay(controls.SettleTime, cancellationToken);
        var now = await reports.BuildSnapshotAsync(year, "publish", cancellationToken);
        if (ReportService.DataFingerprint(now) != found.Info.DataSha256)
        {
            await controls.UnlockAsync(yearLock, cancellationToken);
            logger.LogWarning("Publication of {ReportId} for FY{FiscalYear} refused: the data changed since the draft", found.Info.Id, year);
            return Problems.Conflict($"The data of fiscal year {year} changed after report {found.Info.Id} was generated, so it is not what would be locked. " +
                "Generate a new report (POST /api/reports) and publish that one.");
        }
        var published = await store.PublishAsync(found.Info, yearLock.PublishedBy, yearLock.PublishedAt, cancellationToken);
        logger.LogInformation("Report {ReportId} published as final for FY{FiscalYear} by {Who}; values of {Year} locked", found.Info.Id, year, user.Who(), year);
        return TypedResults.Ok(published);
    }

    internal static async Task<Ok<IReadOnlyList<ReportInfo>>> List(ReportStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken: cancellationToken));

    /// <summary>The files of a report: the PDF by default, the summary as CSV or JSON, or the data snapshot.</summary>
    private static readonly Dictionary<string, (string Blob, string ContentType, string Extension)> Formats = new(StringComparer.Ordinal)
    {
        ["pdf"] = (ReportStore.PdfName, "application/pdf", "pdf"),
        ["csv"] = (ReportStore.SummaryCsvName, "text/csv; charset=utf-8", "csv"),
        ["json"] = (ReportStore.SummaryJsonName, "application/json; charset=utf-8", "json"),
        ["snapshot"] = (ReportStore.SnapshotName, "application/json; charset=utf-8", "snapshot.json"),
    };

    internal static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> Download(
        string fiscalYear, string? id, string? format, HttpResponse response, ReportStore store, CancellationToken cancellationToken)
    {
        if (!Formats.TryGetValue(format ?? "pdf", out var file))
        {
            return Problems.Invalid("format", "must be pdf (default), csv, json or snapshot.");
        }
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out var year))
        {
            return Problems.Invalid("fiscalYear", "must be a four-digit fiscal year such as 2025.");
        }
        if (id is not null && !ReportStore.IsValidId(id))
        {
            return Problems.Invalid("id", "is not a report id (as listed by GET /api/reports).");
        }
        if (await store.FindAsync(year, id, file.Blob, cancellationToken: cancellationToken) is not { } found)
        {
            return Problems.NotFound(id is null ? $"No report has been generated for fiscal year {year}." : $"No report '{id}' for fiscal year {year}.");
        }
        var download = await found.Blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
        // RFC 6266/5987: an ASCII fallback for old clients, and the Japanese name as UTF-8 in filename*.
        var disposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = $"stip7-followup-report-FY{year}.{file.Extension}",
            FileNameStar = $"第7期基本計画フォローアップ報告書_{JapanTime.EraYear(year)}年度{(format is null or "pdf" ? "" : "_" + (format == "snapshot" ? "データ" : "概要"))}.{file.Extension}",
        };
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.ETag = download.Value.Details.ETag.ToString("H");
        return TypedResults.Stream(download.Value.Content, file.ContentType, lastModified: found.Info.CreatedAt);
    }
}
