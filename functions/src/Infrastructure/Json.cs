using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reporting.Infrastructure;

public static class Json
{
    /// <summary>
    /// One set of options for the API, the stored snapshots and the tests: camelCase names, enums as camelCase
    /// strings, and Japanese written as-is (not \u escapes) so snapshots stay readable.
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
        if (!options.Converters.OfType<EnumsAsStrings>().Any())
        {
            options.Converters.Add(new EnumsAsStrings());
        }
        return options;
    }

    /// <summary>
    /// Enums as camelCase strings, read in any letter case — except an enum that names its own converter
    /// ([JsonConverter] on the type), which keeps it: a converter in the options would otherwise win over the type's.
    /// </summary>
    private sealed class EnumsAsStrings : JsonConverterFactory
    {
        private readonly JsonStringEnumConverter strings = new(JsonNamingPolicy.CamelCase, allowIntegerValues: false);

        public override bool CanConvert(Type typeToConvert) =>
            strings.CanConvert(typeToConvert) && !Attribute.IsDefined(typeToConvert, typeof(JsonConverterAttribute));

        public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            strings.CreateConverter(typeToConvert, options);
    }
}
