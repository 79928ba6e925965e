using Microsoft.Azure.Functions.Worker;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>GET /api/indicators: the catalog.</summary>
public sealed class ListIndicatorsFunction(IndicatorStore store)
{
    [Function("ListIndicators")]
    [Requires(Policy.AnyRole)]
    [Operation("Indicators", "The catalog: every indicator of the plan's annex",
        Description = "The eighteen indicators of the annex (別紙) in its order: group, name, unit, direction, year type, reference period, series, baseline, target, responsible agency, source, and the precision and range values are checked against.")]
    [Returns<IReadOnlyList<IndicatorResponse>>]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/indicators")] HttpRequest request)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var agencies = await store.ListAgenciesAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<IndicatorResponse>>((await store.ListAsync(cancellationToken)).Select(i => IndicatorResponse.From(i, agencies)).ToList());
    }
}

/// <summary>GET /api/indicators/{id}: one indicator.</summary>
public sealed class GetIndicatorFunction(IndicatorStore store)
{
    [Function("GetIndicator")]
    [Requires(Policy.AnyRole)]
    [Operation("Indicators", "One indicator of the catalog",
        Description = "Its reference period says how many years one value covers and which year it is submitted under; each baseline's year is the base year a value sent for it revises.")]
    [Returns<IndicatorResponse>, Problems(404)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/indicators/{id}")] HttpRequest request, string id)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        return await store.FindAsync(id, cancellationToken) is { } indicator
            ? TypedResults.Ok(IndicatorResponse.From(indicator, await store.ListAgenciesAsync(cancellationToken)))
            : Answers.Refused(Refusal.NoIndicator(id));
    }
}

/// <summary>PATCH /api/indicators/{id}: an administrator's correction of the catalog.</summary>
public sealed class CorrectIndicatorFunction(CorrectIndicator correct)
{
    [Function("CorrectIndicator")]
    [Requires(Policy.Admin)]
    [Operation("Indicators", "Correct an indicator's name, agency or source (admin)",
        Description = "Changes the display name, the responsible agency (which also decides whose tokens may submit its values) or the source note. A reason is required; every change is kept in the audit trail and printed in the report's appendix C.")]
    [Body<CorrectIndicatorRequest>, Returns<IndicatorResponse>, Problems(400, 404)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "api/indicators/{id}")] HttpRequest request, string id)
    {
        var body = await RequestJson.ReadAsync<CorrectIndicatorRequest>(request, """{"name": "…", "agency": "DIGITAL", "source": "…", "reason": "why"}""", request.HttpContext.RequestAborted);
        if (body.IsRefused) return Answers.Refused(body.Refusal!);
        return Answers.Ok(await correct.CorrectAsync(id, body.Value, request.HttpContext.User.Who(), request.HttpContext.RequestAborted));
    }
}

/// <summary>GET /api/indicators/{id}/changes: the audit trail of a catalog entry.</summary>
public sealed class ListIndicatorChangesFunction(IndicatorStore store)
{
    [Function("ListIndicatorChanges")]
    [Requires(Policy.AnyRole)]
    [Operation("Indicators", "The audit trail of an indicator's catalog entry",
        Description = "Every change of the target, name, agency or source: field, old and new value, who, when and why, oldest first.")]
    [Returns<IReadOnlyList<CatalogChange>>, Problems(404)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/indicators/{id}/changes")] HttpRequest request, string id)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        return await store.FindAsync(id, cancellationToken) is { } indicator
            ? TypedResults.Ok(await store.ChangesAsync(indicator.Id, cancellationToken))
            : Answers.Refused(Refusal.NoIndicator(id));
    }
}

/// <summary>PUT /api/indicators/{id}/target: an administrator sets or changes a target.</summary>
public sealed class SetTargetFunction(SetTarget setTarget)
{
    [Function("SetTarget")]
    [Requires(Policy.Admin)]
    [Operation("Indicators", "Set or change an indicator's target (admin)",
        Description = "Replaces a ●● placeholder or an old target: reach (a value by a year), cumulative (a total over a period), keepRank (stay within a rank) or notSet. A target the progress method could not assess is refused, naming the field. Audited.")]
    [Body<SetTargetRequest>, Returns<IndicatorResponse>, Problems(400, 404)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/indicators/{id}/target")] HttpRequest request, string id)
    {
        var body = await RequestJson.ReadAsync<SetTargetRequest>(request,
            """{"kind": "reach|cumulative|keepRank|notSet", "value": number, "year": N} or {"fromYear": N, "toYear": N}""", request.HttpContext.RequestAborted);
        if (body.IsRefused) return Answers.Refused(body.Refusal!);
        return Answers.Ok(await setTarget.SetAsync(id, body.Value, request.HttpContext.User.Who(), request.HttpContext.RequestAborted));
    }
}

/// <summary>GET /api/agencies: the agencies as data.</summary>
public sealed class ListAgenciesFunction(IndicatorStore store)
{
    [Function("ListAgencies")]
    [Requires(Policy.AnyRole)]
    [Operation("Agencies", "The agencies: code and Japanese name")]
    [Returns<IReadOnlyList<Agency>>]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/agencies")] HttpRequest request) =>
        TypedResults.Ok(await store.ListAgenciesAsync(request.HttpContext.RequestAborted));
}

/// <summary>PUT /api/agencies/{code}: an administrator adds or renames an agency.</summary>
public sealed class SetAgencyFunction(SetAgency setAgency)
{
    [Function("SetAgency")]
    [Requires(Policy.Admin)]
    [Operation("Agencies", "Add or rename an agency (admin)",
        Description = "The agency's Japanese name as the report prints it. Its staff submit with the app role agency.{code}, which must be added to the API's app registration.")]
    [Body<SetAgencyRequest>, Returns<Agency>, Problems(400)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/agencies/{code}")] HttpRequest request, string code)
    {
        if (!IndicatorStore.IsWellFormedAgencyCode(code))
        {
            return Answers.Refused(Refusal.Invalid("code", IndicatorStore.AgencyCodeRule));
        }
        var body = await RequestJson.ReadAsync<SetAgencyRequest>(request, """{"name": "デジタル庁"}""", request.HttpContext.RequestAborted);
        if (body.IsRefused) return Answers.Refused(body.Refusal!);
        return Answers.Ok(await setAgency.SetAsync(code, body.Value, request.HttpContext.User.Who(), request.HttpContext.RequestAborted));
    }
}
