using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>
/// Body of <c>PUT /api/indicators/{id}/target</c> (admin): the decision that replaces a ●● placeholder or an old target.
/// reach and keepRank take a value and a year; cumulative a value and a period (fromYear–toYear); notSet may name the period.
/// </summary>
public sealed record SetTargetRequest(TargetKind Kind, double? Value = null, int? Year = null, int? FromYear = null, int? ToYear = null,
    string? Label = null, string? Reason = null);

/// <summary>
/// An administrator sets or changes an indicator's target: a target the progress method could not assess is refused,
/// naming the field (<see cref="TargetRules"/>); the change is audited.
/// </summary>
public sealed class SetTarget(IndicatorStore store, Repertoire repertoire, ILogger<SetTarget> logger)
{
    public async Task<Result<IndicatorResponse>> SetAsync(string id, SetTargetRequest body, string who, CancellationToken cancellationToken = default)
    {
        var indicator = await store.FindAsync(id, cancellationToken);
        if (indicator is null) return Refusal.NoIndicator(id);
        var valueError = body.Value is { } v ? ValueRules.CheckMagnitude(v) : null;
        var value = valueError is null ? body.Value : null;
        var (target, errors) = TargetRules.Validate(indicator, body.Kind, value, valueError, body.Year, body.FromYear, body.ToYear, body.Label, body.Reason, repertoire);
        if (target is null) return Refusal.Invalid(errors);
        var written = await store.SetTargetAsync(indicator.Id, target, who, body.Reason, cancellationToken);
        if (written.ChangedMeanwhile)
        {
            return Refusal.ChangedMeanwhile(id);
        }
        if (written.Indicator is not { } updated) return Refusal.NoIndicator(id);
        logger.LogInformation("Target of {Indicator} set to {Kind} {Value} by {Who}", indicator.Id, target.Kind, target.Value, who);
        return IndicatorResponse.From(updated, await store.ListAgenciesAsync(cancellationToken));
    }
}
