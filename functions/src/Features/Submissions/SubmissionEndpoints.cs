using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Reporting.Features.Indicators;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>
/// Body of <c>PUT /api/indicators/{id}/values/{year}</c>: the value (a JSON number, required); the series (required when
/// the indicator has several); final (確報値, the default) or provisional (速報値); a note printed in the report; and the
/// reason, required of an administrator changing a value.
/// </summary>
public sealed record SubmitValueRequest(double Value, string? Series = null, ValueStatus Status = ValueStatus.Final, string? Note = null, string? Reason = null);

/// <summary>An indicator's values; <see cref="ReferencePeriod"/> says what years one value covers and which year labels it.</summary>
public sealed record ValuesResponse(string IndicatorId, string Unit, YearType YearType, IReadOnlyList<IndicatorValue> Values, ReferencePeriod? ReferencePeriod = null);

public static class SubmissionEndpoints
{
    public const string BodyShape = """{"series": "…", "value": number, "status": "final|provisional", "note": "…"}""";

    public static RouteGroupBuilder MapSubmissions(this RouteGroupBuilder indicators)
    {
        indicators.MapGet("/{id}/values", GetValues).RequireAuthorization(Policies.AnyRole)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Describe("ListValues", "An indicator's current values, optionally with every revision",
                "One entry per series and year: the latest revision, its status (final/provisional), note, who submitted it and when, its ETag, and whether it is flagged as a possible outlier. With history=true, every revision (old value, who, when, why).");
        indicators.MapGet("/{id}/values/{year}", GetValue).RequireAuthorization(Policies.AnyRole)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .SendsHeader(StatusCodes.Status200OK, "ETag", "The value's version, for If-Match on a following PUT.")
            .Describe("GetValue", "One value of an indicator, with its ETag");
        indicators.MapPut("/{id}/values/{year}", PutValue).RequireAuthorization(Policies.Submitter)
            .Accepts<SubmitValueRequest>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ReadsHeader("If-Match", "Write only if the value is still this version (its ETag): 412 otherwise, so a change made meanwhile is never overwritten.")
            .ReadsHeader("If-None-Match", "\"*\": write only if there is no value yet (412 otherwise).")
            .SendsHeader(StatusCodes.Status201Created, "ETag", "The new value's version.")
            .SendsHeader(StatusCodes.Status201Created, "Location", "Where the value is read.")
            .SendsHeader(StatusCodes.Status200OK, "ETag", "The value's version after the change.")
            .Describe("SubmitValue", "Submit or revise one value (the agency owning the indicator; admin with a reason)",
                "201 with the value when it is new, 200 when it revises the value or repeats it unchanged. Every accepted change is kept as a revision. 409 when the submission window is closed or the year is locked by a published report; 412 when If-Match or If-None-Match does not hold.");
        return indicators;
    }

    internal static async Task<Results<Ok<ValuesResponse>, ValidationProblem, ProblemHttpResult>> GetValues(
        string id, string? history, IndicatorStore catalog, ValueStore values, CancellationToken cancellationToken)
    {
        if (!QueryFlag.TryRead(history, out var withHistory)) return QueryFlag.Invalid("history", history);
        var indicator = await catalog.FindAsync(id, cancellationToken);
        if (indicator is null)
        {
            return Problems.NotFound($"No indicator '{id}' in the catalog.");
        }
        var list = await values.ListAsync(indicator.Id, withHistory, cancellationToken);
        return TypedResults.Ok(new ValuesResponse(indicator.Id, indicator.Unit, indicator.YearType, list.Select(v => v.Dated(indicator)).ToList(), indicator.Period));
    }

    /// <summary>One value with its ETag header, for a following PUT with If-Match.</summary>
    internal static async Task<Results<Ok<IndicatorValue>, ValidationProblem, ProblemHttpResult>> GetValue(
        string id, string year, string? series, string? history, HttpResponse response, IndicatorStore catalog, ValueStore values,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!QueryFlag.TryRead(history, out var withHistory)) return QueryFlag.Invalid("history", history);
        var indicator = await catalog.FindAsync(id, cancellationToken);
        if (indicator is null) return Problems.NotFound($"No indicator '{id}' in the catalog.");
        var errors = new Dictionary<string, string[]>();
        if (ValueRules.CheckYear(year, indicator, clock, out var y) is { } yearError) errors["year"] = [yearError];
        if (ValueRules.ResolveSeries(indicator, series, out var s) is { } seriesError) errors["series"] = [seriesError];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (!indicator.HasSeries(s)) return Problems.NotFound($"Indicator '{indicator.Id}' has no series '{s}'.");
        var value = await values.GetAsync(indicator.Id, s, y, withHistory, cancellationToken);
        if (value is null) return Problems.NotFound($"No value of '{indicator.Id}' ({s}) for {y}.");
        response.Headers.ETag = value.ETag;
        return TypedResults.Ok(value.Dated(indicator));
    }

    /// <summary>Bind the request, submit it, map the answer: every rule is in <see cref="SubmitValues"/>.</summary>
    internal static async Task<Results<Created<IndicatorValue>, Ok<IndicatorValue>, ValidationProblem, ProblemHttpResult>> PutValue(
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
        var valueError = ValueRules.CheckMagnitude(body!.Value);
        var submission = new ValueSubmission(id, body.Series, year, valueError is null ? body.Value : null, valueError, body.Note, Json.WireName(body.Status), body.Reason,
            ifMatch.Length > 0 ? ifMatch : null, ifNoneMatch == "*");

        var outcome = await submit.SubmitAsync(Submitter.From(user), submission, cancellationToken);
        if (outcome.IsRefused) return Problems.From(outcome.Refusal!);
        var written = outcome.Value;
        if (written.Value.ETag is { } etag) response.Headers.ETag = etag;
        var location = $"/api/indicators/{written.Value.IndicatorId}/values/{written.Value.Year}?series={written.Value.Series}";
        return written.Kind == WriteKind.Created
            ? TypedResults.Created(location, written.Value)
            : TypedResults.Ok(written.Value);
    }
}
