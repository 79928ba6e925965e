using System.Text.Json;

namespace Reporting.Hosting;

/// <summary>
/// Reads the <c>Values</c> of a Functions <c>local.settings.json</c> when the app runs standalone, so the same file
/// configures a local run with or without the Functions host. Keys use the app-setting form (<c>Storage__ConnectionString</c>).
/// Environment variables still win, as in Azure.
/// </summary>
public static class LocalSettings
{
    public static void AddLocalSettings(this ConfigurationManager configuration, string contentRoot)
    {
        var path = Environment.GetEnvironmentVariable("REPORTING_LOCAL_SETTINGS");
        if (string.IsNullOrEmpty(path))
        {
            // The working directory, the content root, and up to the repository root (dotnet run starts in the project folder).
            path = new[] { Directory.GetCurrentDirectory(), contentRoot }
                .SelectMany(d => new[] { d, Path.Combine(d, ".."), Path.Combine(d, "..", "..") })
                .Select(d => Path.GetFullPath(Path.Combine(d, "local.settings.json")))
                .FirstOrDefault(File.Exists);
        }
        if (path is null || !File.Exists(path))
        {
            return;
        }
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty("Values", out var values))
        {
            return;
        }
        var settings = values.EnumerateObject()
            .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            .ToDictionary(p => p.Name.Replace("__", ":"), p => (string?)p.Value.ToString());
        // Insert below environment variables: an explicit environment value overrides the file.
        var sources = configuration.Sources;
        var envIndex = sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        var source = new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = settings };
        if (envIndex >= 0) sources.Insert(envIndex, source);
        else sources.Add(source);
    }
}
