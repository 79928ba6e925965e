using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Imports;

[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<RowOutcome>))]
public enum RowOutcome { Accepted, Unchanged, Rejected }

public sealed record RowError(string Field, string Message);

public sealed record RowResult(int Row, string? Indicator, string? Series, int? Year, RowOutcome Outcome, IReadOnlyList<RowError> Errors, string? ETag = null,
    WriteKind? Change = null, bool Flagged = false);

public sealed record ImportResult(bool DryRun, int Rows, int Accepted, int Unchanged, int Rejected, IReadOnlyList<RowResult> Results);

/// <summary>
/// One row of <c>POST /api/imports/rows</c>, as the API description shows it: the same fields as a CSV row and as a PUT.
/// Rows are checked one by one, so a row whose cells are not what this says is answered in its row result rather than
/// refusing the whole import.
/// </summary>
public sealed record ImportRowRequest(string Indicator, int Year, double Value, string? Series = null, ValueStatus Status = ValueStatus.Final, string? Note = null);

/// <summary>
/// The import operations' binding: the body's media type and charset decide how <see cref="ImportValues"/> reads it
/// (CSV, UTF-8 with or without BOM or <c>charset=shift_jis</c>; or a JSON array of rows), and every row's outcome is
/// answered in the caller's language.
/// </summary>
public static class ImportRequest
{
    /// <summary>Room for 10,000 rows with long notes; anything larger is refused before it is read.</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    private static readonly Message CsvOrJson = new(
        "Send Content-Type: text/csv (charset utf-8 or shift_jis) to POST /api/imports, or application/json to POST /api/imports/rows.",
        "POST /api/imports には Content-Type: text/csv（charset は utf-8 か shift_jis）、POST /api/imports/rows には application/json で送ってください。");

    public static Refusal TooLarge { get; } = new(RefusalKind.TooLarge, new("Payload too large", "ファイルが大きすぎます"),
        new($"An import is at most {MaxBodyBytes / 1024 / 1024} MB.", $"取り込めるファイルは{MaxBodyBytes / 1024 / 1024}MBまでです。"));

    public static async Task<IResult> HandleAsync(HttpRequest request, string? dryRun, bool jsonOnly, ImportValues import)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        if (!QueryFlag.TryRead(dryRun, out var isDryRun)) return Answers.Refused(QueryFlag.Invalid("dryRun", dryRun));
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        if (request.ContentLength > MaxBodyBytes) return Answers.Refused(TooLarge);
        var unsupported = new Refusal(RefusalKind.UnsupportedMediaType, new("Unsupported media type", "対応していない形式です"), CsvOrJson);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)) return Answers.Refused(unsupported);
        Result<ImportReport> imported;
        try
        {
            imported = contentType.MediaType.Value?.ToLowerInvariant() switch
            {
                "text/csv" or "application/csv" when !jsonOnly => await import.ImportAsync(Submitter.From(context.User), request.Body, ImportFormat.Csv,
                    ImportParser.EncodingOf(contentType.Charset.Value), isDryRun, cancellationToken),
                "application/json" => await import.ImportAsync(Submitter.From(context.User), request.Body, ImportFormat.Json, null, isDryRun, cancellationToken),
                _ => unsupported,
            };
        }
        catch (RefusedException refused)
        {
            // A charset the import cannot read.
            return Answers.Refused(refused.Refusal);
        }
        if (imported.IsRefused) return Answers.Refused(imported.Refusal!);
        var report = imported.Value;
        var language = Languages.Of(request);
        var rows = report.Rows.Select(r => new RowResult(r.Row, r.IndicatorId, r.Series, r.Year, r.Outcome,
            r.Errors.Select(e => new RowError(e.Field, e.Message.In(language))).ToList(), r.Value?.ETag, r.Change, r.Flagged)).ToList();
        return TypedResults.Ok(new ImportResult(report.DryRun, rows.Count, report.Accepted, report.Unchanged, report.Rejected, rows));
    }
}
