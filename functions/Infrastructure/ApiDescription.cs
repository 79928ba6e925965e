using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Reporting.Infrastructure;

/// <summary>
/// The OpenAPI description served at <c>/api/openapi.json</c>, shaped so that agencies' client generators (NSwag,
/// openapi-typescript, Kiota, API Management) produce a working client with no hand edits:
/// <list type="bullet">
/// <item>OpenAPI 3.0, which every generator reads (3.1's type arrays are not);</item>
/// <item>the Entra ID security schemes, a requirement on every protected operation and the app roles it needs;</item>
/// <item>every operation named (operationId) and summarised, every status it can answer declared — problems as
/// <c>application/problem+json</c> — with the headers it sends (ETag, Location, Retry-After) and reads (If-Match);</item>
/// <item>enums as strings, numbers as numbers, years as integers, flags as booleans; a property that may be absent (null
/// is never written) is not required; files (PDF, CSV) as binary content.</item>
/// </list>
/// The functions say what only they know (<see cref="OperationAttribute"/> and its siblings); the rules every operation shares live here.
/// </summary>
public static class ApiDescription
{
    public const string EntraScheme = "entraId";
    public const string BearerScheme = "bearer";
    private const string Problem = "application/problem+json";

    public static IServiceCollection AddReportingOpenApi(this IServiceCollection services, IConfiguration configuration) =>
        services.AddOpenApi(o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_0;
            o.AddSchemaTransformer((schema, context, _) =>
            {
                Shape(schema, context);
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                Shape(operation, context);
                return Task.CompletedTask;
            });
            o.AddDocumentTransformer((document, _, _) =>
            {
                Shape(document, configuration);
                return Task.CompletedTask;
            });
        });

    // ---------------------------------------------------------------- schemas

    private static void Shape(OpenApiSchema schema, OpenApiSchemaTransformerContext context)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            // Written and read as camelCase strings (Json.Options): say so, or generators make integer enums. A null
            // is never written (WhenWritingNull), so the enum itself is never nullable: the member is just absent.
            schema.Type = JsonSchemaType.String;
            schema.Enum = Json.WireNames(underlying).Select(n => (JsonNode)JsonValue.Create(n)!).ToList();
            return;
        }
        if (context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 } && schema.Required is { Count: > 0 } required)
        {
            // A null member is not written at all (Json.Options: WhenWritingNull), so a nullable member is not required.
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                if (Nullable.GetUnderlyingType(property.PropertyType) is not null || property.IsGetNullable && !property.PropertyType.IsValueType)
                {
                    required.Remove(property.Name);
                }
            }
        }
    }

    private static bool IsNullOnly(IOpenApiSchema schema) =>
        schema is OpenApiSchema { Enum: { Count: 1 } values } && values[0] is null
        || schema is OpenApiSchema { Type: JsonSchemaType.Null };

    // ---------------------------------------------------------------- operations

    private static void Shape(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document!;
        operation.Parameters ??= [];
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            Describe(parameter);
        }
        foreach (var header in metadata.OfType<ReadsHeaderAttribute>())
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = header.Name,
                In = ParameterLocation.Header,
                Description = header.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
        if (operation.RequestBody is OpenApiRequestBody body)
        {
            body.Required = true;
            if (metadata.OfType<DescribedBodyAttribute>().FirstOrDefault() is { } described && body.Content is { } accepted)
            {
                foreach (var other in accepted.Keys.Except(described.ContentTypes).ToList()) accepted.Remove(other);
            }
            foreach (var (mediaType, content) in body.Content ?? new Dictionary<string, OpenApiMediaType>())
            {
                if (mediaType == "text/csv")
                {
                    // A file, streamed: generators give a stream (NSwag's FileParameter, a Blob), not a JSON model.
                    content.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
                    body.Description = "A CSV file: UTF-8 (with or without BOM) or, with charset=shift_jis, Shift_JIS.";
                }
            }
        }

        operation.Responses ??= new OpenApiResponses();
        var responses = operation.Responses;
        if (metadata.OfType<ProducesFileAttribute>().FirstOrDefault() is { } file)
        {
            responses[file.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = file.Description,
                Content = file.ContentTypes.ToDictionary(t => t, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } }),
            };
        }

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policies = anonymous ? [] : metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        var hasInput = operation.RequestBody is not null
            || operation.Parameters.OfType<OpenApiParameter>().Any(p => p.In == ParameterLocation.Query || p.In == ParameterLocation.Path && p.Name is not ("id" or "code"))
            || operation.Parameters.OfType<OpenApiParameter>().Any(p => p.In == ParameterLocation.Header);

        if (hasInput) AddProblem(responses, document, 400, validation: true);
        if (policies.Count > 0)
        {
            AddProblem(responses, document, 401);
            AddProblem(responses, document, 403);
        }
        if (operation.RequestBody is not null) AddProblem(responses, document, 413);
        AddProblem(responses, document, 429, retryAfter: true);
        if (context.Description.RelativePath?.TrimEnd('/') != "api/health")
        {
            AddProblem(responses, document, 503, retryAfter: true);
        }

        foreach (var (status, response) in responses)
        {
            if (response is not OpenApiResponse r) continue;
            r.Description = string.IsNullOrEmpty(r.Description) || r.Description == ReasonPhrase(status) ? Explain(status, r.Description) : r.Description;
            if (status.StartsWith('4') || status.StartsWith('5'))
            {
                // Problems are application/problem+json, whatever the framework listed beside it.
                if (r.Content is { Count: > 0 } content && content.ContainsKey(Problem))
                {
                    foreach (var other in content.Keys.Where(k => k != Problem).ToList()) content.Remove(other);
                }
            }
        }
        foreach (var header in metadata.OfType<SendsHeaderAttribute>())
        {
            if (responses.TryGetValue(header.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var r) && r is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[header.Name] = new OpenApiHeader { Description = header.Description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }
        }

        // Responses in the order of their status codes, as a reader expects.
        var sorted = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (status, response) in sorted) responses[status] = response;

        operation.Security = anonymous || policies.Count == 0
            ? []
            : [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(EntraScheme, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] },
            ];
        if (policies.Count > 0)
        {
            var roles = string.Join("; ", policies.Select(RolesOf));
            operation.Description = (operation.Description is { Length: > 0 } d ? d + "\n\n" : "") + $"**Roles:** {roles}.";
            operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            operation.Extensions["x-roles"] = new JsonNodeExtension(new JsonArray(policies.SelectMany(RoleValues).Distinct().Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()));
        }
        else
        {
            operation.Description ??= operation.Summary;
        }
    }

    /// <summary>Parameters by name, the same everywhere: years are integers, flags booleans, formats a closed set.</summary>
    private static void Describe(OpenApiParameter parameter)
    {
        switch (parameter.In, parameter.Name)
        {
            case (ParameterLocation.Path, "id"):
                parameter.Description = "The indicator's id in the catalog, e.g. research-time-share.";
                break;
            case (ParameterLocation.Path, "year"):
                parameter.Description = "The year the value is for: a calendar year (年) or a fiscal year (年度), as the indicator counts, e.g. 2025.";
                parameter.Schema = Year();
                break;
            case (ParameterLocation.Path, "fiscalYear"):
                parameter.Description = "A fiscal year (年度, April to March), e.g. 2025.";
                parameter.Schema = Year();
                break;
            case (ParameterLocation.Path, "code"):
                parameter.Description = "The agency's code: 1 to 16 upper-case letters or digits, as in the app role agency.{code}, e.g. DIGITAL.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[A-Z0-9]{1,16}$" };
                break;
            case (ParameterLocation.Query, "series"):
                parameter.Description = "The series, required when the indicator has several (e.g. enrolments, degrees); otherwise left out.";
                break;
            case (ParameterLocation.Query, "history"):
                parameter.Description = "true: with every revision of each value (who, when, the previous value, the reason).";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) };
                break;
            case (ParameterLocation.Query, "dryRun"):
                parameter.Description = "true: check every row and answer as if writing, but write nothing.";
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) };
                break;
            case (ParameterLocation.Query, "format"):
                parameter.Description = "pdf (the report, default), html (its accessible edition), csv or json (its summary table), snapshot (the data it was made from).";
                parameter.Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = ["pdf", "html", "csv", "json", "snapshot"],
                    Default = JsonValue.Create("pdf"),
                };
                break;
            case (ParameterLocation.Query, "id"):
                parameter.Description = "A report's id, as listed by ListReports; without it, the latest report of the year.";
                break;
        }
    }

    private static OpenApiSchema Year() => new() { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "2000", Maximum = "2100" };

    /// <summary>A problem every operation of its kind can answer, described as <see cref="Explain"/> says.</summary>
    private static void AddProblem(OpenApiResponses responses, OpenApiDocument document, int status, bool validation = false, bool retryAfter = false)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (responses.ContainsKey(key)) return;
        var response = new OpenApiResponse
        {
            Description = Explain(key, null),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [Problem] = new() { Schema = new OpenApiSchemaReference(validation ? "HttpValidationProblemDetails" : "ProblemDetails", document) },
            },
        };
        if (retryAfter)
        {
            response.Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Seconds to wait before retrying.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" } },
            };
        }
        responses[key] = response;
    }

    private static string ReasonPhrase(string status) =>
        int.TryParse(status, out var code) ? Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code) : "";

    private static string Explain(string status, string? fallback) => status switch
    {
        "200" => "OK.",
        "201" => "Created.",
        "400" => "The request is not valid: errors names each field and what it must be.",
        "401" => "No bearer token, or one that is not valid for this API (issuer, audience, signature, expiry).",
        "403" => "The token does not carry a role this operation needs, or the agency does not own the indicator.",
        "404" => "Not found: the detail says what (the indicator, the series, the value, the report).",
        "409" => "The state does not allow it now: the detail says why (a closed window, a locked year, a concurrent change).",
        "412" => "A precondition (If-Match, If-None-Match) does not hold: read the value again and decide.",
        "413" => "The body is larger than the operation accepts.",
        "415" => "The body's media type is not one this operation reads.",
        "429" => "Too many requests from this client this minute: retry after Retry-After seconds.",
        "503" => "Storage is unavailable or the service is still starting: retry after Retry-After seconds.",
        _ => string.IsNullOrEmpty(fallback) ? ReasonPhrase(status) : fallback,
    };

    private static string RolesOf(string policy) => Policies.Named(policy)?.Roles ?? policy;

    private static IEnumerable<string> RoleValues(string policy) => Policies.Named(policy)?.RoleValues ?? [policy];

    // ---------------------------------------------------------------- document

    private static void Shape(OpenApiDocument document, IConfiguration configuration)
    {
        var tenant = configuration["Auth:TenantId"] is { Length: > 0 } t ? t : "organizations";
        var instance = (configuration["Auth:Instance"] is { Length: > 0 } i ? i : "https://login.microsoftonline.com/").TrimEnd('/') + "/";
        var audience = configuration["Auth:Audience"] is { Length: > 0 } a ? a : "api://reporting";
        var scope = audience.TrimEnd('/') + "/.default";

        document.Info = new OpenApiInfo
        {
            Title = "Reporting — 第7期科学技術・イノベーション基本計画 フォローアップ API",
            Version = "v1",
            Description = """
                The follow-up of Japan's 7th Science, Technology and Innovation Basic Plan: the eighteen indicators of the plan's
                annex (別紙), the values the responsible agencies submit every year, progress towards each target, and the annual
                follow-up report (PDF) generated from them.

                **Authentication.** Every operation but the health checks and this description needs a Microsoft Entra ID access
                token for this API (`Authorization: Bearer …`) carrying one of its app roles in the `roles` claim: `staff` (read
                everything, generate and download reports), `admin` (change the catalog and windows, correct values with a
                reason) and `agency.{CODE}` (submit that agency's indicators, e.g. `agency.MEXT`). A daemon uses the client
                credentials flow with the scope `.default` of the API's Application ID URI. Each operation lists the roles it
                accepts (**Roles**, and `x-roles`).

                **Errors** are RFC 9457 `application/problem+json`: `title`, `detail`, and for invalid input `errors`, which
                names each field and what it must be. Nothing is stored when a request is refused.

                **Versions.** A value's `ETag` is its revision; send it back in `If-Match` to change it only if nobody else has.
                """,
            Contact = new OpenApiContact
            {
                Name = "内閣府 科学技術・イノベーション推進事務局 (CSTI secretariat)",
                Url = new Uri("https://www8.cao.go.jp/cstp/"),
            },
            License = new OpenApiLicense
            {
                Name = "政府標準利用規約（第2.0版） / CC BY 4.0 compatible",
                Url = new Uri("https://creativecommons.org/licenses/by/4.0/"),
            },
        };

        foreach (var server in document.Servers ?? [])
        {
            // Paths begin with /api/…: a base address ending in / would make clients ask for //api/….
            server.Url = server.Url?.TrimEnd('/');
        }
        document.Components ??= new OpenApiComponents();
        foreach (var schema in (document.Components.Schemas ?? new Dictionary<string, IOpenApiSchema>()).Values.OfType<OpenApiSchema>())
        {
            // A nullable enum member comes out as oneOf [null, $ref]; as a null is never written, it is the $ref (and
            // not required). OpenAPI 3.0 has no null type, and generators make an untyped object of the oneOf.
            foreach (var (name, property) in (schema.Properties ?? new Dictionary<string, IOpenApiSchema>()).ToList())
            {
                if (property is OpenApiSchema { OneOf: { Count: 2 } oneOf } && oneOf.Count(IsNullOnly) == 1)
                {
                    schema.Properties![name] = oneOf.Single(o => !IsNullOnly(o));
                    schema.Required?.Remove(name);
                }
            }
        }
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            if (document.Components.Schemas is { } schemas && schemas.TryGetValue(name, out var found) && found is OpenApiSchema problem)
            {
                problem.Description = "RFC 9457 problem details. traceId identifies the request in the service's logs.";
                problem.Properties ??= new Dictionary<string, IOpenApiSchema>();
                problem.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's id in the service's logs." };
            }
        }
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[EntraScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.OAuth2,
            Description = "Microsoft Entra ID. Tokens carry the app roles (staff, admin, agency.{CODE}) in the roles claim; " +
                "v1 and v2 access tokens of the API's tenant are accepted.",
            Flows = new OpenApiOAuthFlows
            {
                ClientCredentials = new OpenApiOAuthFlow
                {
                    TokenUrl = new Uri($"{instance}{tenant}/oauth2/v2.0/token"),
                    Scopes = new Dictionary<string, string> { [scope] = "The app roles granted to the calling application." },
                },
                AuthorizationCode = new OpenApiOAuthFlow
                {
                    AuthorizationUrl = new Uri($"{instance}{tenant}/oauth2/v2.0/authorize"),
                    TokenUrl = new Uri($"{instance}{tenant}/oauth2/v2.0/token"),
                    Scopes = new Dictionary<string, string> { [scope] = "The app roles assigned to the signed-in user." },
                },
            },
        };
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An Entra ID access token for this API, obtained by any means, with the app roles in the roles claim.",
        };

        // Tags in the order a reader meets them, each with what it is for.
        var tags = new (string Name, string Description)[]
        {
            ("Indicators", "The catalog of the plan's annex: indicators, baselines, targets; the values agencies submit."),
            ("Agencies", "The agencies responsible for indicators."),
            ("Submission windows", "When agencies may submit values for a fiscal year."),
            ("Imports", "Many values at once, from CSV or JSON."),
            ("Completeness", "What has been submitted and what is missing."),
            ("Progress", "Progress towards each target, by the published method."),
            ("Reports", "The annual follow-up report: generate, list, download, publish."),
            ("Health", "Liveness and readiness, without a token."),
        };
        document.Tags = new HashSet<OpenApiTag>(tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
    }
}
