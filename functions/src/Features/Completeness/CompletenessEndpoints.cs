using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Features.Progress;
using Reporting.Infrastructure;

namespace Reporting.Features.Completeness;

public static class CompletenessEndpoints
{
    public static RouteGroupBuilder MapCompleteness(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/completeness").WithTags("Completeness").RequireAuthorization(Policies.Staff);
        group.MapGet("/{fiscalYear}", Get).ProducesValidationProblem()
            .Describe("GetCompleteness", "What has been submitted for a fiscal year's report, by indicator and agency",
                "Submitted, missing, provisional, revised and flagged values over the report's five years, by indicator and series and by agency.");
        return group;
    }

    internal static async Task<Results<Ok<CompletenessReport>, ValidationProblem>> Get(
        string fiscalYear, ProgressService progress, TimeProvider clock, CancellationToken cancellationToken)
    {
        var latest = JapanTime.CurrentFiscalYear(clock);
        if (!FiscalYearRoute.TryParse(fiscalYear, latest, out var year))
        {
            return Problems.Invalid("fiscalYear", $"must be a fiscal year (年度) from 2000 to {latest}.");
        }
        var assessed = await progress.AssessAsync(year, includeHistory: false, cancellationToken);
        return TypedResults.Ok(CompletenessCalculator.Compute(year,
            assessed.Select(a => (a.Definition, (IReadOnlyList<ValueFact>)a.Values.Select(CompletenessCalculator.Fact).ToList()))));
    }
}
