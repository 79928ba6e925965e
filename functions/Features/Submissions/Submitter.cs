using System.Security.Claims;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>
/// Who submits: an agency (its code from the token's app role) or an administrator. An agency submits its own
/// indicators while the year is open; an administrator may correct any value at any time, giving a reason.
/// </summary>
public sealed record Submitter(string Who, string? AgencyCode)
{
    public bool IsAdmin => AgencyCode is null;

    /// <summary>How the value's history names the submitting body.</summary>
    public string Agency => AgencyCode ?? "ADMIN";

    public static Submitter From(ClaimsPrincipal user) => new(user.Who(), user.IsAgency() ? user.AgencyCode() : null);
}
