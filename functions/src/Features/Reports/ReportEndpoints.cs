using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Reporting.Infrastructure;

namespace Reporting.Features.Reports;

/// <summary>Body of <c>POST /api/reports</c>: the fiscal year (年度) to report on.</summary>
public sealed record CreateReportRequest(int FiscalYear);

/// <summary>Body of <c>POST /api/reports/{fiscalYear}/publish</c>: the draft to publish as final.</summary>
public sealed record PublishReportRequest(string Id);

public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization(Policies.Staff);
        group.MapPost("/", Create).Accepts<CreateReportRequest>("application/json").ProducesValidationProblem()
            .SendsHeader(StatusCodes.Status201Created, "Location", "Where the report's PDF is downloaded.")
            .SendsHeader(StatusCodes.Status200OK, "Location", "Where the existing report's PDF is downloaded.")
            .Describe("CreateReport", "Generate the follow-up report of a fiscal year",
                "201 with the new report's metadata; 200 with the latest report when it already shows exactly the current data (a report is made once per data change).");
        group.MapGet("/", List)
            .Describe("ListReports", "Every report generated, newest first");
        group.MapGet("/{fiscalYear}", Download)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesFile("The report's PDF (default), its accessible HTML edition, its summary table as CSV (UTF-8 with BOM) or JSON, or its data snapshot (JSON).",
                "application/pdf", "text/html", "text/csv", "application/json")
            .SendsHeader(StatusCodes.Status200OK, "Content-Disposition", "attachment, with an ASCII file name and the Japanese one (RFC 6266 filename*).")
            .SendsHeader(StatusCodes.Status200OK, "ETag", "The file's version.")
            .SendsHeader(StatusCodes.Status200OK, "Content-Security-Policy", "With the HTML edition: nothing may load or run but its own style sheet.")
            .Describe("DownloadReport", "Download a report: the PDF, the HTML edition, the summary table (CSV, JSON) or the data snapshot",
                "The latest report of the fiscal year, or the report given by id.");
        group.MapPost("/{fiscalYear}/publish", Publish)
            .Accepts<PublishReportRequest>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .Describe("PublishReport", "Publish a draft as the fiscal year's final report",
                "The draft becomes the year's final report and the year's values are locked for agencies (administrators may still correct them with a reason). 409 when the data changed after the draft, or another report is being published.");
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
        var fiscalYear = body!.FiscalYear;
        if (fiscalYear < 2000 || fiscalYear > latest)
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
    /// administrator can change them (with a reason kept in the history). See <see cref="PublishReport"/>.
    /// </summary>
    internal static async Task<Results<Ok<ReportInfo>, ValidationProblem, ProblemHttpResult>> Publish(
        string fiscalYear, HttpRequest request, System.Security.Claims.ClaimsPrincipal user, PublishReport publish, CancellationToken cancellationToken)
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
        var published = await publish.PublishAsync(year, body.Id, user.Who(), cancellationToken);
        return published.IsRefused ? Problems.From(published.Refusal!) : TypedResults.Ok(published.Value);
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
        ["html"] = (ReportStore.HtmlName, "text/html; charset=utf-8", "html"),
    };

    internal static async Task<Results<FileStreamHttpResult, ValidationProblem, ProblemHttpResult>> Download(
        string fiscalYear, string? id, string? format, HttpResponse response, ReportStore store, CancellationToken cancellationToken)
    {
        if (!Formats.TryGetValue(format ?? "pdf", out var file))
        {
            return Problems.Invalid("format", "must be pdf (default), html, csv, json or snapshot.");
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
        Azure.Response<Azure.Storage.Blobs.Models.BlobDownloadStreamingResult> download;
        try
        {
            download = await found.Blob.DownloadStreamingAsync(cancellationToken: cancellationToken);
        }
        catch (Azure.RequestFailedException ex) when (ex.ErrorCode == Azure.Storage.Blobs.Models.BlobErrorCode.BlobNotFound)
        {
            // A report made before that edition existed (the HTML edition): the PDF and its data are all it has.
            return Problems.NotFound($"Report '{found.Info.Id}' of fiscal year {year} has no {format} edition: it was generated before there was one. Generate a new report (POST /api/reports) to get it.");
        }
        // RFC 6266/5987: an ASCII fallback for old clients, and the Japanese name as UTF-8 in filename*.
        var disposition = new ContentDispositionHeaderValue("attachment")
        {
            FileName = $"stip7-followup-report-FY{year}.{file.Extension}",
            FileNameStar = $"第7期基本計画フォローアップ報告書_{JapanTime.EraYear(year)}年度{(format is null or "pdf" or "html" ? "" : "_" + (format == "snapshot" ? "データ" : "概要"))}.{file.Extension}",
        };
        // The HTML edition is read in the browser (inline), under a policy that lets nothing load or run but its style.
        if (format == "html")
        {
            disposition.DispositionType = "inline";
            response.Headers.ContentSecurityPolicy = Rendering.HtmlEdition.ContentSecurityPolicy;
            response.Headers["Referrer-Policy"] = "no-referrer";
        }
        response.Headers.ContentDisposition = disposition.ToString();
        // A private document: no shared cache may keep it (nosniff is on every answer, Program.cs).
        response.Headers.CacheControl = "private, no-store";
        response.Headers.ETag = download.Value.Details.ETag.ToString("H");
        return TypedResults.Stream(download.Value.Content, file.ContentType, lastModified: found.Info.CreatedAt);
    }
}
