using System.Text.Json;
using System.Text.RegularExpressions;
using Reporting.Hosting;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Hosting;

/// <summary>
/// Core Tools (func start) reads local.settings.json from the function app root, beside host.json; the handler reads the
/// same file. Everything a function.json names as %Setting% and what Core Tools needs is in the sample.
/// </summary>
public sealed partial class LocalSettingsLayoutTests
{
    [GeneratedRegex("%([A-Za-z0-9_]+)%")]
    private static partial Regex SettingReference();

    [Fact]
    public void TheSample_IsInTheFunctionAppRoot_WithEverySettingTheHostAndTheFunctionsNeed()
    {
        Assert.True(File.Exists(Path.Combine(FunctionsLayout.Root, "host.json")));
        var sample = Path.Combine(FunctionsLayout.Root, "local.settings.sample.json");
        Assert.True(File.Exists(sample), "functions/local.settings.sample.json is missing");
        Assert.False(File.Exists(Repo.Path_("local.settings.sample.json")), "a sample at the repository root is one Core Tools never reads");
        var values = JsonDocument.Parse(File.ReadAllText(sample)).RootElement.GetProperty("Values");
        Assert.Equal("custom", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString());
        Assert.True(values.TryGetProperty("AzureWebJobsStorage", out _), "Core Tools needs host storage for the timer");
        var referenced = Directory.GetFiles(FunctionsLayout.Root, "function.json", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .SelectMany(f => SettingReference().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Distinct().ToList();
        Assert.Contains("AnnualReportSchedule", referenced);
        Assert.All(referenced, name => Assert.True(values.TryGetProperty(name, out _), $"%{name}% is not in the sample"));
    }

    [Fact]
    public void TheHandler_FindsTheFileInTheFunctionAppRoot_WhereverItIsStartedFrom()
    {
        var root = Directory.CreateTempSubdirectory("reporting-layout-").FullName;
        try
        {
            var functions = Directory.CreateDirectory(Path.Combine(root, "functions")).FullName;
            var bin = Directory.CreateDirectory(Path.Combine(functions, "bin")).FullName;
            var src = Directory.CreateDirectory(Path.Combine(functions, "src")).FullName;
            var settings = Path.Combine(functions, "local.settings.json");
            File.WriteAllText(settings, """{"Values": {}}""");
            // As the host and run-local.sh start it (working directory: the function app root) ...
            Assert.Equal(settings, LocalSettings.Locate(functions, bin));
            // ... as dotnet run starts it (the project folder) ...
            Assert.Equal(settings, LocalSettings.Locate(src, src));
            // ... and from anywhere else, by its own folder.
            Assert.Equal(settings, LocalSettings.Locate(Path.GetTempPath(), bin));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
