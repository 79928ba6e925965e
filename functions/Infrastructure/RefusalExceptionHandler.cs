using Microsoft.AspNetCore.Diagnostics;

namespace Reporting.Infrastructure;

/// <summary>
/// Answers a <see cref="RefusedException"/> thrown below an endpoint with the same problem+json a returned refusal gets:
/// a refusal is never a 500, wherever it was raised.
/// </summary>
public sealed class RefusalExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not RefusedException refused) return false;
        await Problems.From(refused.Refusal).ExecuteAsync(httpContext);
        return true;
    }
}

/// <summary>
/// Answers a storage outage that interrupted work committed in steps (<see cref="StorageInterruptedException"/>) with a
/// 503 that says what was and was not committed, so a client knows what its retry will do.
/// </summary>
public sealed class StorageInterruptedHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not StorageInterruptedException interrupted) return false;
        httpContext.Response.Headers.RetryAfter = "5";
        var extensions = new Dictionary<string, object?>(interrupted.Progress);
        await TypedResults.Problem(interrupted.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable",
            extensions: extensions).ExecuteAsync(httpContext);
        return true;
    }
}
