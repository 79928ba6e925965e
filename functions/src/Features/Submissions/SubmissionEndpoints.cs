using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Reporting.Features.Indicators;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>
/// Body of <c>PUT /api/indicators/{id}/values/{year}</c>. <c>value</c> is kept raw so a wrong type gets a precise
/// message; <c>status</c> is final (確報値, default) or provisional (速報値); <c>reason</c> is required of an admin.
/// </summary>
public sealed record SubmitValueRequest(string? Series, JsonElement? Value, string? Note, string? Status = null, string? Reason = null);

public sealed record ValuesResponse(string IndicatorId, string Unit, YearType YearType, IReadOnlyList<IndicatorValue> Values);

public static class SubmissionEndpoints
{
    public const string BodyShape = """{"series": "…", "value": number, "status": "final|provisional", "note": "…"}""";

    public static RouteGroupBuilder MapSubmissions(this RouteGroupBuilder indicators)
    {
        indicators.MapGet("/{id}/values", GetValues).RequireAuthorization(Policies.AnyRole)
            .ProducesProblem(StatusCodes.Status404NotFound);
        indicators.MapGet("/{id}/values/{year}", GetValue).RequireAuthorization(Policies.AnyRole)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        indicators.MapPut("/{id}/values/{year}", PutValue).RequireAuthorization(Policies.Submitter)
            .Accepts<SubmitValueRequest>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return indicators;
    }

    internal static async Task<Results<Ok<ValuesResponse>, ProblemHttpResult>> GetValues(
        string id, bool? history, IndicatorStore catalog, ValueStore values, CancellationToken cancellationToken)
    {
        var indicator = await catalog.FindAsync(id, cancellationToken);
        if (indicator is null)
        {
            return Problems.NotFound($"No indicator '{id}' in the catalog.");
        }
        var list = await values.ListAsync(indicator.Id, history == true, cancellationToken);
        return TypedResults.Ok(new ValuesResponse(indicator.Id, indicator.Unit, indicator.YearType, list));
    }

    /// <summary>One value with its ETag header, for a following PUT with If-Match.</summary>
    internal static async Task<Results<Ok<IndicatorValue>, ValidationProblem, ProblemHttpResult>> GetValue(
        string id, string year, string? series, bool? history, HttpResponse response, IndicatorStore catalog, ValueStore values,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var indicator = await catalog.FindAsync(id, cancellationToken);
        if (indicator is null) return Problems.NotFound($"No indicator '{id}' in the catalog.");
        var errors = new Dictionary<string, string[]>();
        if (ValueRules.CheckYear(year, indicator.YearType, clock, out var y) is { } yearError) errors["year"] = [yearError];
        if (ValueRules.ResolveSeries(indicator, series, out var s) is { } seriesError) errors["series"] = [seriesError];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (!indicator.HasSeries(s)) return Problems.NotFound($"Indicator '{indicator.Id}' has no series '{s}'.");
        var value = await values.GetAsync(indicator.Id, s, y, history == true, cancellationToken);
        if (value is null) return Problems.NotFound($"No value of '{indicator.Id}' ({s}) for {y}.");
        response.Headers.ETag = value.ETag;
        return TypedResults.Ok(value);
    }

    internal static async Task<IResult> PutValue(
        string id, string year, HttpRequest request, HttpResponse response, ClaimsPrincipal user, IndicatorStore catalog, ValueStore values,
        SubmissionControls controls, Repertoire repertoire, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var result = await PutValueCore(id, year, request, response, user, catalog, values, controls, repertoire, clock, loggers, cancellationToken);
        if (result is IStatusCodeHttpResult { StatusCode: >= 400 and < 500 })
        {
            Hosting.Telemetry.RecordSubmission(user.IsAgency() ? user.AgencyCode() ?? "?" : "ADMIN", "refused");
        }
        return result;
    }

    private static async Task<IResult> PutValueCore(
        string id, string year, HttpRequest request, HttpResponse response, ClaimsPrincipal user, IndicatorStore catalog, ValueStore values,
        SubmissionControls controls, Repertoire repertoire, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var indicator = await catalog.FindAsync(id, cancellationToken);
        if (indicator is null)
        {
            return Problems.NotFound($"No indicator '{id}' in the catalog.");
        }
        var isAgency = user.IsAgency();
        var agency = isAgency ? user.AgencyCode()! : "ADMIN";
        if (isAgency && Ownership.Check(indicator, agency, await catalog.FindAgencyAsync(agency, cancellationToken)) is { } notOwner)
        {
            return Problems.From(notOwner);
        }

        var (body, problem) = await RequestJson.ReadAsync<SubmitValueRequest>(request, BodyShape, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var valueError = ValueRules.CheckValue(body!.Value, indicator, out var number);
        var (write, errors, unknownSeries) = ValueRules.Validate(indicator, body.Series, year, valueError is null ? number : null, valueError,
            body.Note, body.Status, body.Reason, repertoire, clock);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (unknownSeries)
        {
            return Problems.NotFound($"Indicator '{indicator.Id}' has no series '{body.Series}'; its series are {string.Join(", ", indicator.Series.Select(s => s.Id))}.");
        }
        var refusal = await controls.CheckAsync(write!.Year, user, body.Reason, cancellationToken);
        if (refusal is not null)
        {
            return TypedResults.Problem(refusal.Detail, statusCode: refusal.Status, title: refusal.Title, extensions: refusal.Extensions);
        }

        var ifMatch = request.Headers.IfMatch.ToString();
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && ifNoneMatch != "*")
        {
            return Problems.Invalid("If-None-Match", "only \"*\" is supported (create only).");
        }
        write = write with { IfMatch = ifMatch.Length > 0 ? ifMatch : null, CreateOnly = ifNoneMatch == "*" };

        WriteOutcome outcome;
        try
        {
            outcome = await values.SubmitAsync(indicator.Id, write, user.Who(), agency, clock.GetUtcNow(), cancellationToken);
        }
        catch (PreconditionFailedException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed");
        }
        Hosting.Telemetry.RecordSubmission(agency, outcome.Kind.ToString().ToLowerInvariant());
        loggers.CreateLogger("Reporting.Submissions").LogInformation(
            "Value {Indicator}/{Series}/{Year} = {Value} ({Status}) by {Agency}: revision {Revision} ({Outcome})",
            indicator.Id, write.Series, write.Year, write.Value, write.Status, agency, outcome.Value.Revision, outcome.Kind);
        if (outcome.Value.ETag is { } etag) response.Headers.ETag = etag;
        var location = $"/api/indicators/{indicator.Id}/values/{write.Year}?series={write.Series}";
        return outcome.Kind == WriteKind.Created ? TypedResults.Created(location, outcome.Value) : TypedResults.Ok(outcome.Value);
    }
}
