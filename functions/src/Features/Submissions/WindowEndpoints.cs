using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>Body of <c>PUT /api/windows/{fiscalYear}</c>: the first and last day (Japan time) agencies may submit.</summary>
public sealed record SetWindowRequest(string? OpensOn, string? ClosesOn);

public static class WindowEndpoints
{
    public static RouteGroupBuilder MapWindows(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/windows").WithTags("Submission windows");
        group.MapGet("/", List).RequireAuthorization(Policies.AnyRole);
        group.MapPut("/{fiscalYear}", Set).RequireAuthorization(Policies.Admin)
            .Accepts<SetWindowRequest>("application/json").ProducesValidationProblem();
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<SubmissionWindow>>> List(SubmissionControls controls, CancellationToken cancellationToken) =>
        TypedResults.Ok(await controls.ListWindowsAsync(cancellationToken));

    internal static async Task<Results<Ok<SubmissionWindow>, ValidationProblem>> Set(
        string fiscalYear, HttpRequest request, ClaimsPrincipal user, SubmissionControls controls, CancellationToken cancellationToken)
    {
        if (!FiscalYearRoute.TryParse(fiscalYear, FiscalYearRoute.Latest, out var year))
        {
            return Problems.Invalid("fiscalYear", "must be a four-digit fiscal year such as 2026.");
        }
        var (body, problem) = await RequestJson.ReadAsync<SetWindowRequest>(request, """{"opensOn": "2026-04-01", "closesOn": "2026-06-30"}""", cancellationToken);
        if (problem is not null) return problem;
        var errors = new Dictionary<string, string[]>();
        if (!DateOnly.TryParseExact(body!.OpensOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var opens)) errors["opensOn"] = ["must be a date yyyy-MM-dd (Japan time)."];
        if (!DateOnly.TryParseExact(body.ClosesOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var closes)) errors["closesOn"] = ["must be a date yyyy-MM-dd (Japan time)."];
        else if (!errors.ContainsKey("opensOn") && closes < opens) errors["closesOn"] = ["must not be before opensOn."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        return TypedResults.Ok(await controls.SetWindowAsync(year, opens, closes, user.Who(), cancellationToken));
    }
}
