using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Reporting.Infrastructure;

/// <summary>
/// What a function tells the API description beyond its trigger (route and methods) and its policy: the operation's tag,
/// summary and description (its id is the function's name). <see cref="ApiDocument"/> reads these from the functions
/// themselves, so the description cannot drift from what is deployed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OperationAttribute(string tag, string summary) : Attribute
{
    public string Tag => tag;
    public string Summary => summary;
    public string? Description { get; init; }
}

/// <summary>A success the operation answers with a JSON body of <typeparamref name="T"/>.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ReturnsAttribute<T>(int status = 200) : Attribute, IProducesResponseTypeMetadata
{
    public int StatusCode => status;
    public Type? Type => typeof(T);
    public string? Description => null;
    public IEnumerable<string> ContentTypes => ["application/json"];
}

/// <summary>The problems the operation answers beside the ones every operation of its kind can (400, 401, 403, 429, 503).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ProblemsAttribute(params int[] statuses) : Attribute
{
    public IReadOnlyList<int> Statuses => statuses;

    public IEnumerable<IProducesResponseTypeMetadata> Metadata => statuses.Select(s => (IProducesResponseTypeMetadata)new ProblemResponse(s));

    private sealed record ProblemResponse(int StatusCode) : IProducesResponseTypeMetadata
    {
        public Type? Type => StatusCode == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
        public string? Description => null;
        public IEnumerable<string> ContentTypes => ["application/problem+json"];
    }
}

/// <summary>
/// The request body the operation reads, as <typeparamref name="T"/> in the first of <paramref name="contentTypes"/>
/// (application/json by default), and the other media types it also accepts.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BodyAttribute<T>(params string[] contentTypes) : Attribute, IAcceptsMetadata
{
    IReadOnlyList<string> IAcceptsMetadata.ContentTypes => contentTypes.Length > 0 ? contentTypes : ["application/json"];
    public Type? RequestType => typeof(T);
    public bool IsOptional => false;
}

/// <summary>
/// The request media types the description shows, of those the operation accepts: one that is still read for clients
/// written before (JSON rows sent to the CSV import) but that a generator must not be offered beside another.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DescribedBodyAttribute(params string[] contentTypes) : Attribute
{
    public IReadOnlyList<string> ContentTypes => contentTypes;
}

/// <summary>A response header the operation sends with a status (ETag with a value, Location with a created resource).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SendsHeaderAttribute(int status, string name, string description) : Attribute
{
    public int Status => status;
    public string Name => name;
    public string Description => description;
}

/// <summary>A request header the operation reads (If-Match, If-None-Match).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ReadsHeaderAttribute(string name, string description) : Attribute
{
    public string Name => name;
    public string Description => description;
}

/// <summary>A success response whose body is a file rather than JSON: its media types (the PDF, the CSV).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesFileAttribute(string description, params string[] contentTypes) : Attribute
{
    public int Status => StatusCodes.Status200OK;
    public string Description => description;
    public IReadOnlyList<string> ContentTypes => contentTypes;
}

/// <summary>An operation the rate limit never applies to (the health checks a platform polls).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NotRateLimitedAttribute : Attribute;

/// <summary>A function left out of the API description (the description itself).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NotDescribedAttribute : Attribute;
