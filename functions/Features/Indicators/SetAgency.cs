using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>Body of <c>PUT /api/agencies/{code}</c> (admin): the agency's Japanese name as the report prints it.</summary>
public sealed record SetAgencyRequest(string Name);

/// <summary>An administrator adds an agency or renames one (a new ministry taking over a policy), as data.</summary>
public sealed class SetAgency(IndicatorStore store, Repertoire repertoire)
{
    public const int MaxNameLength = 100;

    public async Task<Result<Agency>> SetAsync(string code, SetAgencyRequest body, string who, CancellationToken cancellationToken = default)
    {
        if (!IndicatorStore.IsWellFormedAgencyCode(code))
        {
            return Refusal.Invalid("code", IndicatorStore.AgencyCodeRule);
        }
        if (string.IsNullOrWhiteSpace(body.Name))
        {
            return Refusal.Invalid("name", new($"is required: the agency's name as the report prints it, one line of at most {MaxNameLength} characters.",
                $"府省名（報告書に印刷する名称）を1行、{MaxNameLength}文字以内で入力してください。"));
        }
        if (TextRules.Check(body.Name, repertoire, MaxNameLength, oneLine: true) is { } nameError)
        {
            return Refusal.Invalid("name", nameError);
        }
        return await store.SetAgencyAsync(new Agency(code, body.Name.Trim()), who, cancellationToken);
    }
}
