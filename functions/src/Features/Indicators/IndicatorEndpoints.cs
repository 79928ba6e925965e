using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>An indicator as the API shows it: the catalog entry plus its group's Japanese name.</summary>
public sealed record IndicatorResponse(
    string Id, int Order, IndicatorGroup Group, string GroupName, string Name, string Unit, ValueKind ValueKind,
    Direction Direction, YearType YearType, IReadOnlyList<Series> Series, IReadOnlyList<Baseline> Baseline, Target Target,
    string Agency, string Source)
{
    public static IndicatorResponse From(Indicator i) => new(
        i.Id, i.Order, i.Group, Indicator.GroupName(i.Group), i.Name, i.Unit, i.ValueKind, i.Direction, i.YearType,
        i.Series, i.Baseline, i.Target, i.Agency, i.Source);
}

/// <summary>Body of <c>PUT /api/indicators/{id}/target</c> (admin): the decision that replaces a ●● placeholder or an old target.</summary>
public sealed record SetTargetRequest(TargetKind? Kind, JsonElement? Value, int? Year, int? FromYear, int? ToYear, string? Label);

public static class IndicatorEndpoints
{
    public static RouteGroupBuilder MapIndicators(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/indicators").WithTags("Indicators");
        group.MapGet("/", List).RequireAuthorization(Policies.AnyRole);
        group.MapGet("/{id}", Get).RequireAuthorization(Policies.AnyRole);
        group.MapPut("/{id}/target", SetTarget).RequireAuthorization(Policies.Admin);
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<IndicatorResponse>>> List(IndicatorStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<IndicatorResponse>>((await store.ListAsync(cancellationToken)).Select(IndicatorResponse.From).ToList());

    internal static async Task<Results<Ok<IndicatorResponse>, ProblemHttpResult>> Get(string id, IndicatorStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(id, cancellationToken) is { } indicator
            ? TypedResults.Ok(IndicatorResponse.From(indicator))
            : Problems.NotFound($"No indicator '{id}' in the catalog.");

    internal static async Task<Results<Ok<IndicatorResponse>, ValidationProblem, ProblemHttpResult>> SetTarget(
        string id, HttpRequest request, ClaimsPrincipal user, IndicatorStore store, ILoggerFactory loggers, CancellationToken cancellationToken)
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
        if (body?.Kind is not { } kind)
        {
            return Problems.Invalid("kind", "is required: reach, cumulative, keepRank or notSet.");
        }

        var errors = new Dictionary<string, string[]>();
        double? value = null;
        if (kind != TargetKind.NotSet)
        {
            // A cumulative total is a sum, so it is an amount even where yearly values are counts of people.
            var valueKind = kind == TargetKind.KeepRank ? ValueKind.Rank : indicator.ValueKind;
            if (ValueRules.CheckValue(body.Value, valueKind, out var v) is { } error) errors["value"] = [error];
            else value = v;
        }
        if (kind is TargetKind.Reach or TargetKind.KeepRank && !InRange(body.Year)) errors["year"] = ["is required: the year (2000–2100) by which the target applies."];
        if (kind == TargetKind.Cumulative)
        {
            if (!InRange(body.FromYear)) errors["fromYear"] = ["is required: the first year (2000–2100) of the cumulative period."];
            if (!InRange(body.ToYear)) errors["toYear"] = ["is required: the last year (2000–2100) of the cumulative period."];
            else if (InRange(body.FromYear) && body.ToYear < body.FromYear) errors["toYear"] = ["must not be before fromYear."];
        }
        if (ValueRules.CheckNote(body.Label) is { } labelError) errors["label"] = [labelError];
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var fiscal = indicator.YearType == YearType.Fiscal;
        var target = kind switch
        {
            TargetKind.Reach => new Target(kind, value, body.Year, null, null, body.Label ?? $"{value:#,0.###}{indicator.Unit}（{JapanTime.PeriodLabel(body.Year!.Value, body.Year.Value, fiscal)}）"),
            TargetKind.KeepRank => new Target(kind, value, body.Year, null, null, body.Label ?? $"上位{value:0}位以内を維持（{JapanTime.PeriodLabel(body.Year!.Value, body.Year.Value, fiscal)}）"),
            TargetKind.Cumulative => new Target(kind, value, null, body.FromYear, body.ToYear, body.Label ?? $"累計{value:#,0.###}{indicator.Unit}（{JapanTime.PeriodLabel(body.FromYear!.Value, body.ToYear!.Value, fiscal)}合計）"),
            _ => new Target(TargetKind.NotSet, null, null, body.FromYear, body.ToYear, body.Label ?? "未設定"),
        };
        var updated = await store.SetTargetAsync(indicator.Id, target, user.Who(), cancellationToken);
        loggers.CreateLogger("Reporting.Indicators").LogInformation("Target of {Indicator} set to {Kind} {Value} by {Who}", indicator.Id, kind, value, user.Who());
        return TypedResults.Ok(IndicatorResponse.From(updated!));
    }

    private static bool InRange(int? year) => year is >= 2000 and <= 2100;
}
