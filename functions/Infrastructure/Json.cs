using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Reporting.Infrastructure;

public static class Json
{
    /// <summary>
    /// One set of options for the API, the stored snapshots and the tests: camelCase names, enums as camelCase strings
    /// (each enum says so, <see cref="CamelCaseEnum{TEnum}"/>), numbers as numbers, Japanese written as-is (not \u
    /// escapes) so snapshots stay readable, and the serializers generated at compile time (<see cref="ReportingJson"/>).
    /// </summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        // Numbers are JSON numbers (the web defaults also read "2030" as 2030, and say so in the API description as
        // "integer or string", which client generators turn into uncompilable code).
        options.NumberHandling = JsonNumberHandling.Strict;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        // JSON for API clients and storage, never embedded in HTML: no need to escape quotes or Japanese.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        // The generated serializers only, also under the JIT: a type the native build could not serialize fails here too.
        options.TypeInfoResolverChain.Clear();
        options.TypeInfoResolverChain.Add(ReportingJson.Default);
        return options;
    }

    /// <summary>An enum member as the API and the snapshots write it: camelCase (<see cref="CamelCaseEnum{TEnum}"/>).</summary>
    public static string WireName<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    /// <summary>Every member of an enum as <see cref="WireName{TEnum}"/> writes it.</summary>
    public static IEnumerable<string> WireNames(Type enumType) => Enum.GetNames(enumType).Select(JsonNamingPolicy.CamelCase.ConvertName);

    /// <summary>The generated serializer of <typeparamref name="T"/> with <see cref="Options"/>.</summary>
    public static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));
}

/// <summary>An enum as a camelCase string, read in any letter case (a generated client sends "Provisional"); never a number.</summary>
public sealed class CamelCaseEnum<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
