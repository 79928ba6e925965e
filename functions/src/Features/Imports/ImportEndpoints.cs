using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Imports;

public enum RowOutcome { Accepted, Unchanged, Rejected }

public sealed record RowError(string Field, string Message);

public sealed record RowResult(int Row, string? Indicator, string? Series, int? Year, RowOutcome Outcome, IReadOnlyList<RowError> Errors, string? ETag = null,
    WriteKind? Change = null, bool Flagged = false);

public sealed record ImportResult(bool DryRun, int Rows, int Accepted, int Unchanged, int Rejected, IReadOnlyList<RowResult> Results);

public static class ImportEndpoints
{
    /// <summary>Room for 10,000 rows with long notes; anything larger is refused before it is read.</summary>
    public const long MaxBodyBytes = 16 * 1024 * 1024;

    public static RouteGroupBuilder MapImports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/imports").WithTags("Imports");
        group.MapPost("/", Import).RequireAuthorization(Policies.Agency)
            .Accepts<ImportRow[]>("text/csv", "application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return group;
    }

    /// <summary>
    /// Bulk submission: CSV (UTF-8 with or without BOM, or <c>charset=shift_jis</c>) or a JSON array of rows
    /// (indicator, series, year, value, status, note). <c>?dryRun=true</c> validates and reports without writing.
    /// </summary>
    internal static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> Import(
        bool? dryRun, HttpContext context, ClaimsPrincipal user, SubmitValues submit, CancellationToken cancellationToken)
    {
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
            return TypedResults.Problem("Send Content-Type: text/csv (charset utf-8 or shift_jis) or application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }
        try
        {
            var rows = contentType.MediaType.Value?.ToLowerInvariant() switch
            {
                "text/csv" or "application/csv" => ImportParser.ReadCsvAsync(context.Request.Body, ImportParser.EncodingOf(contentType.Charset.Value), cancellationToken),
                "application/json" => ImportParser.ReadJsonAsync(context.Request.Body, cancellationToken),
                _ => null,
            };
            if (rows is null)
            {
                return TypedResults.Problem("Send Content-Type: text/csv (charset utf-8 or shift_jis) or application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
            }
            var results = await submit.SubmitAllAsync(Submitter.From(user), Submissions(rows, cancellationToken), dryRun == true, cancellationToken);
            if (results.Count == 0)
            {
                return Problems.Invalid("body", "has no data rows.");
            }
            var rowResults = results.Select(r => ToRow(r, dryRun == true)).ToList();
            return TypedResults.Ok(new ImportResult(dryRun == true, rowResults.Count, rowResults.Count(r => r.Outcome == RowOutcome.Accepted),
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
            var numberError = ImportParser.ParseNumber(row.Value, row.ValueIsNumber, out var number);
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
