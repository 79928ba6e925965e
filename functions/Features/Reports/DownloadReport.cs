using Reporting.Infrastructure;

namespace Reporting.Features.Reports;

/// <summary>The files of a report one can download.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(CamelCaseEnum<ReportFormat>))]
public enum ReportFormat { Pdf, Html, Csv, Json, Snapshot }

/// <summary>A file of a report, ready to send: what it is, its content streamed, its version.</summary>
public sealed record ReportDownload(ReportInfo Report, ReportFormat Format, Stream Content, string ETag)
{
    public string ContentType => Format switch
    {
        ReportFormat.Pdf => "application/pdf",
        ReportFormat.Html => "text/html; charset=utf-8",
        ReportFormat.Csv => "text/csv; charset=utf-8",
        _ => "application/json; charset=utf-8",
    };

    /// <summary>
    /// The file as an answer, the same from the API and from the web interface: named (an ASCII name for old clients and
    /// the Japanese one as UTF-8 in filename*, RFC 6266/5987), for its caller only (a private document no shared cache
    /// may keep), versioned; the HTML edition read in the browser under a policy that lets nothing load or run but its style.
    /// </summary>
    public IResult AsResult(HttpContext context)
    {
        var response = context.Response;
        var (ascii, japanese) = FileNames;
        var disposition = new Microsoft.Net.Http.Headers.ContentDispositionHeaderValue(Format == ReportFormat.Html ? "inline" : "attachment")
        {
            FileName = ascii,
            FileNameStar = japanese,
        };
        if (Format == ReportFormat.Html)
        {
            response.Headers.ContentSecurityPolicy = Rendering.HtmlEdition.ContentSecurityPolicy;
            response.Headers["Referrer-Policy"] = "no-referrer";
        }
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "private, no-store";
        response.Headers.ETag = ETag;
        return TypedResults.Stream(Content, ContentType, lastModified: Report.CreatedAt);
    }

    /// <summary>The ASCII file name (for old clients) and the Japanese one (RFC 5987 filename*).</summary>
    public (string Ascii, string Japanese) FileNames
    {
        get
        {
            var extension = Format switch { ReportFormat.Snapshot => "snapshot.json", _ => Json.WireName(Format) };
            var kind = Format switch { ReportFormat.Snapshot => "_データ", ReportFormat.Csv or ReportFormat.Json => "_概要", _ => "" };
            var year = Report.FiscalYear;
            return ($"stip7-followup-report-FY{year}.{extension}", $"第7期基本計画フォローアップ報告書_{JapanTime.EraYear(year)}年度{kind}.{extension}");
        }
    }
}

/// <summary>Downloading a report: the latest of a fiscal year or a given one, in one of its formats.</summary>
public sealed class DownloadReport(ReportStore store)
{
    private static string FileOf(ReportFormat format) => format switch
    {
        ReportFormat.Pdf => ReportStore.PdfName,
        ReportFormat.Html => ReportStore.HtmlName,
        ReportFormat.Csv => ReportStore.SummaryCsvName,
        ReportFormat.Json => ReportStore.SummaryJsonName,
        _ => ReportStore.SnapshotName,
    };

    public async Task<Result<ReportDownload>> OpenAsync(int fiscalYear, string? id, ReportFormat format, CancellationToken cancellationToken = default)
    {
        if (await store.FindAsync(fiscalYear, id, cancellationToken) is not { } report)
        {
            return Refusal.NotFound(id is null
                ? new($"No report has been generated for fiscal year {fiscalYear}.", $"{fiscalYear}年度の報告書はまだ作成されていません。")
                : new($"No report '{id}' for fiscal year {fiscalYear}.", $"{fiscalYear}年度の報告書「{id}」はありません。"));
        }
        if (await store.OpenAsync(report, FileOf(format), cancellationToken) is not { } file)
        {
            // A report made before that edition existed (the HTML edition): the PDF and its data are all it has.
            return Refusal.NotFound(new($"Report '{report.Id}' of fiscal year {fiscalYear} has no {Json.WireName(format)} edition: it was generated before there was one. Generate a new report (POST /api/reports) to get it.",
                $"{fiscalYear}年度の報告書「{report.Id}」には{Json.WireName(format)}版がありません（その版ができる前に作成された報告書です）。報告書を作成し直してください。"));
        }
        return new ReportDownload(report, format, file.Content, file.ETag);
    }
}
