using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Reporting.Infrastructure;

namespace Reporting.Features.Imports;

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
        bool? dryRun, HttpContext context, ClaimsPrincipal user, ImportService imports, CancellationToken cancellationToken)
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
            var result = await imports.ImportAsync(rows, user, dryRun == true, cancellationToken);
            if (result.Rows == 0)
            {
                return Problems.Invalid("body", "has no data rows.");
            }
            return TypedResults.Ok(result);
        }
        catch (ImportFormatException ex)
        {
            return Problems.Invalid(ex.Field, ex.Message);
        }
        catch (ImportTooLargeException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too many rows");
        }
    }
}
