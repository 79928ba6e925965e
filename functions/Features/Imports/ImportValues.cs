using System.Text;
using Reporting.Features.Indicators;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Features.Imports;

/// <summary>How an import's body is written.</summary>
public enum ImportFormat
{
    /// <summary>A header row, then one row per value (as Excel saves a sheet as CSV).</summary>
    Csv,
    /// <summary>A JSON array of rows.</summary>
    Json,
}

/// <summary>What became of one row of an import: accepted (or would be, in a dry run), unchanged, or refused and why.</summary>
public sealed record ImportedRow(
    int Row, string? IndicatorId, string? Series, int? Year, RowOutcome Outcome, IReadOnlyList<(string Field, Message Message)> Errors,
    IndicatorValue? Value = null, WriteKind? Change = null)
{
    public bool Flagged => Value?.Flagged ?? false;
}

/// <summary>Every row's outcome, in the order of the file.</summary>
public sealed record ImportReport(bool DryRun, IReadOnlyList<ImportedRow> Rows)
{
    public int Accepted => Rows.Count(r => r.Outcome == RowOutcome.Accepted);
    public int Unchanged => Rows.Count(r => r.Outcome == RowOutcome.Unchanged);
    public int Rejected => Rows.Count(r => r.Outcome == RowOutcome.Rejected);
}

/// <summary>
/// Importing many values: the file read as CSV (UTF-8 with or without BOM, or Shift_JIS as Excel in Japanese saves it)
/// or as JSON rows, each row handed to <see cref="SubmitValues"/> as a PUT of it would be. With a dry run nothing is
/// written and the report says what would happen. The API and the web interface both import through here.
/// </summary>
public sealed class ImportValues(SubmitValues submit)
{
    public async Task<Result<ImportReport>> ImportAsync(Submitter submitter, Stream body, ImportFormat format, Encoding? encoding, bool dryRun,
        CancellationToken cancellationToken = default)
    {
        try
        {
            var rows = format == ImportFormat.Csv
                ? ImportParser.ReadCsvAsync(body, encoding ?? ImportParser.EncodingOf(null), cancellationToken)
                : ImportParser.ReadJsonAsync(body, cancellationToken);
            var results = await submit.SubmitAllAsync(submitter, Submissions(rows, cancellationToken), dryRun, cancellationToken);
            if (results.Count == 0) return Refusal.Invalid("body", new("has no data rows.", "データ行がありません。"));
            return new ImportReport(dryRun, results.Select(r => ToRow(r, dryRun)).ToList());
        }
        catch (RefusedException refused)
        {
            // The body could not be read as an import at all (encoding, header, JSON shape, too many rows).
            return refused.Refusal;
        }
    }

    /// <summary>Each row as a submission, the same as a PUT of it would be.</summary>
    private static async IAsyncEnumerable<ValueSubmission> Submissions(IAsyncEnumerable<ImportRow> rows,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            double number = 0;
            var numberError = row.ValueProblem ?? ImportParser.ParseNumber(row.Value, row.ValueIsNumber, out number);
            yield return new ValueSubmission(row.Indicator, row.Series, row.Year ?? "", numberError is null ? number : null, numberError, row.Note, row.Status,
                Row: row.Row);
        }
    }

    private static ImportedRow ToRow(SubmissionResult result, bool dryRun)
    {
        var s = result.Submission;
        var year = result.Write?.Year ?? (int.TryParse(s.Year, out var y) ? y : null);
        if (result.Outcome.IsRefused)
        {
            return new ImportedRow(s.Row, result.Indicator?.Id ?? s.IndicatorId, result.Write?.Series ?? s.Series, year, RowOutcome.Rejected,
                result.Outcome.Refusal!.Messages.ToList());
        }
        var outcome = result.Outcome.Value;
        return new ImportedRow(s.Row, result.Indicator!.Id, result.Write!.Series, year,
            outcome.Kind == WriteKind.Unchanged ? RowOutcome.Unchanged : RowOutcome.Accepted, [],
            dryRun ? outcome.Value with { ETag = null } : outcome.Value, outcome.Kind);
    }
}
