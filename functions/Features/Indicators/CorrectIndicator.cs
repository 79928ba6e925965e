using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Indicators;

/// <summary>Body of <c>PATCH /api/indicators/{id}</c> (admin): corrections of the catalog, each kept in the audit trail with the reason.</summary>
public sealed record CorrectIndicatorRequest(string Reason, string? Name = null, string? Agency = null, string? Source = null);

/// <summary>
/// An administrator corrects the catalog: the display name, the responsible agency (which also decides whose tokens
/// may submit the indicator's values) or the source note. A reason is required; every change is audited and printed
/// in the report's revision appendix.
/// </summary>
public sealed class CorrectIndicator(IndicatorStore store, Repertoire repertoire, ILogger<CorrectIndicator> logger)
{
    public const int MaxNameLength = 200;

    public async Task<Result<IndicatorResponse>> CorrectAsync(string id, CorrectIndicatorRequest body, string who, CancellationToken cancellationToken = default)
    {
        var indicator = await store.FindAsync(id, cancellationToken);
        if (indicator is null) return Refusal.NoIndicator(id);
        var errors = new Dictionary<string, Message[]>();
        if (body.Name is null && body.Agency is null && body.Source is null)
        {
            errors["body"] = [new("must change at least one of name, agency and source.", "名称・担当府省・出典のいずれかを変更してください。")];
        }
        if (body.Name is not null)
        {
            if (body.Name.Trim().Length == 0) errors["name"] = [new($"must be one line of 1 to {MaxNameLength} characters.", $"名称は1行、1〜{MaxNameLength}文字で入力してください。")];
            else if (TextRules.Check(body.Name, repertoire, MaxNameLength, oneLine: true) is { } nameError) errors["name"] = [nameError];
        }
        if (body.Source is not null)
        {
            if (body.Source.Trim().Length == 0) errors["source"] = [new("must not be empty.", "出典を入力してください。")];
            else if (TextRules.Check(body.Source, repertoire) is { } sourceError) errors["source"] = [sourceError];
        }
        var agency = body.Agency is null ? null : await store.FindAgencyAsync(body.Agency, cancellationToken);
        if (body.Agency is not null && agency is null)
        {
            var known = string.Join(", ", (await store.ListAgenciesAsync(cancellationToken)).Select(a => a.Code));
            errors["agency"] = [new($"\"{Problems.Shorten(body.Agency)}\" is not a registered agency ({known}); an administrator adds one with PUT /api/agencies/{{code}}.",
                $"「{Problems.Shorten(body.Agency)}」は登録された府省ではありません（{known}）。")];
        }
        if (string.IsNullOrWhiteSpace(body.Reason))
        {
            errors["reason"] = [new("is required: every correction of the catalog is kept with its reason.", "理由を入力してください。指標一覧の訂正はすべて理由とともに記録されます。")];
        }
        else if (TextRules.Check(body.Reason, repertoire) is { } reasonError)
        {
            errors["reason"] = [reasonError];
        }
        if (errors.Count > 0) return Refusal.Invalid(errors);

        var written = await store.CorrectAsync(indicator.Id, body.Name?.Trim(), agency?.Code, body.Source?.Trim(), who, body.Reason!, cancellationToken);
        if (written.ChangedMeanwhile)
        {
            return Refusal.ChangedMeanwhile(id);
        }
        if (written.Indicator is not { } updated) return Refusal.NoIndicator(id);
        logger.LogInformation("Catalog entry {Indicator} corrected by {Who}: {Reason}", indicator.Id, who, body.Reason);
        return IndicatorResponse.From(updated, await store.ListAgenciesAsync(cancellationToken));
    }
}
