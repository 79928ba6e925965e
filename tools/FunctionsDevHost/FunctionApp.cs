using System.Text.Json;
using System.Text.Json.Nodes;

namespace FunctionsDevHost;

/// <summary>One binding of a function, as <c>functions.metadata</c> and the worker's indexing describe it.</summary>
public sealed record Binding(string Name, string Type, string Direction, JsonObject Raw)
{
    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase) && Direction.Equals("In", StringComparison.OrdinalIgnoreCase);

    public string? Property(string name) => Raw.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public IReadOnlyList<string> Methods => Raw.TryGetPropertyValue("methods", out var value) && value is JsonArray array
        ? array.Select(m => m!.GetValue<string>().ToUpperInvariant()).ToList()
        : [];

    public static Binding Parse(string json) => Parse(JsonNode.Parse(json)!.AsObject());

    public static Binding Parse(JsonObject raw) =>
        new(raw["name"]!.GetValue<string>(), raw["type"]!.GetValue<string>(), raw["direction"]?.GetValue<string>() ?? "In", raw);
}

/// <summary>A function of the app: its name, where its code is, and its bindings.</summary>
public sealed record FunctionDescription(string Name, string ScriptFile, string EntryPoint, IReadOnlyList<Binding> Bindings)
{
    public Binding? Trigger => Bindings.FirstOrDefault(b => b.IsTrigger);

    public bool IsHttp => Trigger?.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase) == true;

    public bool IsTimer => Trigger?.Type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>
/// The function app as the Functions host reads it from its folder: <c>host.json</c> (the HTTP route prefix) and the
/// <c>functions.metadata</c> the Worker SDK writes at build time from the <c>[Function]</c> attributes.
/// </summary>
public sealed class FunctionApp
{
    public required string Directory { get; init; }
    public required string RoutePrefix { get; init; }
    public required IReadOnlyList<FunctionDescription> Functions { get; init; }

    public static FunctionApp Read(string directory)
    {
        var hostJson = Path.Combine(directory, "host.json");
        if (!File.Exists(hostJson)) throw new FileNotFoundException($"No host.json in {directory}: is it the function app's build output?", hostJson);
        var host = JsonNode.Parse(File.ReadAllText(hostJson), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        // The host's default prefix is "api"; an empty string means none.
        var prefix = host?["extensions"]?["http"]?["routePrefix"] is JsonValue p && p.TryGetValue<string>(out var configured) ? configured : "api";

        var metadataFile = Path.Combine(directory, "functions.metadata");
        if (!File.Exists(metadataFile)) throw new FileNotFoundException($"No functions.metadata in {directory}: build the app with the Worker SDK.", metadataFile);
        var functions = JsonNode.Parse(File.ReadAllText(metadataFile))!.AsArray().Select(node =>
        {
            var f = node!.AsObject();
            return new FunctionDescription(
                f["name"]!.GetValue<string>(),
                f["scriptFile"]!.GetValue<string>(),
                f["entryPoint"]!.GetValue<string>(),
                f["bindings"]!.AsArray().Select(b => Binding.Parse(b!.AsObject())).ToList());
        }).ToList();
        return new FunctionApp { Directory = Path.GetFullPath(directory), RoutePrefix = prefix.Trim('/'), Functions = functions };
    }
}

/// <summary>
/// The <c>Values</c> of a <c>local.settings.json</c>: what Core Tools puts in the worker's environment (a variable already
/// set in the host's own environment wins, as with <c>func start</c>).
/// </summary>
public static class LocalSettings
{
    public static IReadOnlyDictionary<string, string> Read(string? path)
    {
        if (path is null || !File.Exists(path)) return new Dictionary<string, string>();
        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return root?["Values"] is JsonObject values
            ? values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>();
    }

    /// <summary>A binding expression such as <c>%AnnualReportSchedule%</c> resolved from the settings, then the environment.</summary>
    public static string Resolve(string expression, IReadOnlyDictionary<string, string> settings) =>
        expression.Length > 2 && expression[0] == '%' && expression[^1] == '%'
            ? Environment.GetEnvironmentVariable(expression[1..^1]) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : settings.TryGetValue(expression[1..^1], out var value) ? value
            : throw new InvalidOperationException($"The app setting {expression[1..^1]} named by {expression} is not set.")
            : expression;
}
