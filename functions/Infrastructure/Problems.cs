using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Reporting.Infrastructure;

/// <summary>RFC 9457 problem details for every error the API returns.</summary>
public static class Problems
{
    /// <summary>What a client sent, quoted in a message: at most 40 characters, then an ellipsis.</summary>
    public static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

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

    /// <summary>A refusal as a problem, in the language the caller prefers (<see cref="Languages.Of"/>).</summary>
    public static IResult From(Refusal refusal) => new RefusalResult(refusal);

    private sealed class RefusalResult(Refusal refusal) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var language = Languages.Of(httpContext.Request);
            var extensions = new Dictionary<string, object?>(refusal.Extensions ?? new Dictionary<string, object?>());
            if (refusal.ErrorsIn(language) is { Count: > 0 } errors) extensions["errors"] = errors;
            httpContext.Response.Headers.ContentLanguage = language == Language.Japanese ? "ja" : "en";
            httpContext.Response.Headers.Append("Vary", "Accept-Language");
            return TypedResults.Problem(refusal.Detail.In(language), statusCode: StatusOf(refusal.Kind), title: refusal.Title.In(language), extensions: extensions)
                .ExecuteAsync(httpContext);
        }
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

/// <summary>Which of the system's languages a request prefers.</summary>
public static class Languages
{
    /// <summary>
    /// Japanese when <c>Accept-Language</c> ranks Japanese above English (by quality, then order), English otherwise:
    /// programs that say nothing keep the English they have always read.
    /// </summary>
    public static Language Of(HttpRequest request)
    {
        var ranked = request.GetTypedHeaders().AcceptLanguage;
        if (ranked is not { Count: > 0 }) return Language.English;
        var best = ranked.Select((l, i) => (Tag: l.Value.Value ?? "", Quality: l.Quality ?? 1, Order: i))
            .Where(l => l.Quality > 0 && (IsJapanese(l.Tag) || l.Tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) || l.Tag == "*"))
            .OrderByDescending(l => l.Quality).ThenBy(l => l.Order)
            .FirstOrDefault();
        return best.Tag is { } tag && IsJapanese(tag) ? Language.Japanese : Language.English;
    }

    private static bool IsJapanese(string tag) => tag.Equals("ja", StringComparison.OrdinalIgnoreCase) || tag.StartsWith("ja-", StringComparison.OrdinalIgnoreCase);
}
