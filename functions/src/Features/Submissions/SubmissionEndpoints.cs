using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Features.Indicators;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>Body of <c>PUT /api/indicators/{id}/values/{year}</c>. <c>value</c> is kept raw so a wrong type gets a precise message.</summary>
public sealed record SubmitValueRequest(string? Series, JsonElement? Value, string? Note);

public sealed record ValuesResponse(string IndicatorId, string Unit, YearType YearType, IReadOnlyList<IndicatorValue> Values);

public static class SubmissionEndpoints
{
    public static RouteGroupBuilder MapSubmissions(this RouteGroupBuilder indicators)
    {
        indicators.MapGet("/{id}/values", GetValues).RequireAuthorization(Policies.AnyRole);
        indicators.MapPut("/{id}/values/{year}", PutValue).RequireAuthorization(Policies.Agency);
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

    internal static async Task<Results<Created<IndicatorValue>, Ok<IndicatorValue>, ValidationProblem, ProblemHttpResult>> PutValue(
        string id, string year, HttpRequest request, ClaimsPrincipal user, IndicatorStore catalog, ValueStore values,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var indicator = await catalog.FindAsync(id, cancellationToken);
        if (indicator is null)
        {
            return Problems.NotFound($"No indicator '{id}' in the catalog.");
        }
        var agency = user.AgencyCode()!;
        if (!string.Equals(indicator.Agency, agency, StringComparison.OrdinalIgnoreCase))
        {
            return Problems.Forbidden($"Indicator '{indicator.Id}' is submitted by {indicator.Agency}; your token is for {agency}.");
        }

        var (body, problem) = await RequestJson.ReadAsync<SubmitValueRequest>(request, """{"series": "…", "value": number, "note": "…"}""", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        if (ValueRules.CheckYear(year, indicator.YearType, clock, out var y) is { } yearError) errors["year"] = [yearError];
        if (ValueRules.CheckValue(body!.Value, indicator.ValueKind, out var value) is { } valueError) errors["value"] = [valueError];
        if (ValueRules.CheckNote(body.Note) is { } noteError) errors["note"] = [noteError];
        if (ValueRules.ResolveSeries(indicator, body.Series, out var series) is { } seriesError) errors["series"] = [seriesError];
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        if (!indicator.HasSeries(series))
        {
            return Problems.NotFound($"Indicator '{indicator.Id}' has no series '{series}'; its series are {string.Join(", ", indicator.Series.Select(s => s.Id))}.");
        }

        var result = await values.SubmitAsync(indicator.Id, series, y, value, body.Note, user.Who(), agency, clock.GetUtcNow(), cancellationToken);
        loggers.CreateLogger("Reporting.Submissions").LogInformation(
            "Value {Indicator}/{Series}/{Year} = {Value} by {Agency}: revision {Revision} ({Outcome})",
            indicator.Id, series, y, value, agency, result.Value.Revision, result.Created ? "created" : result.Unchanged ? "unchanged" : "revised");
        return result.Created
            ? TypedResults.Created($"/api/indicators/{indicator.Id}/values", result.Value)
            : TypedResults.Ok(result.Value);
    }
}
