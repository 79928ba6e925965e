using System.Text.Json;

namespace Reporting.Hosting;

/// <summary>
/// Reads the <c>Values</c> of a Functions <c>local.settings.json</c>, so the same file configures a local run with or
/// without the Functions host. The file lives where Core Tools (<c>func start</c>) reads it: the function app root,
/// <c>functions/</c>, beside host.json — the parent of the published handler's folder (<c>functions/bin</c>) and of the
/// project folder (<c>functions/src</c>). Keys use the app-setting form (<c>Storage__ConnectionString</c>).
/// Environment variables still win, as in Azure.
/// </summary>
public static class LocalSettings
{
    public static void AddLocalSettings(this ConfigurationManager configuration, string contentRoot)
    {
        var path = Environment.GetEnvironmentVariable("REPORTING_LOCAL_SETTINGS");
        if (string.IsNullOrEmpty(path))
        {
            path = Locate(Directory.GetCurrentDirectory(), contentRoot);
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

    /// <summary>
    /// The file the app reads: in the working directory (the function app root, where the host and run-local.sh start
    /// it) or its parent (dotnet run in functions/src), else beside or above the content root (functions/bin).
    /// </summary>
    public static string? Locate(string workingDirectory, string contentRoot) =>
        new[] { workingDirectory, Path.Combine(workingDirectory, ".."), contentRoot, Path.Combine(contentRoot, "..") }
            .Select(d => Path.GetFullPath(Path.Combine(d, "local.settings.json")))
            .FirstOrDefault(File.Exists);
}
