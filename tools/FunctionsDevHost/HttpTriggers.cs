using System.Diagnostics;
using System.Net;
using FunctionsDevHost.Rpc;
using Microsoft.AspNetCore.Routing.Template;
using Yarp.ReverseProxy.Forwarder;

namespace FunctionsDevHost;

/// <summary>An HTTP-triggered function's route: the host's route prefix and the trigger's route (or the function's name).</summary>
public sealed class HttpRoute
{
    private readonly TemplateMatcher matcher;
    private readonly List<(string Name, bool Optional, IRouteConstraint Constraint)> constraints = [];

    // The route constraints ASP.NET Core knows by name (int, maxlength(0), …), as the host's router resolves them.
    private static readonly IInlineConstraintResolver Resolver = new DefaultInlineConstraintResolver(
        Microsoft.Extensions.Options.Options.Create(new RouteOptions()), new ServiceCollection().BuildServiceProvider());

    public HttpRoute(string routePrefix, FunctionDescription function)
    {
        Function = function;
        var trigger = function.Trigger!;
        var route = trigger.Property("route") ?? function.Name;
        Template = string.IsNullOrEmpty(routePrefix) ? route : $"{routePrefix}/{route}";
        Methods = trigger.Methods;
        var parsed = TemplateParser.Parse(Template);
        matcher = new TemplateMatcher(parsed, new RouteValueDictionary());
        foreach (var parameter in parsed.Parameters)
        {
            foreach (var inline in parameter.InlineConstraints)
            {
                constraints.Add((parameter.Name!, parameter.IsOptional, Resolver.ResolveConstraint(inline.Constraint)
                    ?? throw new InvalidOperationException($"The route {Template} has a constraint the host does not know: {inline.Constraint}.")));
            }
        }
        // Literal segments win over parameters (reports/publish before reports/{fiscalYear}), as in ASP.NET Core routing.
        Precedence = parsed.Segments.Select(s => s.IsSimple && s.Parts[0].IsLiteral ? 1 : 0).Aggregate(0m, (p, s) => p * 2 + s);
    }

    public FunctionDescription Function { get; }
    public string Template { get; }
    public IReadOnlyList<string> Methods { get; }
    public decimal Precedence { get; }

    public bool TryMatch(PathString path, out RouteValueDictionary values)
    {
        values = new RouteValueDictionary();
        if (!matcher.TryMatch(path, values)) return false;
        foreach (var (name, optional, constraint) in constraints)
        {
            if (optional && values[name] is null or "") continue;
            if (!constraint.Match(null, null, name, values, RouteDirection.IncomingRequest)) return false;
        }
        return true;
    }

    public bool Allows(string method) => Methods.Count == 0 || Methods.Contains(method, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// HTTP triggers as the Functions host serves them with the worker's ASP.NET Core integration: the request is matched to
/// a function by its route template and methods, forwarded unchanged to the worker's own server with the invocation's
/// id in <c>x-ms-invocation-id</c> and <c>X-Forwarded-*</c> set from the caller's connection, and the same invocation is
/// sent over the event stream with the route values and query parameters as binding data. The worker's answer is the
/// caller's; an invocation that failed before anything was written answers 500, as the host does.
/// </summary>
public sealed class HttpTriggers(WorkerChannel worker, IReadOnlyList<HttpRoute> routes, IHttpForwarder forwarder, ILogger logger)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);
    private int answered;

    private readonly HttpMessageInvoker client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    });

    public static IReadOnlyList<HttpRoute> RoutesOf(FunctionApp app) =>
        app.Functions.Where(f => f.IsHttp).Select(f => new HttpRoute(app.RoutePrefix, f)).OrderByDescending(r => r.Precedence).ToList();

    public async Task HandleAsync(HttpContext context)
    {
        var functions = await worker.Ready;
        var method = context.Request.Method;
        var matched = routes.Select(r => (Route: r, Matched: r.TryMatch(context.Request.Path, out var values), Values: values))
            .Where(m => m.Matched && m.Route.Allows(method))
            .Select(m => (m.Route, m.Values))
            .FirstOrDefault();
        if (matched.Route is null)
        {
            // The Functions host answers 404 for a path no function serves, whatever the method.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (worker.HttpUri is not { } destination)
        {
            throw new InvalidOperationException("The worker did not report the HttpUri capability: the app must call ConfigureFunctionsWebApplication().");
        }

        var function = functions[matched.Route.Function.Name];
        var invocationId = Guid.NewGuid().ToString();
        var metadata = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase);
        // Binding data as the host's HTTP trigger gives it: query parameters, then route values (which win).
        foreach (var (name, value) in context.Request.Query)
        {
            if (!name.Equals("code", StringComparison.OrdinalIgnoreCase)) metadata[name] = WorkerChannel.Text(value.ToString());
        }
        foreach (var (name, value) in matched.Values)
        {
            if (value is not null) metadata[name] = WorkerChannel.Text(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!);
        }
        metadata["Query"] = WorkerChannel.Json(context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()));
        metadata["Headers"] = WorkerChannel.Json(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()));
        var trigger = function.Description.Trigger!;

        // The request first, then the invocation, as the host does: the worker pairs them by the invocation id.
        var invocation = new TaskCompletionSource<InvocationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var transformer = new ToWorker(invocationId, invocation.Task);
        var forwarding = forwarder.SendAsync(context, destination.ToString().TrimEnd('/'), client,
            new ForwarderRequestConfig { ActivityTimeout = Timeout }, transformer).AsTask();
        var invoked = worker.InvokeAsync(invocationId, function,
            new Dictionary<string, TypedData> { [trigger.Name] = new() { Http = new RpcHttp() } }, metadata, Timeout, context.RequestAborted);
        var result = await invoked;
        invocation.TrySetResult(result);
        var error = await forwarding;
        if (Interlocked.Exchange(ref answered, 1) == 0 && DevHost.WorkerStartedAt is { } started)
        {
            logger.LogInformation("First request ({Function}) answered {Milliseconds:0} ms after the worker process started", function.Description.Name,
                (DateTimeOffset.UtcNow - started).TotalMilliseconds);
        }

        if (!result.Succeeded)
        {
            logger.LogError("{Function} failed: {Error}", function.Description.Name, result.Error);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            }
            else if (!transformer.WroteBody)
            {
                context.Abort();
            }
        }
        else if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            logger.LogError(context.Features.Get<IForwarderErrorFeature>()?.Exception, "Forwarding to the worker failed: {Error}", error);
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    }

    /// <summary>Forwards a request to this host's own ping route: the forwarding code is compiled before a worker needs it.</summary>
    public async Task WarmUpAsync(HttpContext context)
    {
        var warm = new ToWorker("warm-up", Task.FromResult(new InvocationResult(true, null, null)));
        context.Request.Path = "/admin/host/ping";
        var local = $"{context.Request.Scheme}://{context.Request.Host}";
        await forwarder.SendAsync(context, local, client, new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(10) }, warm);
    }

    /// <summary>
    /// The request as the worker receives it: unchanged, plus the invocation id and the caller as X-Forwarded-* (what a
    /// caller sent in those headers itself is dropped). An answer without a body waits for the invocation's result, so
    /// that a function that failed is not answered 200.
    /// </summary>
    private sealed class ToWorker(string invocationId, Task<InvocationResult> invocation) : HttpTransformer
    {
        public bool WroteBody { get; private set; }

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            foreach (var name in new[] { "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix", "Forwarded" })
            {
                proxyRequest.Headers.Remove(name);
            }
            if (httpContext.Connection.RemoteIpAddress is { } caller) proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-For", caller.ToString());
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Proto", httpContext.Request.Scheme);
            proxyRequest.Headers.TryAddWithoutValidation("X-Forwarded-Host", httpContext.Request.Host.Value);
            proxyRequest.Headers.TryAddWithoutValidation("x-ms-invocation-id", invocationId);
        }

        public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
        {
            var empty = proxyResponse?.Content.Headers.ContentLength is null or 0 && proxyResponse?.Headers.TransferEncodingChunked != true;
            if (proxyResponse is not null && empty)
            {
                // The worker ends the response of a failed function with nothing in it; its invocation says what happened.
                var result = await invocation.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                if (!result.Succeeded) return false;
            }
            WroteBody = !empty;
            return await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        }
    }
}
