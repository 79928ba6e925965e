using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.FileProviders;
using Microsoft.OpenApi;

namespace Reporting.Infrastructure;

/// <summary>One HTTP-triggered function: its name (the operation's id), route under the host's prefix, methods and method.</summary>
public sealed record HttpOperation(string Name, string Route, IReadOnlyList<string> Methods, MethodInfo Method)
{
    /// <summary>
    /// The host's route prefix (host.json extensions.http.routePrefix): none, so that the web interface's pages are at
    /// the site's root; every API function's route starts with <see cref="ApiPrefix"/> itself.
    /// </summary>
    public const string RoutePrefix = "";

    public const string ApiPrefix = "api/";

    public string Path => "/" + (RoutePrefix.Length > 0 ? RoutePrefix + "/" : "") + Route;

    /// <summary>An operation of the API (under /api), not a page of the web interface.</summary>
    public bool IsApi => Route.StartsWith(ApiPrefix, StringComparison.Ordinal) && Method.GetCustomAttribute<Web.WebPageAttribute>() is null;

    public T? Attribute<T>() where T : Attribute => Method.GetCustomAttribute<T>();

    /// <summary>Every HTTP-triggered function of the app, read from its <c>[Function]</c> and <c>[HttpTrigger]</c> attributes.</summary>
    public static IReadOnlyList<HttpOperation> All { get; } = typeof(HttpOperation).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Select(m => (Method: m, Function: m.GetCustomAttribute<FunctionAttribute>(),
            Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null)))
        .Where(f => f.Function is not null && f.Trigger is not null)
        .Select(f => new HttpOperation(f.Function!.Name, f.Trigger!.Route ?? f.Function.Name,
            (f.Trigger.Methods ?? []).Select(x => x.ToUpperInvariant()).ToList(), f.Method))
        .OrderBy(o => o.Name, StringComparer.Ordinal)
        .ToList();
}

/// <summary>
/// The OpenAPI description, made from the functions' own declarations: each HTTP function's trigger (route, methods),
/// its policy (<see cref="RequiresAttribute"/>) and what it says of itself (<see cref="OperationAttribute"/>,
/// <c>Returns</c>, <c>Body</c>, …) become an endpoint of a description-only route table, which ASP.NET Core's OpenAPI
/// generator reads as it reads minimal APIs, shaped by <see cref="ApiDescription"/>. Built once per process; the server
/// address is the caller's (behind the host, the public one).
/// </summary>
public sealed class ApiDocument(IConfiguration configuration)
{
    private readonly Lazy<Task<OpenApiDocument>> document = new(() => BuildAsync(configuration));
    private readonly ConcurrentDictionary<string, string> served = new(StringComparer.Ordinal);

    public async Task<string> JsonAsync(string serverUrl, CancellationToken cancellationToken = default)
    {
        if (served.TryGetValue(serverUrl, out var json)) return json;
        var built = await document.Value.WaitAsync(cancellationToken);
        lock (built)
        {
            built.Servers = [new OpenApiServer { Url = serverUrl.TrimEnd('/') }];
            json = built.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_0, cancellationToken).GetAwaiter().GetResult();
        }
        // A handful of addresses at most (the public host, loopback): kept.
        if (served.Count < 16) served[serverUrl] = json;
        return json;
    }

    private static async Task<OpenApiDocument> BuildAsync(IConfiguration configuration)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(configuration);
        services.AddSingleton<IHostEnvironment>(new DescriptionEnvironment());
        services.AddRouting();
        services.AddEndpointsApiExplorer();
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        // Adds the problem types' JSON metadata, which the schemas of every problem response need.
        services.AddProblemDetails();
        services.AddReportingOpenApi(configuration);
        services.AddSingleton<EndpointDataSource>(new DefaultEndpointDataSource(HttpOperation.All.Where(o => o.IsApi && o.Attribute<NotDescribedAttribute>() is null).Select(Endpoint).ToList()));
        await using var provider = services.BuildServiceProvider();
        return await provider.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync();
    }

    /// <summary>What a minimal API endpoint of the same operation would carry, from the function's declarations.</summary>
    private static RouteEndpoint Endpoint(HttpOperation operation)
    {
        var pattern = RoutePatternFactory.Parse(operation.Path);
        var builder = new RouteEndpointBuilder(_ => Task.CompletedTask, pattern, 0) { DisplayName = operation.Name };
        builder.Metadata.Add(operation.Method);
        // The parameters as a minimal API with this method's signature binds them: route values, query parameters.
        var inferred = RequestDelegateFactory.InferMetadata(operation.Method, new RequestDelegateFactoryOptions
        {
            RouteParameterNames = pattern.Parameters.Select(p => p.Name).ToList(),
            DisableInferBodyFromParameters = true,
        });
        foreach (var item in inferred.EndpointMetadata) builder.Metadata.Add(item);
        builder.Metadata.Add(new HttpMethodMetadata(operation.Methods));
        builder.Metadata.Add(new EndpointNameMetadata(operation.Name));
        if (operation.Attribute<OperationAttribute>() is { } described)
        {
            builder.Metadata.Add(new TagsAttribute(described.Tag));
            builder.Metadata.Add(new EndpointSummaryAttribute(described.Summary));
            if (described.Description is { } description) builder.Metadata.Add(new EndpointDescriptionAttribute(description));
        }
        foreach (var attribute in operation.Method.GetCustomAttributes())
        {
            builder.Metadata.Add(attribute);
            if (attribute is ProblemsAttribute problems)
            {
                foreach (var problem in problems.Metadata) builder.Metadata.Add(problem);
            }
        }
        return (RouteEndpoint)builder.Build();
    }

    private sealed class DescriptionEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Production;
        public string ApplicationName { get; set; } = "Reporting";
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
