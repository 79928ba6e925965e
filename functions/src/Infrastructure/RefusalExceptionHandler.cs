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
