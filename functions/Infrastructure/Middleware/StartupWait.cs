using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Reporting.Features.Health;

namespace Reporting.Infrastructure.Middleware;

/// <summary>
/// Storage is prepared in the background while the worker already answers (the host waits for the worker, not for
/// storage): every function but the health checks and the API description waits here for it — 503 with Retry-After if
/// that takes over a minute. The timer waits as well.
/// </summary>
public sealed class StartupWait(Hosting.StartupGate gate) : IFunctionsWorkerMiddleware
{
    private static readonly HashSet<string> WithoutStorage = new(StringComparer.Ordinal) { HealthFunctions.Liveness, HealthFunctions.Readiness, OpenApiFunction.Name };

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!gate.Ready.IsCompleted && !WithoutStorage.Contains(context.FunctionDefinition.Name))
        {
            try
            {
                await gate.Ready.WaitAsync(TimeSpan.FromSeconds(60), context.CancellationToken);
            }
            catch (TimeoutException) when (context.GetHttpContext() is { } http)
            {
                http.Response.Headers.RetryAfter = "10";
                await TypedResults.Problem("The service is still preparing its storage; retry shortly.", statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Starting").ExecuteAsync(http);
                return;
            }
        }
        await next(context);
    }
}
