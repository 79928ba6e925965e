using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Reporting.Infrastructure;

/// <summary>RFC 9457 problem details for every error the API returns.</summary>
public static class Problems
{
    /// <summary>What a client sent, quoted in a message: at most 40 characters, then an ellipsis.</summary>
    public static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] },
            title: "The request is not valid", detail: $"{field}: {message}");

    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is not valid",
            detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");

    /// <summary>Storage stayed away after the SDK's retries (with what was done before, when something was).</summary>
    public static ProblemHttpResult Unavailable(string detail, IReadOnlyDictionary<string, object?>? extensions) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable",
            extensions: extensions is null ? null : new Dictionary<string, object?>(extensions));

    /// <summary>The one mapping of a domain refusal to an HTTP status and an RFC 9457 body.</summary>
    public static int StatusOf(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Forbidden => StatusCodes.Status403Forbidden,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        RefusalKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        RefusalKind.UnsupportedMediaType => StatusCodes.Status415UnsupportedMediaType,
        _ => StatusCodes.Status400BadRequest,
    };

    public static ProblemHttpResult From(Refusal refusal)
    {
        var extensions = new Dictionary<string, object?>(refusal.Extensions ?? new Dictionary<string, object?>());
        if (refusal.Errors is { Count: > 0 } errors) extensions["errors"] = errors;
        return TypedResults.Problem(refusal.Detail, statusCode: StatusOf(refusal.Kind), title: refusal.Title, extensions: extensions);
    }

    public static async Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await writer.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
