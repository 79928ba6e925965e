using Reporting.Features.Indicators;
using Reporting.Infrastructure;

namespace Reporting.Features.Submissions;

/// <summary>What the catalog allows a submitted number, year and note to be.</summary>
public static class ValueRules
{
    public const int MinYear = 2000;
    public const int MaxNoteLength = TextRules.MaxNoteLength;

    /// <summary>Far above any figure of any indicator: what a number must stay under before the catalog's own limits apply.</summary>
    public const double MaxMagnitude = 1e12;

    /// <summary>
    /// The year a value is submitted under: four digits, from <see cref="MinYear"/> to the current year of the
    /// indicator's kind in Japan time — and, for a value of several years, the year that labels its period (the last
    /// year, for the catalog's three-year values), so the period it stands for has begun by <see cref="MinYear"/> and
    /// has reached the current year at most.
    /// </summary>
    public static Message? CheckYear(string raw, Indicator indicator, TimeProvider clock, out int year)
    {
        year = 0;
        // A year typed with full-width digits (２０２５) reads as the value beside it does.
        raw = Numerals.Halfwidth(raw).Trim();
        if (raw.Length is 0 or > 4 || !raw.All(char.IsAsciiDigit) || !int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out year))
        {
            return new("must be a four-digit year such as 2025.", "年は2025のように4桁の数字で入力してください。");
        }
        var fiscal = indicator.YearType == YearType.Fiscal;
        var latest = fiscal ? JapanTime.CurrentFiscalYear(clock) : JapanTime.CurrentCalendarYear(clock);
        var kind = fiscal ? "fiscal year (年度)" : "calendar year (年)";
        var kindJa = fiscal ? "年度" : "年";
        var reference = indicator.Period;
        if (reference.Years == 1)
        {
            return year < MinYear || year > latest
                ? new($"must be a {kind} from {MinYear} to {latest} (the current {kind} in Japan time).",
                    $"{MinYear}{kindJa}から{latest}{kindJa}（日本時間で現在の{kindJa}）までの{kindJa}を入力してください。")
                : null;
        }
        var period = reference.Of(year);
        var first = reference.LabelOf(new(MinYear, MinYear + reference.Years - 1));
        var last = reference.LabelOf(new(latest - reference.Years + 1, latest));
        var labelled = reference.LabelledBy == PeriodLabel.LastYear ? "last" : "first";
        var labelledJa = reference.LabelledBy == PeriodLabel.LastYear ? "最後" : "最初";
        return period.From < MinYear || period.To > latest
            ? new($"labels the period {period.From}–{period.To}: a value of this indicator covers {reference.Years} {(fiscal ? "fiscal years" : "years")} and is submitted under the {labelled} year of its period, from {first} to {last} (the current {kind} in Japan time).",
                $"{year}は{period.From}〜{period.To}{kindJa}の期間を表します。この指標の値は{reference.Years}{(fiscal ? "か年度" : "年間")}分で、期間の{labelledJa}の{kindJa}に入力します。{first}から{last}（日本時間で現在の{kindJa}）までの{kindJa}を入力してください。")
            : null;
    }

    /// <summary>A number read from a request: within what any figure could be, before the catalog's own limits apply.</summary>
    public static Message? CheckMagnitude(double value) =>
        !double.IsFinite(value) ? NotFinite
        : Math.Abs(value) > MaxMagnitude ? new($"is too large (at most {MaxMagnitude:0} in absolute value).", $"値が大きすぎます（絶対値で{MaxMagnitude:0}まで）。") : null;

    private static readonly Message NotFinite = new("is not a finite number.", "有限の数値を入力してください。");

    /// <summary>A field a submission must carry.</summary>
    public static readonly Message Required = new("is required.", "入力してください。");

    /// <summary>
    /// A value of <paramref name="indicator"/>: of its kind (a share 0–100, a rank a positive integer, a count a whole
    /// number, an amount non-negative), at most its <see cref="Indicator.Maximum"/>, and with no more decimal places than
    /// the indicator is published with (<see cref="Indicator.Decimals"/>). The last rule is what keeps 5e-324 兆円 out: no
    /// published figure is that small, and every growth rate and ratio computed from accepted values stays finite.
    /// </summary>
    public static Message? CheckNumber(double value, Indicator indicator)
    {
        if (!double.IsFinite(value))
        {
            return NotFinite;
        }
        var kindError = indicator.ValueKind switch
        {
            ValueKind.Percentage when value is < 0 or > 100 => new Message("is a percentage and must be between 0 and 100.", "割合（％）の指標です。0から100までの値を入力してください。"),
            ValueKind.Rank when value < 1 || value != Math.Floor(value) => new Message("is a rank and must be a positive integer (1 = first).", "順位の指標です。1以上の整数（1 = 1位）を入力してください。"),
            ValueKind.Count when value < 0 || value != Math.Floor(value) => new Message("is a count and must be a non-negative integer.", "数（件数・人数）の指標です。0以上の整数を入力してください。"),
            ValueKind.Amount when value < 0 => new Message("is an amount and must not be negative.", "金額の指標です。負の値は入力できません。"),
            _ => null,
        };
        if (kindError is not null) return kindError;
        if (value > indicator.Maximum)
        {
            return new($"is larger than any plausible figure of this indicator (at most {Format(indicator.Maximum, indicator.Decimals)}{indicator.Unit}).",
                $"この指標としてありえない大きさの値です（上限 {Format(indicator.Maximum, indicator.Decimals)}{indicator.Unit}）。単位を確認してください。");
        }
        return HasAtMostDecimals(value, indicator.Decimals)
            ? null
            : indicator.Decimals == 0
                ? new($"must be a whole number: this indicator is published in whole {indicator.Unit}.",
                    $"整数で入力してください。この指標は{indicator.Unit}単位の整数で公表します。")
                : new($"has more decimal places than this indicator is published with (at most {indicator.Decimals}, e.g. {Format(Math.Pow(10, -indicator.Decimals), indicator.Decimals)}{indicator.Unit}).",
                    $"小数点以下は{indicator.Decimals}桁までで入力してください（例: {Format(Math.Pow(10, -indicator.Decimals), indicator.Decimals)}{indicator.Unit}）。");
    }

    /// <summary>
    /// Whether <paramref name="value"/> is a multiple of 10^−decimals, allowing for binary rounding (0.1 + 0.2) but not
    /// for a non-zero value that rounds to zero.
    /// </summary>
    public static bool HasAtMostDecimals(double value, int decimals)
    {
        var scaled = value * Math.Pow(10, decimals);
        var nearest = Math.Round(scaled);
        if (value != 0 && nearest == 0) return false;
        return Math.Abs(scaled - nearest) <= Math.Max(1e-6, Math.Abs(scaled) * 1e-12);
    }

    private static string Format(double value, int decimals) =>
        value.ToString("#,0." + new string('0', decimals), System.Globalization.CultureInfo.InvariantCulture).TrimEnd('.');

    /// <summary>Resolves the series: required when the indicator has several, optional (the only one) otherwise.</summary>
    public static Message? ResolveSeries(Indicator indicator, string? requested, out string series)
    {
        series = requested ?? "";
        if (string.IsNullOrEmpty(requested))
        {
            if (indicator.Series.Count == 1)
            {
                series = indicator.Series[0].Id;
                return null;
            }
            return new($"is required for this indicator: one of {string.Join(", ", indicator.Series.Select(s => s.Id))}.",
                $"この指標は系列を選んで入力します（{string.Join("、", indicator.Series.Select(s => s.Name))}）。");
        }
        return null;
    }

    /// <summary>Parses "final"/"provisional" (also 確報値/速報値); absent means final.</summary>
    public static Message? CheckStatus(string? raw, out ValueStatus status)
    {
        status = ValueStatus.Final;
        // Any letter case: a client generated from the API description sends the enum member's name ("Provisional").
        switch (raw?.Trim().ToLowerInvariant())
        {
            case null or "" or "final" or "確報値" or "確報":
                return null;
            case "provisional" or "速報値" or "速報":
                status = ValueStatus.Provisional;
                return null;
            default:
                return new("must be \"final\" (確報値) or \"provisional\" (速報値).", "確報値か速報値かを選んでください。");
        }
    }

    /// <summary>
    /// Validates one submission against the catalog — the same rules for a PUT and for each row of an import: the write,
    /// or the refusal naming every field that breaks a rule (a series the indicator does not have is not found).
    /// </summary>
    public static Result<ValueWrite> Validate(
        Indicator indicator, string? series, string year, double? value, Message? valueError, string? note, string? status, string? reason,
        Repertoire repertoire, TimeProvider clock)
    {
        var errors = new Dictionary<string, Message[]>();
        if (CheckYear(year, indicator, clock, out var y) is { } yearError) errors["year"] = [yearError];
        var numberError = valueError ?? (value is { } v ? CheckNumber(v, indicator) : Required);
        if (numberError is not null) errors["value"] = [numberError];
        if (TextRules.Check(note, repertoire) is { } noteError) errors["note"] = [noteError];
        if (TextRules.Check(reason, repertoire) is { } reasonError) errors["reason"] = [reasonError];
        if (CheckStatus(status, out var parsedStatus) is { } statusError) errors["status"] = [statusError];
        if (ResolveSeries(indicator, series, out var resolved) is { } seriesError) errors["series"] = [seriesError];
        if (errors.Count > 0) return Refusal.Invalid(errors);
        if (!indicator.HasSeries(resolved))
        {
            return Refusal.NotFound(new($"Indicator '{indicator.Id}' has no series '{series}'; its series are {string.Join(", ", indicator.Series.Select(s => s.Id))}.",
                $"指標「{indicator.Name}」に系列「{series}」はありません（系列: {string.Join("、", indicator.Series.Select(s => s.Name))}）。")) with { Field = "series" };
        }
        // −0 is 0: stored, compared and printed as 0.
        return new ValueWrite(resolved, y, value!.Value + 0.0, string.IsNullOrEmpty(note) ? null : note, parsedStatus, Reason: reason);
    }
}
