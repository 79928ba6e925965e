using System.Security.Claims;
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
/// The import use case's binding: the body read as CSV (UTF-8 with or without BOM, or <c>charset=shift_jis</c>) or as a
/// JSON array of rows, each row handed to <see cref="SubmitValues"/> as a PUT of it would be, and every row's outcome.
/// </summary>
public static class ImportRequest
{
    /// <summary>Room for 10,000 rows with long notes; anything larger is refused before it is read.</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    private const string CsvOrJson = "Send Content-Type: text/csv (charset utf-8 or shift_jis) to POST /api/imports, or application/json to POST /api/imports/rows.";

    public static async Task<IResult> HandleAsync(HttpRequest request, string? dryRun, bool jsonOnly, SubmitValues submit)
    {
        var context = request.HttpContext;
        var cancellationToken = context.RequestAborted;
        if (!QueryFlag.TryRead(dryRun, out var isDryRun)) return Answers.Refused(QueryFlag.Invalid("dryRun", dryRun));
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        if (request.ContentLength > MaxBodyBytes)
        {
            return Answers.Refused(new Refusal(RefusalKind.TooLarge, "Payload too large", $"An import is at most {MaxBodyBytes / 1024 / 1024} MB."));
        }
        var unsupported = new Refusal(RefusalKind.UnsupportedMediaType, "Unsupported media type", CsvOrJson);
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType)) return Answers.Refused(unsupported);
        try
        {
            var rows = contentType.MediaType.Value?.ToLowerInvariant() switch
            {
                "text/csv" or "application/csv" when !jsonOnly => ImportParser.ReadCsvAsync(request.Body, ImportParser.EncodingOf(contentType.Charset.Value), cancellationToken),
                "application/json" => ImportParser.ReadJsonAsync(request.Body, cancellationToken),
                _ => null,
            };
            if (rows is null) return Answers.Refused(unsupported);
            var results = await submit.SubmitAllAsync(Submitter.From(context.User), Submissions(rows, cancellationToken), isDryRun, cancellationToken);
            if (results.Count == 0) return Answers.Refused(Refusal.Invalid("body", "has no data rows."));
            var rowResults = results.Select(r => ToRow(r, isDryRun)).ToList();
            return TypedResults.Ok(new ImportResult(isDryRun, rowResults.Count, rowResults.Count(r => r.Outcome == RowOutcome.Accepted),
                rowResults.Count(r => r.Outcome == RowOutcome.Unchanged), rowResults.Count(r => r.Outcome == RowOutcome.Rejected), rowResults));
        }
        catch (RefusedException refused)
        {
            // The body could not be read as an import at all (encoding, header, JSON shape, too many rows).
            return Answers.Refused(refused.Refusal);
        }
    }
    /// <summary>Each row as a submission, the same as a PUT of it would be.</summary>
    private static async IAsyncEnumerable<ValueSubmission> Submissions(IAsyncEnumerable<ImportRow> rows,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            double number = 0;
            var numberError = row.ValueProblem ?? ImportParser.ParseNumber(row.Value, row.ValueIsNumber, out number);
            yield return new ValueSubmission(row.Indicator, row.Series, row.Year ?? "", numberError is null ? number : null, numberError, row.Note, row.Status,
                Row: row.Row);
        }
    }

    private static RowResult ToRow(SubmissionResult result, bool dryRun)
    {
        var s = result.Submission;
        var year = result.Write?.Year ?? (int.TryParse(s.Year, out var y) ? y : null);
        if (result.Outcome.IsRefused)
        {
            return new RowResult(s.Row, result.Indicator?.Id ?? s.IndicatorId, result.Write?.Series ?? s.Series, year, RowOutcome.Rejected,
                result.Outcome.Refusal!.Messages.Select(m => new RowError(m.Field, m.Message)).ToList());
        }
        var outcome = result.Outcome.Value;
        return new RowResult(s.Row, result.Indicator!.Id, result.Write!.Series, year,
            outcome.Kind == WriteKind.Unchanged ? RowOutcome.Unchanged : RowOutcome.Accepted, [],
            dryRun ? null : outcome.Value.ETag, outcome.Kind, outcome.Value.Flagged);
    }
}
