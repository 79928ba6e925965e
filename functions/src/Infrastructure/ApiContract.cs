namespace Reporting.Infrastructure;

/// <summary>A response header an operation sends with a status (ETag with a value, Location with a created resource).</summary>
public sealed record ResponseHeader(int Status, string Name, string Description);

/// <summary>A request header an operation reads (If-Match, If-None-Match).</summary>
public sealed record RequestHeader(string Name, string Description);

/// <summary>A success response whose body is a file rather than JSON: its media types (the PDF, the CSV).</summary>
public sealed record FileContent(int Status, string Description, params string[] ContentTypes);

/// <summary>
/// The request media types the description shows, of those the endpoint accepts: one that is still read for clients
/// written before (JSON rows sent to the CSV import) but that a generator must not be offered beside another.
/// </summary>
public sealed record DescribedBody(params string[] ContentTypes);

/// <summary>
/// What an endpoint tells the API description beyond its types: the name a client generator gives its method, a summary,
/// the headers it reads and sends, the files it answers with. The description (<see cref="ApiDescription"/>) reads them.
/// </summary>
public static class ApiContract
{
    /// <summary>The operation's id (a generated client's method name), summary and description.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string operationId, string summary, string? description = null)
    {
        builder.WithName(operationId).WithSummary(summary);
        return description is null ? builder : builder.WithDescription(description);
    }

    public static RouteHandlerBuilder SendsHeader(this RouteHandlerBuilder builder, int status, string name, string description) =>
        builder.WithMetadata(new ResponseHeader(status, name, description));

    public static RouteHandlerBuilder ReadsHeader(this RouteHandlerBuilder builder, string name, string description) =>
        builder.WithMetadata(new RequestHeader(name, description));

    /// <summary>Accepts <paramref name="accepted"/> (routing answers 415 to others); the description shows only <paramref name="described"/>.</summary>
    public static RouteHandlerBuilder AcceptsAlso<T>(this RouteHandlerBuilder builder, string[] described, params string[] accepted) where T : notnull =>
        builder.Accepts<T>(described[0], [.. described.Skip(1), .. accepted]).WithMetadata(new DescribedBody(described));

    public static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder builder, string description, params string[] contentTypes) =>
        builder.WithMetadata(new FileContent(StatusCodes.Status200OK, description, contentTypes));
}
