using System.Text.Json;
using System.Text.RegularExpressions;

namespace Reporting.Tests.Infrastructure.ApiContract;

/// <summary>
/// The served API description, asked what an operation may answer: so that a test which receives a status from the
/// API can check that the description declares it (a generated client throws on a status it was not told of).
/// </summary>
public sealed class Described(JsonElement document)
{
    public static async Task<Described> FetchAsync(HttpClient client) =>
        new(JsonDocument.Parse(await client.GetStringAsync("/api/openapi.json")).RootElement);

    /// <summary>The statuses the operation behind <paramref name="method"/> <paramref name="path"/> declares (null: no such operation).</summary>
    public IReadOnlySet<string>? Statuses(string method, string path)
    {
        path = path.Split('?')[0].TrimEnd('/');
        foreach (var template in document.GetProperty("paths").EnumerateObject())
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(template.Name.TrimEnd('/')), @"\\\{[^/]+?}", "[^/]+") + "$";
            if (!Regex.IsMatch(Uri.UnescapeDataString(path), pattern) && !Regex.IsMatch(path, pattern)) continue;
            if (!template.Value.TryGetProperty(method.ToLowerInvariant(), out var operation)) return null;
            return operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        }
        return null;
    }
}
