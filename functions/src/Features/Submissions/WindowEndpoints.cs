using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>Body of <c>PUT /api/windows/{fiscalYear}</c>: the first and last day (Japan time) agencies may submit.</summary>
public sealed record SetWindowRequest(DateOnly OpensOn, DateOnly ClosesOn);

public static class WindowEndpoints
{
    public static RouteGroupBuilder MapWindows(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/windows").WithTags("Submission windows");
        group.MapGet("/", List).RequireAuthorization(Policies.AnyRole)
            .Describe("ListWindows", "The submission windows of every fiscal year");
        group.MapPut("/{fiscalYear}", Set).RequireAuthorization(Policies.Admin)
            .Accepts<SetWindowRequest>("application/json").ProducesValidationProblem()
            .Describe("SetWindow", "Set a fiscal year's submission window (admin)",
                "The first and last day (Japan time) on which agencies may submit values for the fiscal year. Outside it agencies get 409; administrators may still correct values with a reason.");
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
        var (opens, closes) = (body!.OpensOn, body.ClosesOn);
        if (closes < opens) return Problems.Invalid("closesOn", "must not be before opensOn.");
        return TypedResults.Ok(await controls.SetWindowAsync(year, opens, closes, user.Who(), cancellationToken));
    }
}
