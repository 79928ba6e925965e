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

/// <summary>The languages the system answers in: English for programs by default, Japanese for the web interface and for
/// API callers that ask for it (<c>Accept-Language: ja</c>).</summary>
public enum Language
{
    English,
    Japanese,
}

/// <summary>
/// A message in both languages. The English is written to follow the field it is about ("value: is a percentage…"), as
/// API clients have always read it; the Japanese is a sentence a clerk reads beside the field.
/// </summary>
public sealed record Message(string English, string Japanese)
{
    public string In(Language language) => language == Language.Japanese ? Japanese : English;

    public override string ToString() => English;
}

/// <summary>
/// A refusal: what kind, a short title, the detail a client can act on, and the fields or data it concerns.
/// <see cref="Field"/> names the input a refusal that is not about one field's format is still about (the year of a
/// locked year), so a row of an import can say which of its cells to look at.
/// </summary>
public sealed record Refusal(
    RefusalKind Kind,
    Message Title,
    Message Detail,
    IReadOnlyDictionary<string, Message[]>? Errors = null,
    IReadOnlyDictionary<string, object?>? Extensions = null,
    string? Field = null)
{
    private static readonly Message InvalidTitle = new("The request is not valid", "入力内容に誤りがあります");

    /// <summary>The fields and messages of this refusal, one per field; a refusal without errors is about <see cref="Field"/>.</summary>
    public IEnumerable<(string Field, Message Message)> Messages =>
        Errors is { Count: > 0 } errors ? errors.SelectMany(e => e.Value.Select(m => (e.Key, m))) : [(Field ?? "body", Detail)];

    /// <summary>The fields' messages in one language, as a problem's <c>errors</c> member carries them.</summary>
    public IReadOnlyDictionary<string, string[]>? ErrorsIn(Language language) =>
        Errors?.ToDictionary(e => e.Key, e => e.Value.Select(m => m.In(language)).ToArray());

    public static Refusal Invalid(string field, Message message) =>
        new(RefusalKind.Invalid, InvalidTitle, new($"{field}: {message.English}", $"{field}: {message.Japanese}"),
            new Dictionary<string, Message[]> { [field] = [message] });

    public static Refusal Invalid(IReadOnlyDictionary<string, Message[]> errors) =>
        new(RefusalKind.Invalid, InvalidTitle,
            new(string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value.Select(m => m.English))}")),
                string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value.Select(m => m.Japanese))}"))),
            errors);

    public static Refusal NotFound(Message detail) => new(RefusalKind.NotFound, new("Not found", "見つかりません"), detail);

    public static Refusal Forbidden(Message detail) => new(RefusalKind.Forbidden, new("Forbidden", "この操作の権限がありません"), detail);

    public static Refusal Conflict(Message detail, Message? title = null) =>
        new(RefusalKind.Conflict, title ?? new("Conflict", "現在の状態では受け付けられません"), detail);

    public static Refusal PreconditionFailed(Message detail) =>
        new(RefusalKind.PreconditionFailed, new("Precondition failed", "ほかの変更と重なりました"), detail);

    /// <summary>An indicator's catalog entry changed under a write of it: nothing was stored.</summary>
    public static Refusal ChangedMeanwhile(string id) => Conflict(new(
        $"Indicator '{id}' was changed by another request while this one was being written; nothing of this request was stored. Read it again and retry.",
        "この指標は、保存中にほかの操作で変更されました。何も保存していません。最新の内容を確認して、もう一度保存してください。"));

    /// <summary>The indicator a request names is not in the catalog.</summary>
    public static Refusal NoIndicator(string id) =>
        NotFound(new($"No indicator '{id}' in the catalog.", $"指標「{id}」は指標一覧にありません。"));
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
public sealed class RefusedException(Refusal refusal) : Exception(refusal.Detail.English)
{
    public Refusal Refusal { get; } = refusal;
}
