using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Reporting.Infrastructure;

/// <summary>
/// Reads a JSON request body into its typed request record, strictly, and turns every way it can fail into a 400
/// problem that names the field and says what it must be, in the API's own terms (a number, a whole number, text, one
/// of final, provisional), never the serializer's (which names .NET types). The record is also what the API description
/// shows, so what a client generator sends is what this reads:
/// <list type="bullet">
/// <item>a constructor parameter without a default is required (and may not be null unless its type is nullable);</item>
/// <item>a member the record does not have is refused, so a misspelt field is never silently dropped;</item>
/// <item>numbers are JSON numbers ("33" is refused, as the description's <c>type: number</c> says);</item>
/// <item>enum members in any letter case, as generated clients send the member's C# name ("Provisional").</item>
/// </list>
/// </summary>
public static class RequestJson
{
    private static readonly JsonSerializerOptions Strict = new(Json.Options)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
    };

    public static async Task<Result<T>> ReadAsync<T>(HttpRequest request, string expected, CancellationToken cancellationToken = default)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException ex)
        {
            return ex.LineNumber == 0 && ex.BytePositionInLine == 0 && request.ContentLength is null or 0
                ? Refusal.Invalid("body", new($"is required: send {expected}.", $"本文がありません。{expected} の形で送ってください。"))
                : Refusal.Invalid("body", new($"is not valid JSON (line {ex.LineNumber + 1}, position {ex.BytePositionInLine + 1}): send {expected}.",
                    $"JSONとして読めません（{ex.LineNumber + 1}行目、{ex.BytePositionInLine + 1}バイト目）。{expected} の形で送ってください。"));
        }
        using (document)
        {
            try
            {
                return Read<T>(document.RootElement, expected);
            }
            catch (InvalidOperationException)
            {
                // A member name that is not valid Unicode (the values are checked one by one in Read).
                return Refusal.Invalid("body", new($"is not valid Unicode text: send {expected} in UTF-8.", $"正しいUnicodeの文字列ではありません。{expected} をUTF-8で送ってください。"));
            }
        }
    }

    private static Result<T> Read<T>(JsonElement root, string expected)
        where T : class
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Refusal.Invalid("body", new($"must be a JSON object, not {KindOf(root)}: send {expected}.", $"JSONオブジェクトで送ってください（{KindOf(root)} ではなく）: {expected}"));
        }
        var info = Strict.GetTypeInfo(typeof(T));
        var errors = new Dictionary<string, Message[]>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in root.EnumerateObject())
        {
            if (!seen.Add(member.Name))
            {
                // {"value": 101, "value": 30.3} must not be read as whichever came last.
                errors.TryAdd(member.Name, [new("is given more than once: send each field once.", "同じ項目が2回以上あります。各項目は1回だけ送ってください。")]);
            }
            else if (Unreadable(member.Value))
            {
                // Invalid UTF-8 bytes or an unpaired surrogate escape (\ud800): no text at all, whatever the member.
                errors.TryAdd(member.Name, [new("is not valid Unicode text (invalid UTF-8, or an unpaired surrogate such as \\ud800).", "正しいUnicodeの文字列ではありません（不正なUTF-8、または \\ud800 のような対のないサロゲート）。")]);
            }
            else if (Find(info, member.Name) is null)
            {
                var fields = string.Join(", ", info.Properties.Select(p => p.Name));
                errors.TryAdd(member.Name, [new($"is not a field of this request (its fields are {fields}).", $"この要求にない項目です（項目: {fields}）。")]);
            }
        }
        foreach (var property in info.Properties)
        {
            var present = TryGetMember(root, property.Name, out var element);
            if (IsRequired(property) && (!present || (element.ValueKind == JsonValueKind.Null && !AllowsNull(property))))
            {
                errors.TryAdd(property.Name, [new($"is required: {Describe(property.PropertyType)}.", $"必須の項目です（{Describe(property.PropertyType)}）。")]);
            }
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        try
        {
            return root.Deserialize((JsonTypeInfo<T>)info)!;
        }
        catch (JsonException ex)
        {
            // Which member could not be read, and what it holds: said against what the member must be.
            var name = (ex.Path ?? "$").TrimStart('$', '.').Split('.', '[')[0];
            var property = Find(info, name);
            if (property is null || !TryGetMember(root, property.Name, out var element))
            {
                return Refusal.Invalid("body", new($"could not be read: send {expected}.", $"読み取れませんでした。{expected} の形で送ってください。"));
            }
            var message = element.ValueKind == JsonValueKind.Number && IsNumber(property.PropertyType)
                ? new Message($"is out of range: {Describe(property.PropertyType)}.", $"範囲外の値です（{Describe(property.PropertyType)}）。")
                : new Message($"must be {Describe(property.PropertyType)}, not {KindOf(element)}.", $"{Describe(property.PropertyType)}で送ってください（{KindOf(element)} ではなく）。");
            return Refusal.Invalid(property.Name, message);
        }
    }

    private static bool Unreadable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                try
                {
                    _ = element.GetString();
                    return false;
                }
                catch (InvalidOperationException)
                {
                    return true;
                }
            case JsonValueKind.Array:
                return element.EnumerateArray().Any(Unreadable);
            case JsonValueKind.Object:
                return element.EnumerateObject().Any(m => Unreadable(m.Value));
            default:
                return false;
        }
    }

    private static JsonPropertyInfo? Find(JsonTypeInfo info, string name) =>
        info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static bool TryGetMember(JsonElement root, string name, out JsonElement element)
    {
        foreach (var member in root.EnumerateObject())
        {
            if (string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                element = member.Value;
                return true;
            }
        }
        element = default;
        return false;
    }

    /// <summary>A constructor parameter with no default value: what the API description lists as required.</summary>
    private static bool IsRequired(JsonPropertyInfo property) =>
        property.IsRequired || property.AssociatedParameter is { HasDefaultValue: false };

    private static bool AllowsNull(JsonPropertyInfo property) =>
        Nullable.GetUnderlyingType(property.PropertyType) is not null || property.AssociatedParameter is { IsNullable: true };

    private static bool IsNumber(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(double) || type == typeof(float) || type == typeof(decimal) || type == typeof(int) || type == typeof(long);
    }

    /// <summary>What a member must hold, in the words of the API description.</summary>
    internal static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a JSON number";
        if (type == typeof(int) || type == typeof(long)) return "a whole JSON number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(string)) return "a JSON string";
        if (type == typeof(DateOnly)) return "a date written yyyy-MM-dd";
        if (type.IsEnum) return "one of " + string.Join(", ", Json.WireNames(type));
        return "a JSON object";
    }

    private static string KindOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Problems.Shorten(element.GetString()!)}\"",
        JsonValueKind.Number => $"the number {Problems.Shorten(element.GetRawText())}",
        JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

}
