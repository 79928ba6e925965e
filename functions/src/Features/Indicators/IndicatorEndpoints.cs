using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>An indicator as the API shows it: the catalog entry plus its group's and agency's Japanese names.</summary>
public sealed record IndicatorResponse(
    string Id, int Order, IndicatorGroup Group, string GroupName, string Name, string Unit, ValueKind ValueKind,
    Direction Direction, YearType YearType, IReadOnlyList<Series> Series, IReadOnlyList<Baseline> Baseline, Target Target,
    string Agency, string AgencyName, string Source, int Decimals, double Minimum, double Maximum)
{
    public static IndicatorResponse From(Indicator i, IReadOnlyList<Agency> agencies) => new(
        i.Id, i.Order, i.Group, Indicator.GroupName(i.Group), i.Name, i.Unit, i.ValueKind, i.Direction, i.YearType,
        i.Series, i.Baseline, i.Target, i.Agency, agencies.FirstOrDefault(a => a.Code == i.Agency)?.Name ?? i.Agency, i.Source,
        i.Decimals, i.Minimum, i.Maximum);
}

/// <summary>Body of <c>PUT /api/indicators/{id}/target</c> (admin): the decision that replaces a ●● placeholder or an old target.</summary>
public sealed record SetTargetRequest(TargetKind? Kind, JsonElement? Value, int? Year, int? FromYear, int? ToYear, string? Label, string? Reason = null);

/// <summary>Body of <c>PATCH /api/indicators/{id}</c> (admin): corrections of the catalog, each kept in the audit trail with the reason.</summary>
public sealed record CorrectIndicatorRequest(string? Name, string? Agency, string? Source, string? Reason);

/// <summary>Body of <c>PUT /api/agencies/{code}</c> (admin): the agency's Japanese name as the report prints it.</summary>
public sealed record SetAgencyRequest(string? Name);

public static class IndicatorEndpoints
{
    public const int MaxNameLength = 200;
    public const int MaxAgencyNameLength = 100;

    public static RouteGroupBuilder MapIndicators(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/indicators").WithTags("Indicators");
        group.MapGet("/", List).RequireAuthorization(Policies.AnyRole);
        group.MapGet("/{id}", Get).RequireAuthorization(Policies.AnyRole);
        group.MapPatch("/{id}", Correct).RequireAuthorization(Policies.Admin);
        group.MapGet("/{id}/changes", Changes).RequireAuthorization(Policies.AnyRole);
        group.MapPut("/{id}/target", SetTarget).RequireAuthorization(Policies.Admin);

        var agencies = app.MapGroup("/api/agencies").WithTags("Agencies");
        agencies.MapGet("/", ListAgencies).RequireAuthorization(Policies.AnyRole);
        agencies.MapPut("/{code}", SetAgency).RequireAuthorization(Policies.Admin);
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
        double? value = null;
        string? valueError = null;
        if (body!.Value is { ValueKind: not JsonValueKind.Null })
        {
            valueError = ValueRules.CheckJsonNumber(body.Value, out var v);
            if (valueError is null) value = v;
        }
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
            errors["agency"] = [$"\"{Shorten(body.Agency)}\" is not a registered agency ({known}); an administrator adds one with PUT /api/agencies/{{code}}."];
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

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
