using System.Text.Json;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Hosting;

/// <summary>The Functions surface as the host reads it: host.json and one function.json per function folder.</summary>
public static class FunctionsLayout
{
    public static string Root => Repo.Path_("functions");

    public static JsonElement HostJson => JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "host.json"))).RootElement;

    public sealed record Function(string Name, string TriggerType, IReadOnlyList<string> Methods, string? Route, JsonElement Trigger);

    public static IReadOnlyList<Function> Functions() => Directory.GetDirectories(Root)
        .Where(d => File.Exists(Path.Combine(d, "function.json")))
        .Select(d =>
        {
            var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(d, "function.json"))).RootElement;
            var trigger = json.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("direction").GetString() == "in");
            var methods = trigger.TryGetProperty("methods", out var m) ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToList() : [];
            var route = trigger.TryGetProperty("route", out var r) ? r.GetString() : null;
            return new Function(Path.GetFileName(d), trigger.GetProperty("type").GetString()!, methods, route, trigger);
        })
        .OrderBy(f => f.Name, StringComparer.Ordinal)
        .ToList();

    public static string ExecutablePath => Path.Combine(Root,
        HostJson.GetProperty("customHandler").GetProperty("description").GetProperty("defaultExecutablePath").GetString()!);
}
