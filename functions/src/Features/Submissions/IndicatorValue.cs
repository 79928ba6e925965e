namespace Reporting.Features.Submissions;

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
    IReadOnlyList<ValueRevision>? History = null);

/// <summary>One entry of a value's history: never rewritten, one per accepted submission.</summary>
public sealed record ValueRevision(
    int Revision,
    double Value,
    double? PreviousValue,
    string? Note,
    string SubmittedBy,
    string Agency,
    DateTimeOffset SubmittedAt);
