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

    /// <summary>Bind the request, submit it, map the answer: every rule is in <see cref="SubmitValues"/>.</summary>
    internal static async Task<IResult> PutValue(
        string id, string year, HttpRequest request, HttpResponse response, ClaimsPrincipal user, SubmitValues submit, CancellationToken cancellationToken)
    {
        var (body, problem) = await RequestJson.ReadAsync<SubmitValueRequest>(request, BodyShape, cancellationToken);
        if (problem is not null)
        {
            Hosting.Telemetry.RecordSubmission(Submitter.From(user).Agency, "refused");
            return problem;
        }
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && ifNoneMatch != "*")
        {
            return Problems.Invalid("If-None-Match", "only \"*\" is supported (create only).");
        }
        var ifMatch = request.Headers.IfMatch.ToString();
        var valueError = ValueRules.CheckJsonNumber(body!.Value, out var number);
        var submission = new ValueSubmission(id, body.Series, year, valueError is null ? number : null, valueError, body.Note, body.Status, body.Reason,
            ifMatch.Length > 0 ? ifMatch : null, ifNoneMatch == "*");

        var outcome = await submit.SubmitAsync(Submitter.From(user), submission, cancellationToken);
        if (outcome.IsRefused) return Problems.From(outcome.Refusal!);
        var written = outcome.Value;
        if (written.Value.ETag is { } etag) response.Headers.ETag = etag;
        var location = $"/api/indicators/{written.Value.IndicatorId}/values/{written.Value.Year}?series={written.Value.Series}";
        return written.Kind == WriteKind.Created ? TypedResults.Created(location, written.Value) : TypedResults.Ok(written.Value);
    }
}
