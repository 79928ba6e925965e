using System.Collections.Concurrent;
using System.Reflection;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Reporting.Infrastructure.Middleware;

/// <summary>
/// Who calls, before anything of the request is read: the caller is authenticated (an Entra ID or development bearer
/// token, or App Service Authentication's principal where trusted), counted against its rate limit (its token's subject,
/// or its address — from the host's X-Forwarded-For — when anonymous or invalid), and authorized by the policy the
/// function requires. A function that names no policy and does not allow anonymous callers is refused: closed by
/// default. The health checks are never rate limited.
/// </summary>
public sealed class CallerChecks(IAuthorizationService authorization, RequestQuota quota, ILogger<CallerChecks> logger) : IFunctionsWorkerMiddleware
{
    private sealed record Requirements(string? Policy, bool Anonymous, bool Limited);

    // What each function requires, read from its method's attributes the first time it is invoked (the function's entry
    // point names its method), not by scanning the assembly at start-up.
    private static readonly ConcurrentDictionary<string, Requirements?> ByFunction = new(StringComparer.Ordinal);

    private static Requirements? RequirementsOf(FunctionDefinition function) => ByFunction.GetOrAdd(function.EntryPoint, entryPoint =>
    {
        var split = entryPoint.LastIndexOf('.');
        var method = typeof(CallerChecks).Assembly.GetType(entryPoint[..split])?.GetMethod(entryPoint[(split + 1)..]);
        return method is null
            ? null
            : new Requirements(method.GetCustomAttribute<RequiresAttribute>()?.Policy, method.GetCustomAttribute<AllowAnonymousAttribute>() is not null,
                method.GetCustomAttribute<NotRateLimitedAttribute>() is null);
    });

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }
        if (RequirementsOf(context.FunctionDefinition) is not { } requires || (requires.Policy is null && !requires.Anonymous))
        {
            logger.LogError("{Function} declares no policy: refused", context.FunctionDefinition.Name);
            await Problems.Forbidden("This operation is not open to any caller.").ExecuteAsync(http);
            return;
        }

        if (requires is { Anonymous: true, Limited: false })
        {
            // The health checks: nobody to identify, nothing to count.
            await next(context);
            return;
        }

        var authenticated = await http.AuthenticateAsync();
        if (authenticated.Succeeded) http.User = authenticated.Principal;

        if (requires.Limited)
        {
            var client = authenticated.Succeeded
                ? "sub:" + (http.User.FindFirst("sub")?.Value ?? http.User.Who())
                : "ip:" + http.Connection.RemoteIpAddress;
            var decision = await quota.TryAcquireAsync(client, http.RequestAborted);
            if (!decision.Allowed)
            {
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await TypedResults.Problem($"At most {quota.Limit} requests a minute per client; retry after the time in Retry-After.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(http);
                return;
            }
        }

        if (requires.Policy is { } policy)
        {
            if (!authenticated.Succeeded)
            {
                // The authentication handler's challenge: 401, WWW-Authenticate, and a problem saying what was wrong.
                await http.ChallengeAsync();
                return;
            }
            if (!(await authorization.AuthorizeAsync(http.User, policy)).Succeeded)
            {
                await http.ForbidAsync();
                return;
            }
        }
        await next(context);
    }
}
