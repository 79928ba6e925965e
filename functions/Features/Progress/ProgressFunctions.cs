using Microsoft.Azure.Functions.Worker;
using Reporting.Features.Completeness;
using Reporting.Infrastructure;

namespace Reporting.Features.Progress;

public sealed record SeriesProgressRow(string SeriesId, ProgressStatus Status, ProgressComponents Components);

public sealed record ProgressRow(string IndicatorId, ProgressStatus Status, double? Score, IReadOnlyList<SeriesProgressRow> Series);

/// <summary>GET /api/progress/{fiscalYear}: the assessment of every indicator.</summary>
public sealed class GetProgressFunction(ProgressService progress, TimeProvider clock)
{
    [Function("GetProgress")]
    [Requires(Policy.Staff)]
    [Operation("Progress", "The progress assessment of every indicator for a fiscal year",
        Description = "One row per indicator: its status and score and, per series, the calculation's inputs and results (base year and period, value, latest value and period, growth, ratio), as the report prints them.")]
    [Returns<IReadOnlyList<ProgressRow>>, Problems(400)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/progress/{fiscalYear}")] HttpRequest request, string fiscalYear)
    {
        var latest = JapanTime.CurrentFiscalYear(clock);
        if (!FiscalYearRoute.TryParse(fiscalYear, latest, out var year))
        {
            return Answers.Refused(Refusal.Invalid("fiscalYear", new($"must be a fiscal year (年度) from 2000 to {latest}.", $"2000年度から{latest}年度までの年度を指定してください。")));
        }
        var assessed = await progress.AssessAsync(year, includeHistory: false, request.HttpContext.RequestAborted);
        return TypedResults.Ok<IReadOnlyList<ProgressRow>>(assessed.Select(a => new ProgressRow(
            a.Definition.Id, a.Progress.Status, a.Progress.Score,
            a.Progress.Series.Select(s => new SeriesProgressRow(s.SeriesId, s.Status, s.Components)).ToList())).ToList());
    }
}

/// <summary>GET /api/completeness/{fiscalYear}: what has been submitted and what is missing.</summary>
public sealed class GetCompletenessFunction(ProgressService progress, TimeProvider clock)
{
    [Function("GetCompleteness")]
    [Requires(Policy.Staff)]
    [Operation("Completeness", "What has been submitted for a fiscal year's report, by indicator and agency",
        Description = "Submitted, missing, provisional, revised and flagged values over the report's five years, by indicator and series and by agency.")]
    [Returns<CompletenessReport>, Problems(400)]
    public async Task<IResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/completeness/{fiscalYear}")] HttpRequest request, string fiscalYear)
    {
        var latest = JapanTime.CurrentFiscalYear(clock);
        if (!FiscalYearRoute.TryParse(fiscalYear, latest, out var year))
        {
            return Answers.Refused(Refusal.Invalid("fiscalYear", new($"must be a fiscal year (年度) from 2000 to {latest}.", $"2000年度から{latest}年度までの年度を指定してください。")));
        }
        var assessed = await progress.AssessAsync(year, includeHistory: false, request.HttpContext.RequestAborted);
        return TypedResults.Ok(CompletenessCalculator.Compute(year,
            assessed.Select(a => (a.Definition, (IReadOnlyList<ValueFact>)a.Values.Select(CompletenessCalculator.Fact).ToList()))));
    }
}
