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
            IResult? problem = ex switch
            {
                RefusedException refused => Problems.From(refused.Refusal),
                StorageInterruptedException interrupted => Problems.Unavailable(interrupted.Message, interrupted.Progress),
                _ when StorageFaults.IsUnavailable(ex) => Problems.Unavailable("Storage is unavailable; retry after the time in Retry-After.", null),
                Microsoft.AspNetCore.Http.BadHttpRequestException bad => TypedResults.Problem(statusCode: bad.StatusCode, title: "Bad request"),
                _ => null,
            };
            http.Response.Clear();
            var unavailable = ex is StorageInterruptedException || (ex is not RefusedException && StorageFaults.IsUnavailable(ex));
            if (problem is null)
            {
                logger.LogError(ex, "{Function} failed", context.FunctionDefinition.Name);
                problem = TypedResults.Problem("An unexpected error occurred; it has been logged.", statusCode: StatusCodes.Status500InternalServerError, title: "Internal error");
            }
            else if (unavailable)
            {
                logger.LogWarning(ex, "{Function}: storage unavailable", context.FunctionDefinition.Name);
                http.Response.Headers.RetryAfter = "5";
            }
            if (CallerChecks.IsPage(context.FunctionDefinition))
            {
                // A person reads it: the same outcome as a page in Japanese, never a problem document.
                problem = ex switch
                {
                    RefusedException refused => Web.WebPage.Message(http, Problems.StatusOf(refused.Refusal.Kind), refused.Refusal.Title.Japanese, refused.Refusal.Detail.Japanese),
                    _ when unavailable => Web.WebPage.Message(http, StatusCodes.Status503ServiceUnavailable, "ただいま処理できません",
                        "データの保存先に一時的に接続できません。何も変更していない可能性があります。しばらく待ってから、もう一度お試しください。"),
                    _ => Web.WebPage.Message(http, problem is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status500InternalServerError,
                        "エラーが発生しました", "処理を完了できませんでした。記録を残しましたので、時間をおいてもう一度お試しください。"),
                };
            }
            await problem.ExecuteAsync(http);
        }
    }
}
