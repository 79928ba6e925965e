using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Reporting.Infrastructure;

namespace Reporting.Features.Reports;

public sealed record CreateReportRequest(JsonElement? FiscalYear);

public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reports").WithTags("Reports").RequireAuthorization(Policies.Staff);
        group.MapPost("/", Create);
        group.MapGet("/", List);
        group.MapGet("/{fiscalYear}", Download);
        return group;
    }

    internal static async Task<Results<Created<ReportInfo>, ValidationProblem>> Create(
        HttpRequest request, ReportService reports, TimeProvider clock, CancellationToken cancellationToken)
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
        var info = await reports.GenerateAsync(fiscalYear, "staff", cancellationToken);
        return TypedResults.Created(info.DownloadPath, info);
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
        if (fiscalYear.Length != 4 || !fiscalYear.All(char.IsAsciiDigit) || int.Parse(fiscalYear) is < 2000 or > 2100)
        {
            return Problems.Invalid("fiscalYear", "must be a four-digit fiscal year such as 2025.");
        }
        if (id is not null && !ReportStore.IsValidId(id))
        {
            return Problems.Invalid("id", "is not a report id (as listed by GET /api/reports).");
        }
        var year = int.Parse(fiscalYear);
        if (await store.FindAsync(year, id, file.Blob, cancellationToken) is not { } found)
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
