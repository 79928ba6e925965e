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
            ? Refusal.Forbidden(new($"Agency '{agencyCode}' is not registered; an administrator registers agencies with PUT /api/agencies/{{code}}.",
                $"府省「{agencyCode}」は登録されていません。管理者に登録を依頼してください。"))
            : !string.Equals(indicator.Agency, registered.Code, StringComparison.OrdinalIgnoreCase)
                ? Refusal.Forbidden(new($"Indicator '{indicator.Id}' is submitted by {indicator.Agency}; your token is for {registered.Code}.",
                    $"指標「{indicator.Name}」の入力は{indicator.Agency}の担当です（あなたは{registered.Name}）。"))
                : null;
}
