using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Infrastructure;

namespace Reporting.Features.Progress;

public sealed record SeriesProgressRow(string SeriesId, ProgressStatus Status, ProgressComponents Components);

public sealed record ProgressRow(string IndicatorId, ProgressStatus Status, double? Score, IReadOnlyList<SeriesProgressRow> Series);

public static class ProgressEndpoints
{
    public static RouteGroupBuilder MapProgress(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/progress").WithTags("Progress").RequireAuthorization(Policies.Staff);
        group.MapGet("/{fiscalYear}", Get)
            .Describe("GetProgress", "The progress assessment of every indicator for a fiscal year",
                "One row per indicator: its status and score and, per series, the calculation's inputs and results (base year and value, latest value, growth, ratio), as the report prints them.");
        return group;
    }

    /// <summary>One row per indicator: its status and, per series, the calculation's inputs and results.</summary>
    internal static async Task<Results<Ok<IReadOnlyList<ProgressRow>>, ValidationProblem>> Get(
        string fiscalYear, ProgressService progress, TimeProvider clock, CancellationToken cancellationToken)
    {
        var latest = JapanTime.CurrentFiscalYear(clock);
        if (!FiscalYearRoute.TryParse(fiscalYear, latest, out var year))
        {
            return Problems.Invalid("fiscalYear", $"must be a fiscal year (年度) from 2000 to {latest}.");
        }
        var assessed = await progress.AssessAsync(year, includeHistory: false, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ProgressRow>>(assessed.Select(a => new ProgressRow(
            a.Definition.Id, a.Progress.Status, a.Progress.Score,
            a.Progress.Series.Select(s => new SeriesProgressRow(s.SeriesId, s.Status, s.Components)).ToList())).ToList());
    }
}
