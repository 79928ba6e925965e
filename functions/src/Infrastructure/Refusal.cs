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
}

/// <summary>A refusal: what kind, a short title, the detail a client can act on, and the fields or data it concerns.</summary>
public sealed record Refusal(
    RefusalKind Kind,
    string Title,
    string Detail,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null)
{
    public static Refusal Invalid(string field, string message) =>
        new(RefusalKind.Invalid, "The request is not valid", $"{field}: {message}", new Dictionary<string, string[]> { [field] = [message] });

    public static Refusal Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        new(RefusalKind.Invalid, "The request is not valid", string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")), errors);

    public static Refusal NotFound(string detail) => new(RefusalKind.NotFound, "Not found", detail);

    public static Refusal Forbidden(string detail) => new(RefusalKind.Forbidden, "Forbidden", detail);

    public static Refusal Conflict(string detail, string title = "Conflict") => new(RefusalKind.Conflict, title, detail);
}

/// <summary>Carries a <see cref="Refusal"/> out of code that cannot return it; the exception handler maps it like a returned one.</summary>
public sealed class RefusedException(Refusal refusal) : Exception(refusal.Detail)
{
    public Refusal Refusal { get; } = refusal;
}
