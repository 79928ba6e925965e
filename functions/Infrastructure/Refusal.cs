namespace Reporting.Infrastructure;

/// <summary>Why a request is refused, in the domain's terms; the endpoints map each kind to an HTTP status in one place.</summary>
public enum RefusalKind
{
    /// <summary>The input breaks a rule; <see cref="Refusal.Errors"/> names the fields.</summary>
    Invalid,
    NotFound,
    /// <summary>The caller may not do this (another agency's indicator, an unregistered agency).</summary>
    Forbidden,
    /// <summary>The state does not allow it now (a closed window, a locked year, a concurrent change).</summary>
    Conflict,
    /// <summary>An If-Match / If-None-Match precondition of the caller's did not hold.</summary>
    PreconditionFailed,
    TooLarge,
    /// <summary>The body's media type is not one the operation reads.</summary>
    UnsupportedMediaType,
}

/// <summary>
/// A refusal: what kind, a short title, the detail a client can act on, and the fields or data it concerns.
/// <see cref="Field"/> names the input a refusal that is not about one field's format is still about (the year of a
/// locked year), so a row of an import can say which of its cells to look at.
/// </summary>
public sealed record Refusal(
    RefusalKind Kind,
    string Title,
    string Detail,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null,
    string? Field = null)
{
    /// <summary>The fields and messages of this refusal, one per field; a refusal without errors is about <see cref="Field"/>.</summary>
    public IEnumerable<(string Field, string Message)> Messages =>
        Errors is { Count: > 0 } errors ? errors.SelectMany(e => e.Value.Select(m => (e.Key, m))) : [(Field ?? "body", Detail)];

    public static Refusal Invalid(string field, string message) =>
        new(RefusalKind.Invalid, "The request is not valid", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(RefusalKind.Invalid, "The request is not valid", string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")), errors);

    public static Refusal NotFound(string detail) => new(RefusalKind.NotFound, "Not found", detail);

    public static Refusal Forbidden(string detail) => new(RefusalKind.Forbidden, "Forbidden", detail);

    public static Refusal Conflict(string detail, string title = "Conflict") => new(RefusalKind.Conflict, title, detail);

    public static Refusal PreconditionFailed(string detail) => new(RefusalKind.PreconditionFailed, "Precondition failed", detail);
}

/// <summary>
/// What a use case answers: its result, or the refusal that stopped it (never both). Expected outcomes travel as values;
/// exceptions are left for faults (storage unreachable), which the host maps to 503.
/// </summary>
public readonly record struct Result<T>
{
    private readonly T? value;

    public Result(T value) => this.value = value;

    public Result(Refusal refusal) => Refusal = refusal;

    public Refusal? Refusal { get; }

    public bool IsRefused => Refusal is not null;

    /// <summary>The result; only when not refused.</summary>
    public T Value => Refusal is null ? value! : throw new InvalidOperationException("A refused result has no value.");

    public static implicit operator Result<T>(T value) => new(value);

    public static implicit operator Result<T>(Refusal refusal) => new(refusal);
}

/// <summary>Carries a <see cref="Refusal"/> out of code that cannot return it; the exception handler maps it like a returned one.</summary>
public sealed class RefusedException(Refusal refusal) : Exception(refusal.Detail)
{
    public Refusal Refusal { get; } = refusal;
}
