using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Reporting.Infrastructure.Middleware;

/// <summary>
/// The first worker middleware of every HTTP invocation: every answer says what it is (nosniff) and, from the API, is
/// for its caller only (no-store unless the function says otherwise); and whatever a function or a later middleware
/// throws is answered here, in the one mapping of faults to RFC 9457 problems — a refusal thrown from deep code as
/// the refusal, storage that stayed away after the SDK's retries as 503 with Retry-After (naming what an interrupted
/// import committed), anything else as 500 — never with a .NET type name, a stack trace or a storage message.
/// </summary>
public sealed class ProblemResponses(Hosting.FirstAnswer firstAnswer, ILogger<ProblemResponses> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (string.IsNullOrEmpty(headers.CacheControl) && context.FunctionDefinition.Name != OpenApiFunction.Name)
            {
                headers.CacheControl = "no-store";
            }
            return Task.CompletedTask;
        });
        if (!firstAnswer.Answered.IsCompleted)
        {
            http.Response.OnCompleted(() =>
            {
                firstAnswer.Signal();
                return Task.CompletedTask;
            });
        }
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
        {
            var problem = ex switch
            {
                RefusedException refused => Problems.From(refused.Refusal),
                StorageInterruptedException interrupted => Problems.Unavailable(interrupted.Message, interrupted.Progress),
                _ when StorageFaults.IsUnavailable(ex) => Problems.Unavailable("Storage is unavailable; retry after the time in Retry-After.", null),
                Microsoft.AspNetCore.Http.BadHttpRequestException bad => TypedResults.Problem(statusCode: bad.StatusCode, title: "Bad request"),
                _ => null,
            };
            http.Response.Clear();
            if (problem is null)
            {
                logger.LogError(ex, "{Function} failed", context.FunctionDefinition.Name);
                problem = TypedResults.Problem("An unexpected error occurred; it has been logged.", statusCode: StatusCodes.Status500InternalServerError, title: "Internal error");
            }
            else if (problem.StatusCode == StatusCodes.Status503ServiceUnavailable)
            {
                logger.LogWarning(ex, "{Function}: storage unavailable", context.FunctionDefinition.Name);
                http.Response.Headers.RetryAfter = "5";
            }
            await problem.ExecuteAsync(http);
        }
    }
}
