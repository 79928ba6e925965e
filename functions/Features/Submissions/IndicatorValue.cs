namespace Reporting.Features.Submissions;

/// <summary>速報値 (provisional) or 確報値 (final).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<ValueStatus>))]
public enum ValueStatus { Final, Provisional }

/// <summary>The current value of one series of an indicator for one year.</summary>
public sealed record IndicatorValue(
    string IndicatorId,
    string Series,
    int Year,
    double Value,
    string? Note,
    int Revision,
    string SubmittedBy,
    string Agency,
    DateTimeOffset SubmittedAt,
    IReadOnlyList<ValueRevision>? History = null,
    ValueStatus Status = ValueStatus.Final,
    bool Flagged = false,
    string? FlagReason = null,
    string? ETag = null,
    Indicators.YearPeriod? Period = null)
{
    /// <summary>The value with the period it covers (the years its <see cref="Year"/> labels), as the API shows every value.</summary>
    public IndicatorValue Dated(Indicators.Indicator indicator) => this with { Period = indicator.PeriodOf(Year) };
}

/// <summary>One entry of a value's history: never rewritten, one per accepted change.</summary>
public sealed record ValueRevision(
    int Revision,
    double Value,
    double? PreviousValue,
    string? Note,
    string SubmittedBy,
    string Agency,
    DateTimeOffset SubmittedAt,
    ValueStatus Status = ValueStatus.Final,
    string? Reason = null);

/// <summary>One change asked of the store. <see cref="IfMatch"/> and <see cref="CreateOnly"/> are the HTTP preconditions.</summary>
public sealed record ValueWrite(string Series, int Year, double Value, string? Note, ValueStatus Status,
    string? IfMatch = null, bool CreateOnly = false, string? Reason = null);

[System.Text.Json.Serialization.JsonConverter(typeof(Infrastructure.CamelCaseEnum<WriteKind>))]
public enum WriteKind { Created, Revised, Unchanged }

public sealed record WriteOutcome(IndicatorValue Value, WriteKind Kind);
