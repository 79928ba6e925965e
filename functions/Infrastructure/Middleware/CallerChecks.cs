using System.Collections.Concurrent;
using System.Reflection;
using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Reporting.Infrastructure.Web;

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
    private sealed record Requirements(string? Policy, bool Anonymous, bool Limited, bool Page);

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
                method.GetCustomAttribute<NotRateLimitedAttribute>() is null, method.GetCustomAttribute<Web.WebPageAttribute>() is not null);
    });

    /// <summary>Whether the function serves a page of the web interface (<see cref="WebPageAttribute"/>).</summary>
    public static bool IsPage(FunctionDefinition function) => RequirementsOf(function)?.Page == true;

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

        // A browser sends its session by itself, also when another site makes it post a form here: a change made with
        // it, and any form of the web interface, must come from this site's own pages.
        if (!Web.AmbientCredentials.IsSafe(http.Request.Method) && (requires.Page || Web.AmbientCredentials.AreUsed(http.Request)) && !Web.AmbientCredentials.IsSameOrigin(http.Request))
        {
            logger.LogWarning("{Function}: a cross-site {Method} with a browser session refused", context.FunctionDefinition.Name, http.Request.Method);
            await (requires.Page
                ? Web.WebPage.Message(http, StatusCodes.Status403Forbidden, "受け付けられません", "別のサイトから送られた操作は受け付けません。このサイトの画面から操作してください。")
                : Problems.Forbidden("A request made with a browser session must come from this site's own pages (Origin).")).ExecuteAsync(http);
            return;
        }

        if (requires.Limited)
        {
            var client = authenticated.Succeeded
                ? "sub:" + (http.User.FindFirst("sub")?.Value ?? http.User.Who())
                : "ip:" + http.Connection.RemoteIpAddress;
            var decision = await quota.TryAcquireAsync(client, http.RequestAborted);
            if (!decision.Allowed)
            {
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                if (requires.Page)
                {
                    await Web.WebPage.Message(http, StatusCodes.Status429TooManyRequests, "しばらくお待ちください",
                        $"短い時間に多くの操作がありました（1分間に{quota.Limit}回まで）。{http.Response.Headers.RetryAfter}秒ほど待ってから、もう一度お試しください。").ExecuteAsync(http);
                    return;
                }
                await TypedResults.Problem($"At most {quota.Limit} requests a minute per client; retry after the time in Retry-After.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(http);
                return;
            }
        }

        if (requires.Policy is { } policy)
        {
            if (!authenticated.Succeeded)
            {
                if (requires.Page)
                {
                    // A person: off to sign in, and back here afterwards.
                    var here = http.Request.Path + http.Request.QueryString;
                    await Web.WebPage.SeeOther(http.RequestServices.GetRequiredService<Web.SignInOptions>().SignInUrl(Web.AmbientCredentials.IsSafe(http.Request.Method) ? here : http.Request.Path)).ExecuteAsync(http);
                    return;
                }
                // The authentication handler's challenge: 401, WWW-Authenticate, and a problem saying what was wrong.
                await http.ChallengeAsync();
                return;
            }
            if (!(await authorization.AuthorizeAsync(http.User, policy)).Succeeded)
            {
                if (requires.Page)
                {
                    await Web.WebPage.Message(http, StatusCodes.Status403Forbidden, "このページは開けません",
                        "サインインしているアカウントの役割では、このページを使えません。役割が違う場合は、サインアウトしてから別のアカウントでサインインしてください。",
                        Html.Raw("<p><a href=\"/\">トップページへ</a></p>")).ExecuteAsync(http);
                    return;
                }
                await http.ForbidAsync();
                return;
            }
        }
        await next(context);
    }
}
