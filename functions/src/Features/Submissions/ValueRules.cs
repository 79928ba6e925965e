using System.Text.Json;
using Reporting.Features.Indicators;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>What the catalog allows a submitted number, year and note to be.</summary>
public static class ValueRules
{
    public const int MinYear = 2000;
    public const int MaxNoteLength = 1000;

    /// <summary>Far above any real figure (the largest is in 百万円), low enough that sums and growth rates stay exact.</summary>
    public const double MaxMagnitude = 1e12;

    public static string? CheckYear(string raw, YearType yearType, TimeProvider clock, out int year)
    {
        year = 0;
        if (raw.Length is 0 or > 4 || !raw.All(char.IsAsciiDigit) || !int.TryParse(raw, out year))
        {
            return "must be a four-digit year such as 2025.";
        }
        var latest = yearType == YearType.Fiscal ? JapanTime.CurrentFiscalYear(clock) : JapanTime.CurrentCalendarYear(clock);
        var kind = yearType == YearType.Fiscal ? "fiscal year (年度)" : "calendar year (年)";
        return year < MinYear || year > latest
            ? $"must be a {kind} from {MinYear} to {latest} (the current {kind} in Japan time)."
            : null;
    }

    public static string? CheckValue(JsonElement? element, ValueKind kind, out double value)
    {
        value = 0;
        if (element is null || element.Value.ValueKind == JsonValueKind.Null || element.Value.ValueKind == JsonValueKind.Undefined)
        {
            return "is required.";
        }
        if (element.Value.ValueKind != JsonValueKind.Number)
        {
            return $"must be a JSON number, not {element.Value.ValueKind.ToString().ToLowerInvariant()}.";
        }
        if (!element.Value.TryGetDouble(out value) || !double.IsFinite(value))
        {
            return "is not a finite number.";
        }
        return CheckNumber(value, kind);
    }

    public static string? CheckNumber(double value, ValueKind kind)
    {
        if (!double.IsFinite(value))
        {
            return "is not a finite number.";
        }
        if (Math.Abs(value) > MaxMagnitude)
        {
            return $"is too large (at most {MaxMagnitude:0} in absolute value).";
        }
        return kind switch
        {
            ValueKind.Percentage when value is < 0 or > 100 => "is a percentage and must be between 0 and 100.",
            ValueKind.Rank when value < 1 || value != Math.Floor(value) => "is a rank and must be a positive integer (1 = first).",
            ValueKind.Count when value < 0 || value != Math.Floor(value) => "is a count and must be a non-negative integer.",
            ValueKind.Amount when value < 0 => "is an amount and must not be negative.",
            _ => null,
        };
    }

    public static string? CheckNote(string? note)
    {
        if (note is null)
        {
            return null;
        }
        if (note.Length > MaxNoteLength)
        {
            return $"must be at most {MaxNoteLength} characters.";
        }
        return note.Any(c => char.IsControl(c) && c is not '\n' and not '\t') ? "must not contain control characters." : null;
    }

    /// <summary>Resolves the series: required when the indicator has several, optional (the only one) otherwise.</summary>
    public static string? ResolveSeries(Indicator indicator, string? requested, out string series)
    {
        series = requested ?? "";
        if (string.IsNullOrEmpty(requested))
        {
            if (indicator.Series.Count == 1)
            {
                series = indicator.Series[0].Id;
                return null;
            }
            return $"is required for this indicator: one of {string.Join(", ", indicator.Series.Select(s => s.Id))}.";
        }
        return null;
    }

    /// <summary>Parses "final"/"provisional" (also 確報値/速報値); absent means final.</summary>
    public static string? CheckStatus(string? raw, out ValueStatus status)
    {
        status = ValueStatus.Final;
        switch (raw?.Trim())
        {
            case null or "" or "final" or "確報値" or "確報":
                return null;
            case "provisional" or "速報値" or "速報":
                status = ValueStatus.Provisional;
                return null;
            default:
                return "must be \"final\" (確報値) or \"provisional\" (速報値).";
        }
    }

    /// <summary>
    /// Validates one submission against the catalog — the same rules for a PUT and for each row of an import.
    /// Returns the write, or the errors by field; an unknown series is reported separately (it is a 404 for a PUT).
    /// </summary>
    public static (ValueWrite? Write, Dictionary<string, string[]> Errors, bool UnknownSeries) Validate(
        Indicator indicator, string? series, string year, double? value, string? valueError, string? note, string? status, string? reason,
        TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (CheckYear(year, indicator.YearType, clock, out var y) is { } yearError) errors["year"] = [yearError];
        var numberError = valueError ?? (value is { } v ? CheckNumber(v, indicator.ValueKind) : "is required.");
        if (numberError is not null) errors["value"] = [numberError];
        if (CheckNote(note) is { } noteError) errors["note"] = [noteError];
        if (CheckNote(reason) is { } reasonError) errors["reason"] = [reasonError];
        if (CheckStatus(status, out var parsedStatus) is { } statusError) errors["status"] = [statusError];
        if (ResolveSeries(indicator, series, out var resolved) is { } seriesError) errors["series"] = [seriesError];
        var unknownSeries = !errors.ContainsKey("series") && !indicator.HasSeries(resolved);
        return errors.Count > 0 || unknownSeries
            ? (null, errors, unknownSeries)
            : (new ValueWrite(resolved, y, value!.Value, string.IsNullOrEmpty(note) ? null : note, parsedStatus, Reason: reason), errors, false);
    }
}
