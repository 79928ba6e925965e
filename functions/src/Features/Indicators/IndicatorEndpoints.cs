using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>
/// An indicator as the API shows it: the catalog entry plus its group's and agency's Japanese names.
/// <see cref="ReferencePeriod"/> says how many years one value covers and which year it is submitted under.
/// </summary>
public sealed record IndicatorResponse(
    string Id, int Order, IndicatorGroup Group, string GroupName, string Name, string Unit, ValueKind ValueKind,
    Direction Direction, YearType YearType, IReadOnlyList<Series> Series, IReadOnlyList<BaselineResponse> Baseline, Target Target,
    string Agency, string AgencyName, string Source, int Decimals, double Minimum, double Maximum, ReferencePeriod ReferencePeriod)
{
    public static IndicatorResponse From(Indicator i, IReadOnlyList<Agency> agencies) => new(
        i.Id, i.Order, i.Group, Indicator.GroupName(i.Group), i.Name, i.Unit, i.ValueKind, i.Direction, i.YearType,
        i.Series, i.Baseline.Select(b => BaselineResponse.From(b, i)).ToList(), i.Target, i.Agency,
        agencies.FirstOrDefault(a => a.Code == i.Agency)?.Name ?? i.Agency, i.Source, i.Decimals, i.Minimum, i.Maximum, i.Period);
}

/// <summary>
/// A baseline of the annex: its value and base period (fromYear–toYear) and <see cref="Year"/>, the base year the
/// assessment measures from — for a base period of the values' own kind the year it is submitted under, so a value
/// sent for that year revises the baseline (<see cref="RevisedBySubmission"/>).
/// </summary>
public sealed record BaselineResponse(string SeriesId, double? Value, int FromYear, int ToYear, string Label, int Year, bool RevisedBySubmission)
{
    public static BaselineResponse From(Baseline b, Indicator i) => new(b.SeriesId, b.Value, b.FromYear, b.ToYear, b.Label, i.BaseYearOf(b), i.IsComparable(b));
}

/// <summary>
/// Body of <c>PUT /api/indicators/{id}/target</c> (admin): the decision that replaces a ●● placeholder or an old target.
/// reach and keepRank take a value and a year; cumulative a value and a period (fromYear–toYear); notSet may name the period.
/// </summary>
public sealed record SetTargetRequest(TargetKind Kind, double? Value = null, int? Year = null, int? FromYear = null, int? ToYear = null,
    string? Label = null, string? Reason = null);

/// <summary>Body of <c>PATCH /api/indicators/{id}</c> (admin): corrections of the catalog, each kept in the audit trail with the reason.</summary>
public sealed record CorrectIndicatorRequest(string Reason, string? Name = null, string? Agency = null, string? Source = null);

/// <summary>Body of <c>PUT /api/agencies/{code}</c> (admin): the agency's Japanese name as the report prints it.</summary>
public sealed record SetAgencyRequest(string Name);

public static class IndicatorEndpoints
{
    public const int MaxNameLength = 200;
    public const int MaxAgencyNameLength = 100;

    public static RouteGroupBuilder MapIndicators(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/indicators").WithTags("Indicators");
        group.MapGet("/", List).RequireAuthorization(Policies.AnyRole)
            .Describe("ListIndicators", "The catalog: every indicator of the plan's annex",
                "The eighteen indicators of the annex (別紙) in its order: group, name, unit, direction, year type, series, baseline, target, responsible agency, source, and the precision and range values are checked against.");
        group.MapGet("/{id}", Get).RequireAuthorization(Policies.AnyRole)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Describe("GetIndicator", "One indicator of the catalog");
        group.MapPatch("/{id}", Correct).RequireAuthorization(Policies.Admin)
            .Accepts<CorrectIndicatorRequest>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .Describe("CorrectIndicator", "Correct an indicator's name, agency or source (admin)",
                "Changes the display name, the responsible agency (which also decides whose tokens may submit its values) or the source note. A reason is required; every change is kept in the audit trail and printed in the report's appendix C.");
        group.MapGet("/{id}/changes", Changes).RequireAuthorization(Policies.AnyRole)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Describe("ListIndicatorChanges", "The audit trail of an indicator's catalog entry",
                "Every change of the target, name, agency or source: field, old and new value, who, when and why, oldest first.");
        group.MapPut("/{id}/target", SetTarget).RequireAuthorization(Policies.Admin)
            .Accepts<SetTargetRequest>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound)
            .Describe("SetTarget", "Set or change an indicator's target (admin)",
                "Replaces a ●● placeholder or an old target: reach (a value by a year), cumulative (a total over a period), keepRank (stay within a rank) or notSet. A target the progress method could not assess is refused, naming the field. Audited.");

        var agencies = app.MapGroup("/api/agencies").WithTags("Agencies");
        agencies.MapGet("/", ListAgencies).RequireAuthorization(Policies.AnyRole)
            .Describe("ListAgencies", "The agencies: code and Japanese name");
        agencies.MapPut("/{code}", SetAgency).RequireAuthorization(Policies.Admin)
            .Accepts<SetAgencyRequest>("application/json")
            .ProducesValidationProblem()
            .Describe("SetAgency", "Add or rename an agency (admin)",
                "The agency's Japanese name as the report prints it. Its staff submit with the app role agency.{code}, which must be added to the API's app registration.");
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<IndicatorResponse>>> List(IndicatorStore store, CancellationToken cancellationToken)
    {
        var agencies = await store.ListAgenciesAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<IndicatorResponse>>((await store.ListAsync(cancellationToken)).Select(i => IndicatorResponse.From(i, agencies)).ToList());
    }

    internal static async Task<Results<Ok<IndicatorResponse>, ProblemHttpResult>> Get(string id, IndicatorStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } indicator
            ? TypedResults.Ok(IndicatorResponse.From(indicator, await store.ListAgenciesAsync(cancellationToken)))
            : Problems.NotFound($"No indicator '{id}' in the catalog.");

    internal static async Task<Results<Ok<IReadOnlyList<CatalogChange>>, ProblemHttpResult>> Changes(string id, IndicatorStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } indicator
            ? TypedResults.Ok(await store.ChangesAsync(indicator.Id, cancellationToken))
            : Problems.NotFound($"No indicator '{id}' in the catalog.");

    internal static async Task<Results<Ok<IndicatorResponse>, ValidationProblem, ProblemHttpResult>> SetTarget(
        string id, HttpRequest request, ClaimsPrincipal user, IndicatorStore store, Repertoire repertoire, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var indicator = await store.FindAsync(id, cancellationToken);
        if (indicator is null)
        {
            return Problems.NotFound($"No indicator '{id}' in the catalog.");
        }
        var (body, problem) = await RequestJson.ReadAsync<SetTargetRequest>(request,
            """{"kind": "reach|cumulative|keepRank|notSet", "value": number, "year": N} or {"fromYear": N, "toYear": N}""", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var valueError = body!.Value is { } v ? ValueRules.CheckMagnitude(v) : null;
        var value = valueError is null ? body.Value : null;
        var (target, errors) = TargetRules.Validate(indicator, body.Kind, value, valueError, body.Year, body.FromYear, body.ToYear, body.Label, body.Reason, repertoire);
        if (target is null)
        {
            return Problems.Invalid(errors);
        }
        var updated = await store.SetTargetAsync(indicator.Id, target, user.Who(), body.Reason, cancellationToken);
        loggers.CreateLogger("Reporting.Indicators").LogInformation("Target of {Indicator} set to {Kind} {Value} by {Who}", indicator.Id, target.Kind, target.Value, user.Who());
        return TypedResults.Ok(IndicatorResponse.From(updated!, await store.ListAgenciesAsync(cancellationToken)));
    }

    /// <summary>
    /// An administrator corrects the catalog: the display name, the responsible agency (which also decides whose tokens
    /// may submit the indicator's values) or the source note. A reason is required; every change is audited and printed
    /// in the report's revision appendix.
    /// </summary>
    internal static async Task<Results<Ok<IndicatorResponse>, ValidationProblem, ProblemHttpResult>> Correct(
        string id, HttpRequest request, ClaimsPrincipal user, IndicatorStore store, Repertoire repertoire, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var indicator = await store.FindAsync(id, cancellationToken);
        if (indicator is null)
        {
            return Problems.NotFound($"No indicator '{id}' in the catalog.");
        }
        var (body, problem) = await RequestJson.ReadAsync<CorrectIndicatorRequest>(request,
            """{"name": "…", "agency": "DIGITAL", "source": "…", "reason": "why"}""", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var errors = new Dictionary<string, string[]>();
        if (body!.Name is null && body.Agency is null && body.Source is null)
        {
            errors["body"] = ["must change at least one of name, agency and source."];
        }
        if (body.Name is not null)
        {
            if (body.Name.Trim().Length == 0) errors["name"] = [$"must be one line of 1 to {MaxNameLength} characters."];
            else if (TextRules.Check(body.Name, repertoire, MaxNameLength, oneLine: true) is { } nameError) errors["name"] = [nameError];
        }
        if (body.Source is not null)
        {
            if (body.Source.Trim().Length == 0) errors["source"] = ["must not be empty."];
            else if (TextRules.Check(body.Source, repertoire) is { } sourceError) errors["source"] = [sourceError];
        }
        if (body.Agency is not null && await store.FindAgencyAsync(body.Agency, cancellationToken) is null)
        {
            var known = string.Join(", ", (await store.ListAgenciesAsync(cancellationToken)).Select(a => a.Code));
            errors["agency"] = [$"\"{Problems.Shorten(body.Agency)}\" is not a registered agency ({known}); an administrator adds one with PUT /api/agencies/{{code}}."];
        }
        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            errors["reason"] = ["is required: every correction of the catalog is kept with its reason."];
        }
        else if (TextRules.Check(body.Reason, repertoire) is { } reasonError)
        {
            errors["reason"] = [reasonError];
        }
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        var agency = body.Agency is null ? null : (await store.FindAgencyAsync(body.Agency, cancellationToken))!.Code;
        var updated = await store.CorrectAsync(indicator.Id, body.Name?.Trim(), agency, body.Source?.Trim(), user.Who(), body.Reason!, cancellationToken);
        loggers.CreateLogger("Reporting.Indicators").LogInformation("Catalog entry {Indicator} corrected by {Who}: {Reason}", indicator.Id, user.Who(), body.Reason);
        return TypedResults.Ok(IndicatorResponse.From(updated!, await store.ListAgenciesAsync(cancellationToken)));
    }

    internal static async Task<Ok<IReadOnlyList<Agency>>> ListAgencies(IndicatorStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAgenciesAsync(cancellationToken));

    internal static async Task<Results<Ok<Agency>, ValidationProblem>> SetAgency(
        string code, HttpRequest request, ClaimsPrincipal user, IndicatorStore store, Repertoire repertoire, CancellationToken cancellationToken)
    {
        if (!IndicatorStore.IsWellFormedAgencyCode(code))
        {
            return Problems.Invalid("code", "must be 1 to 16 upper-case letters or digits, as in the app role agency.{code} (e.g. DIGITAL).");
        }
        var (body, problem) = await RequestJson.ReadAsync<SetAgencyRequest>(request, """{"name": "デジタル庁"}""", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        if (string.IsNullOrWhiteSpace(body!.Name))
        {
            return Problems.Invalid("name", $"is required: the agency's name as the report prints it, one line of at most {MaxAgencyNameLength} characters.");
        }
        if (TextRules.Check(body.Name, repertoire, MaxAgencyNameLength, oneLine: true) is { } nameError)
        {
            return Problems.Invalid("name", nameError);
        }
        return TypedResults.Ok(await store.SetAgencyAsync(new Agency(code, body.Name.Trim()), user.Who(), cancellationToken));
    }

}
