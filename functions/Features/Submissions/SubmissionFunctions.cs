using Microsoft.Azure.Functions.Worker;
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

/// <summary>GET /api/indicators/{id}/values[?history=true]: an indicator's current values.</summary>
public sealed class ListValuesFunction(IndicatorStore catalog, ValueStore values)
{
    [Function("ListValues")]
    [Requires(Policy.AnyRole)]
    [Operation("Indicators", "An indicator's current values, optionally with every revision",
        Description = "One entry per series and year: the latest revision, the period it covers, its status (final/provisional), note, who submitted it and when, its ETag, and whether it is flagged as a possible outlier. With history=true, every revision (old value, who, when, why).")]
    [Returns<ValuesResponse>, Problems(400, 404)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/indicators/{id}/values")] HttpRequest request, string id, string? history = null)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!QueryFlag.TryRead(history, out var withHistory)) return Answers.Refused(QueryFlag.Invalid("history", history));
        if (await catalog.FindAsync(id, cancellationToken) is not { } indicator) return Answers.Refused(Refusal.NoIndicator(id));
        var list = await values.ListAsync(indicator.Id, withHistory, cancellationToken);
        return TypedResults.Ok(new ValuesResponse(indicator.Id, indicator.Unit, indicator.YearType, list.Select(v => v.Dated(indicator)).ToList(), indicator.Period));
    }
}

/// <summary>GET /api/indicators/{id}/values/{year}[?series=…]: one value with its ETag.</summary>
public sealed class GetValueFunction(IndicatorStore catalog, ValueStore values, TimeProvider clock)
{
    [Function("GetValue")]
    [Requires(Policy.AnyRole)]
    [Operation("Indicators", "One value of an indicator, with its ETag")]
    [Returns<IndicatorValue>, Problems(400, 404)]
    [SendsHeader(StatusCodes.Status200OK, "ETag", "The value's version, for If-Match on a following PUT.")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/indicators/{id}/values/{year}")] HttpRequest request,
        string id, string year, string? series = null, string? history = null)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        if (!QueryFlag.TryRead(history, out var withHistory)) return Answers.Refused(QueryFlag.Invalid("history", history));
        if (await catalog.FindAsync(id, cancellationToken) is not { } indicator) return Answers.Refused(Refusal.NoIndicator(id));
        var errors = new Dictionary<string, Message[]>();
        if (ValueRules.CheckYear(year, indicator, clock, out var y) is { } yearError) errors["year"] = [yearError];
        if (ValueRules.ResolveSeries(indicator, series, out var s) is { } seriesError) errors["series"] = [seriesError];
        if (errors.Count > 0) return Answers.Refused(Refusal.Invalid(errors));
        if (!indicator.HasSeries(s)) return Answers.Refused(Refusal.NotFound(new($"Indicator '{indicator.Id}' has no series '{s}'.", $"指標「{indicator.Name}」に系列「{s}」はありません。")));
        var value = await values.GetAsync(indicator.Id, s, y, withHistory, cancellationToken);
        if (value is null) return Answers.Refused(Refusal.NotFound(new($"No value of '{indicator.Id}' ({s}) for {y}.", $"指標「{indicator.Name}」（{s}）の{y}の値はまだありません。")));
        request.HttpContext.Response.Headers.ETag = value.ETag;
        return TypedResults.Ok(value.Dated(indicator));
    }
}

/// <summary>PUT /api/indicators/{id}/values/{year}: submit or revise one value.</summary>
public sealed class SubmitValueFunction(SubmitValues submit)
{
    public const string BodyShape = """{"series": "…", "value": number, "status": "final|provisional", "note": "…"}""";

    [Function("SubmitValue")]
    [Requires(Policy.Submitter)]
    [Operation("Indicators", "Submit or revise one value (the agency owning the indicator; admin with a reason)",
        Description = "201 with the value when it is new, 200 when it revises the value or repeats it unchanged. Every accepted change is kept as a revision. A value of several years is submitted under the year its period ends (the indicator's referencePeriod). 409 when the submission window is closed or the year is locked by a published report; 412 when If-Match or If-None-Match does not hold.")]
    [Body<SubmitValueRequest>, Returns<IndicatorValue>(StatusCodes.Status201Created), Returns<IndicatorValue>, Problems(400, 404, 409, 412)]
    [ReadsHeader("If-Match", "Write only if the value is still this version (its ETag): 412 otherwise, so a change made meanwhile is never overwritten.")]
    [ReadsHeader("If-None-Match", "\"*\": write only if there is no value yet (412 otherwise).")]
    [SendsHeader(StatusCodes.Status201Created, "ETag", "The new value's version.")]
    [SendsHeader(StatusCodes.Status201Created, "Location", "Where the value is read.")]
    [SendsHeader(StatusCodes.Status200OK, "ETag", "The value's version after the change.")]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/indicators/{id}/values/{year}")] HttpRequest request, string id, string year)
    {
        var cancellationToken = request.HttpContext.RequestAborted;
        var submitter = Submitter.From(request.HttpContext.User);
        // Whose indicator it is comes before what the body says.
        if (await submit.CheckAccessAsync(submitter, id, cancellationToken) is { } denied)
        {
            Hosting.Telemetry.RecordSubmission(submitter.Agency, "refused");
            return Answers.Refused(denied);
        }
        var body = await RequestJson.ReadAsync<SubmitValueRequest>(request, BodyShape, cancellationToken);
        if (body.IsRefused)
        {
            Hosting.Telemetry.RecordSubmission(submitter.Agency, "refused");
            return Answers.Refused(body.Refusal!);
        }
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && ifNoneMatch != "*")
        {
            return Answers.Refused(Refusal.Invalid("If-None-Match", new("only \"*\" is supported (create only).", "If-None-Match には \"*\"（新規作成のみ）だけを指定できます。")));
        }
        var ifMatch = request.Headers.IfMatch.ToString();
        var value = body.Value;
        var valueError = ValueRules.CheckMagnitude(value.Value);
        var submission = new ValueSubmission(id, value.Series, year, valueError is null ? value.Value : null, valueError, value.Note, Json.WireName(value.Status), value.Reason,
            ifMatch.Length > 0 ? ifMatch : null, ifNoneMatch == "*");

        var outcome = await submit.SubmitAsync(submitter, submission, cancellationToken);
        if (outcome.IsRefused) return Answers.Refused(outcome.Refusal!);
        var written = outcome.Value;
        if (written.Value.ETag is { } etag) request.HttpContext.Response.Headers.ETag = etag;
        var location = $"/api/indicators/{written.Value.IndicatorId}/values/{written.Value.Year}?series={written.Value.Series}";
        return written.Kind == WriteKind.Created ? TypedResults.Created(location, written.Value) : TypedResults.Ok(written.Value);
    }
}

/// <summary>Body of <c>PUT /api/windows/{fiscalYear}</c>: the first and last day (Japan time) agencies may submit.</summary>
public sealed record SetWindowRequest(DateOnly OpensOn, DateOnly ClosesOn);

/// <summary>GET /api/windows: the submission windows.</summary>
public sealed class ListWindowsFunction(SubmissionControls controls)
{
    [Function("ListWindows")]
    [Requires(Policy.AnyRole)]
    [Operation("Submission windows", "The submission windows of every fiscal year")]
    [Returns<IReadOnlyList<SubmissionWindow>>]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/windows")] HttpRequest request) =>
        TypedResults.Ok(await controls.ListWindowsAsync(request.HttpContext.RequestAborted));
}

/// <summary>PUT /api/windows/{fiscalYear}: an administrator opens a fiscal year's submissions.</summary>
public sealed class SetWindowFunction(SetWindow setWindow)
{
    [Function("SetWindow")]
    [Requires(Policy.Admin)]
    [Operation("Submission windows", "Set a fiscal year's submission window (admin)",
        Description = "The first and last day (Japan time) on which agencies may submit values for the fiscal year. Outside it agencies get 409; administrators may still correct values with a reason.")]
    [Body<SetWindowRequest>, Returns<SubmissionWindow>, Problems(400)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/windows/{fiscalYear}")] HttpRequest request, string fiscalYear)
    {
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out _))
        {
            return Answers.Refused(Refusal.Invalid("fiscalYear", SetWindow.FiscalYearRule));
        }
        var body = await RequestJson.ReadAsync<SetWindowRequest>(request, """{"opensOn": "2026-04-01", "closesOn": "2026-06-30"}""", request.HttpContext.RequestAborted);
        if (body.IsRefused) return Answers.Refused(body.Refusal!);
        return Answers.Ok(await setWindow.SetAsync(fiscalYear, body.Value.OpensOn, body.Value.ClosesOn, request.HttpContext.User.Who(), request.HttpContext.RequestAborted));
    }
}
