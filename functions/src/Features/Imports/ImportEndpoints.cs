using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
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

public static class ImportEndpoints
{
    /// <summary>Room for 10,000 rows with long notes; anything larger is refused before it is read.</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/imports").WithTags("Imports");
        group.MapPost("/", ImportCsv).RequireAuthorization(Policies.Agency)
            // JSON rows are still read here, as before /rows existed, but only CSV is described: a generator offered
            // both makes one method that sends JSON labelled text/csv.
            .AcceptsAlso<string>(["text/csv"], "application/csv", "application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .Describe("ImportCsv", "Submit many values from a CSV file (UTF-8 or Shift_JIS)",
                "A header row naming the columns indicator, series, year, value, status, note (in any order; series, status and note may be left out), then one row per value; at most 10,000 rows. UTF-8 with or without BOM, or Content-Type: text/csv; charset=shift_jis. Each row is checked and written as a PUT of it would be; the answer gives every row's outcome. dryRun=true checks without writing.");
        group.MapPost("/rows", ImportRows).RequireAuthorization(Policies.Agency)
            .Accepts<ImportRowRequest[]>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .Describe("ImportRows", "Submit many values as JSON rows",
                "The same rows as a CSV import, as a JSON array; at most 10,000 rows. Each row is checked and written as a PUT of it would be; the answer gives every row's outcome. dryRun=true checks without writing.");
        return group;
    }

    private const string CsvOrJson = "Send Content-Type: text/csv (charset utf-8 or shift_jis) to POST /api/imports, or application/json to POST /api/imports/rows.";

    /// <summary>
    /// Bulk submission of a CSV file (UTF-8 with or without BOM, or <c>charset=shift_jis</c>) with a header row naming
    /// indicator, series, year, value, status, note. A JSON array sent here is read too (as before the rows operation
    /// existed); the description lists it under <c>/api/imports/rows</c>, so generated clients get one method for each.
    /// </summary>
    internal static Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> ImportCsv(
        string? dryRun, HttpContext context, ClaimsPrincipal user, SubmitValues submit, CancellationToken cancellationToken) =>
        Import(dryRun, jsonOnly: false, context, user, submit, cancellationToken);

    /// <summary>Bulk submission of a JSON array of rows (<see cref="ImportRowRequest"/>).</summary>
    internal static Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> ImportRows(
        string? dryRun, HttpContext context, ClaimsPrincipal user, SubmitValues submit, CancellationToken cancellationToken) =>
        Import(dryRun, jsonOnly: true, context, user, submit, cancellationToken);

    /// <summary><c>?dryRun=true</c> validates and reports without writing.</summary>
    private static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        string? dryRun, bool jsonOnly, HttpContext context, ClaimsPrincipal user, SubmitValues submit, CancellationToken cancellationToken)
    {
        if (!QueryFlag.TryRead(dryRun, out var isDryRun)) return QueryFlag.Invalid("dryRun", dryRun);
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return TypedResults.Problem($"An import is at most {MaxBodyBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large");
        }
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType))
        {
            return TypedResults.Problem(CsvOrJson, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }
        try
        {
            var rows = contentType.MediaType.Value?.ToLowerInvariant() switch
            {
                "text/csv" or "application/csv" when !jsonOnly => ImportParser.ReadCsvAsync(context.Request.Body, ImportParser.EncodingOf(contentType.Charset.Value), cancellationToken),
                "application/json" => ImportParser.ReadJsonAsync(context.Request.Body, cancellationToken),
                _ => null,
            };
            if (rows is null)
            {
                return TypedResults.Problem(CsvOrJson, statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
            }
            var results = await submit.SubmitAllAsync(Submitter.From(user), Submissions(rows, cancellationToken), isDryRun, cancellationToken);
            if (results.Count == 0)
            {
                return Problems.Invalid("body", "has no data rows.");
            }
            var rowResults = results.Select(r => ToRow(r, isDryRun)).ToList();
            return TypedResults.Ok(new ImportResult(isDryRun, rowResults.Count, rowResults.Count(r => r.Outcome == RowOutcome.Accepted),
                rowResults.Count(r => r.Outcome == RowOutcome.Unchanged), rowResults.Count(r => r.Outcome == RowOutcome.Rejected), rowResults));
        }
        catch (RefusedException refused)
        {
            // The body could not be read as an import at all (encoding, header, JSON shape, too many rows).
            return Problems.From(refused.Refusal);
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
