using Microsoft.AspNetCore.Authorization;
using Microsoft.Azure.Functions.Worker;

namespace Reporting.Infrastructure;

/// <summary>
/// GET /api/openapi.json: the OpenAPI description of every operation (<see cref="ApiDocument"/>). Anonymous: client
/// generators and API Management import it by URL, without a token. Its server is the address the caller used.
/// </summary>
public sealed class OpenApiFunction(ApiDocument document)
{
    public const string Name = "GetOpenApiDocument";

    [Function(Name)]
    [AllowAnonymous, NotDescribed]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request)
    {
        var server = $"{request.Scheme}://{request.Host}{request.PathBase}";
        return TypedResults.Text(await document.JsonAsync(server, request.HttpContext.RequestAborted), "application/json; charset=utf-8");
    }
}
