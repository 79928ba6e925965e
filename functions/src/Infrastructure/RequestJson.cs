using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Reporting.Infrastructure;

/// <summary>
/// Reads a JSON request body strictly (unknown members rejected) and turns every parse failure into a 400 problem that
/// names the field and shows the expected shape. Endpoints read bodies through this rather than model binding so that
/// malformed JSON, wrong types and stray fields all get the same clear answer.
/// </summary>
public static class RequestJson
{
    private static readonly JsonSerializerOptions Strict = new(Json.Options) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public static async Task<(T? Body, ValidationProblem? Problem)> ReadAsync<T>(HttpRequest request, string expected, CancellationToken cancellationToken = default)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, Strict, cancellationToken);
            return body is null ? (null, Problems.Invalid("body", $"is required: send {expected}.")) : (body, null);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "body" : ex.Path.TrimStart('$', '.');
            var end = ex.Message.IndexOf(". ", StringComparison.Ordinal);
            var reason = end < 0 ? ex.Message : ex.Message[..(end + 1)];
            return (null, Problems.Invalid(field, $"is not valid here: send {expected}. {reason}"));
        }
    }
}
