using Reporting.Features.Indicators;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>
/// Who may submit an indicator's values: the agency the catalog names as responsible, if it is a registered agency.
/// The catalog is data an administrator corrects, so a change of agency moves the right to submit with it.
/// </summary>
public static class Ownership
{
    /// <summary>Null when an agency token for <paramref name="agencyCode"/> may submit <paramref name="indicator"/>; otherwise why not.</summary>
    public static Refusal? Check(Indicator indicator, string agencyCode, Agency? registered) =>
        registered is null
            ? Refusal.Forbidden($"Agency '{agencyCode}' is not registered; an administrator registers agencies with PUT /api/agencies/{{code}}.")
            : !string.Equals(indicator.Agency, registered.Code, StringComparison.OrdinalIgnoreCase)
                ? Refusal.Forbidden($"Indicator '{indicator.Id}' is submitted by {indicator.Agency}; your token is for {registered.Code}.")
                : null;
}
