using Reporting.Features.Submissions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using Reporting.Infrastructure;

namespace Reporting.Features.Reports;

/// <summary>Body of <c>POST /api/reports</c>: the fiscal year (年度) to report on.</summary>
public sealed record CreateReportRequest(int FiscalYear);

/// <summary>Body of <c>POST /api/reports/{fiscalYear}/publish</c>: the draft to publish as final.</summary>
public sealed record PublishReportRequest(string Id);

/// <summary>POST /api/reports: generate a fiscal year's report (once per data change).</summary>
public sealed class CreateReportFunction(ReportService reports, TimeProvider clock)
{
    [Function("CreateReport")]
    [Requires(Policy.Staff)]
    [Operation("Reports", "Generate the follow-up report of a fiscal year",
        Description = "201 with the new report's metadata; 200 with the latest report when it already shows exactly the current data (a report is made once per data change).")]
    [Body<CreateReportRequest>, Returns<ReportInfo>(StatusCodes.Status201Created), Returns<ReportInfo>, Problems(400)]
    [SendsHeader(StatusCodes.Status201Created, "Location", "Where the report's PDF is downloaded.")]
    [SendsHeader(StatusCodes.Status200OK, "Location", "Where the existing report's PDF is downloaded.")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reports")] HttpRequest request)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var body = await RequestJson.ReadAsync<CreateReportRequest>(request, """{"fiscalYear": 2025}""", cancellationToken);
        if (body.IsRefused) return Answers.Refused(body.Refusal!);
        var latest = JapanTime.CurrentFiscalYear(clock);
        var fiscalYear = body.Value.FiscalYear;
        if (fiscalYear < 2000 || fiscalYear > latest)
        {
            return Answers.Refused(Refusal.Invalid("fiscalYear", new($"is required: a fiscal year (年度) from 2000 to {latest}, e.g. {{\"fiscalYear\": {latest - 1}}}.",
                $"2000年度から{latest}年度までの年度を指定してください。")));
        }
        var (info, created) = await reports.GenerateAsync(fiscalYear, "staff", cancellationToken);
        if (created) return TypedResults.Created(info.DownloadPath, info);
        // The latest report already shows exactly this data: it is the answer, not a copy of it.
        request.HttpContext.Response.Headers.Location = info.DownloadPath;
        return TypedResults.Ok(info);
    }
}

/// <summary>GET /api/reports: every report.</summary>
public sealed class ListReportsFunction(ReportStore store)
{
    [Function("ListReports")]
    [Requires(Policy.Staff)]
    [Operation("Reports", "Every report generated, newest first")]
    [Returns<IReadOnlyList<ReportInfo>>]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports")] HttpRequest request) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken: request.HttpContext.RequestAborted));
}

/// <summary>GET /api/reports/{fiscalYear}[?id=…][&amp;format=…]: download a report.</summary>
public sealed class DownloadReportFunction(DownloadReport download)
{
    [Function("DownloadReport")]
    [Requires(Policy.Staff)]
    [Operation("Reports", "Download a report: the PDF, the HTML edition, the summary table (CSV, JSON) or the data snapshot",
        Description = "The latest report of the fiscal year, or the report given by id.")]
    [ProducesFile("The report's PDF (default), its accessible HTML edition, its summary table as CSV (UTF-8 with BOM) or JSON, or its data snapshot (JSON).",
        "application/pdf", "text/html", "text/csv", "application/json")]
    [Problems(400, 404)]
    [SendsHeader(StatusCodes.Status200OK, "Content-Disposition", "attachment, with an ASCII file name and the Japanese one (RFC 6266 filename*).")]
    [SendsHeader(StatusCodes.Status200OK, "ETag", "The file's version.")]
    [SendsHeader(StatusCodes.Status200OK, "Content-Security-Policy", "With the HTML edition: nothing may load or run but its own style sheet.")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/{fiscalYear}")] HttpRequest request,
        string fiscalYear, string? id = null, string? format = null)
    {
        if (!Enum.TryParse<ReportFormat>(format ?? "pdf", ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || format is { } f && !f.All(char.IsAsciiLetter))
        {
            return Answers.Refused(Refusal.Invalid("format", new("must be pdf (default), html, csv, json or snapshot.", "形式は pdf（既定）、html、csv、json、snapshot のいずれかを指定してください。")));
        }
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out var year))
        {
            return Answers.Refused(Refusal.Invalid("fiscalYear", SetWindow.FiscalYearRule));
        }
        if (id is not null && !ReportStore.IsValidId(id))
        {
            return Answers.Refused(Refusal.Invalid("id", new("is not a report id (as listed by GET /api/reports).", "報告書IDの形式ではありません。")));
        }
        var opened = await download.OpenAsync(year, id, parsed, request.HttpContext.RequestAborted);
        if (opened.IsRefused) return Answers.Refused(opened.Refusal!);
        return opened.Value.AsResult(request.HttpContext);
    }
}

/// <summary>POST /api/reports/{fiscalYear}/publish: a draft becomes the year's final report.</summary>
public sealed class PublishReportFunction(PublishReport publish)
{
    [Function("PublishReport")]
    [Requires(Policy.Staff)]
    [Operation("Reports", "Publish a draft as the fiscal year's final report",
        Description = "The draft becomes the year's final report and the year's values are locked for agencies (administrators may still correct them with a reason). 409 when the data changed after the draft, or another report is being published.")]
    [Body<PublishReportRequest>, Returns<ReportInfo>, Problems(400, 404, 409)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reports/{fiscalYear}/publish")] HttpRequest request, string fiscalYear)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out var year))
        {
            return Answers.Refused(Refusal.Invalid("fiscalYear", SetWindow.FiscalYearRule));
        }
        var body = await RequestJson.ReadAsync<PublishReportRequest>(request, """{"id": "<report id from GET /api/reports>"}""", cancellationToken);
        if (body.IsRefused) return Answers.Refused(body.Refusal!);
        if (body.Value.Id is null || !ReportStore.IsValidId(body.Value.Id))
        {
            return Answers.Refused(Refusal.Invalid("id", new("is required: a report id as listed by GET /api/reports.", "公表する報告書のIDを指定してください。")));
        }
        return Answers.Ok(await publish.PublishAsync(year, body.Value.Id, request.HttpContext.User.Who(), cancellationToken));
    }
}

/// <summary>
/// The <c>AnnualReport</c> timer: generates the report of the latest completed fiscal year (Japan time) on the NCRONTAB
/// schedule of the AnnualReportSchedule app setting (UTC; the default is 1 June 09:00 JST). A run the platform missed is
/// run when it is noticed (past due); the report's lease and its one-report-per-data-change rule make a second run of
/// the same data, on this instance or another, answer with the report already made.
/// </summary>
public sealed class AnnualReportFunction(ReportService reports, TimeProvider clock, ILogger<AnnualReportFunction> logger)
{
    public const string Name = "AnnualReport";

    [Function(Name)]
    public async Task Run([TimerTrigger("%AnnualReportSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var fiscalYear = JapanTime.LatestCompletedFiscalYear(clock);
        if (timer.IsPastDue) logger.LogWarning("AnnualReport is past due (last run {Last}); generating the FY{FiscalYear} report now", timer.ScheduleStatus?.Last, fiscalYear);
        var (info, created) = await reports.GenerateAsync(fiscalYear, timer.IsPastDue ? "timer (past due)" : "timer", cancellationToken);
        if (created)
        {
            logger.LogInformation("Annual report for FY{FiscalYear} ({Label}) stored as {Id}, {Bytes} bytes", fiscalYear, JapanTime.FiscalYearLabel(fiscalYear), info.Id, info.Size);
        }
        else
        {
            logger.LogInformation("Annual report for FY{FiscalYear} ({Label}) is up to date: {Id} already shows the current data", fiscalYear, JapanTime.FiscalYearLabel(fiscalYear), info.Id);
        }
    }
}
