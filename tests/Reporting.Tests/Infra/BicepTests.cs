using System.Text.Json;
using Reporting.Tests.Infrastructure;
using Reporting.Tests.Reports;

namespace Reporting.Tests.Infra;

/// <summary>The deployment template builds and lints clean with the real Bicep CLI, and says what the app relies on.</summary>
public sealed class BicepTests
{
    private static readonly string Template = Repo.Path_("infra-bicep", "main.bicep");

    private static (int Exit, string Output) Bicep(params string[] args)
    {
        var (exit, output, error) = Tool.Run(Repo.BicepCli, args);
        return (exit, output + error);
    }

    // One build for the content checks: the CLI takes seconds per run.
    private static readonly Lazy<JsonElement> CompiledTemplate = new(() =>
    {
        var (exit, output) = Bicep("build", Template, "--stdout");
        Assert.Equal(0, exit);
        return JsonDocument.Parse(output).RootElement;
    });

    private static JsonElement Compiled() => CompiledTemplate.Value;

    private static JsonElement Resource(JsonElement template, string type) =>
        template.GetProperty("resources").EnumerateArray().First(r => r.GetProperty("type").GetString() == type);

    [Fact]
    public void Build_AndLint_RunClean()
    {
        var build = Bicep("build", Template, "--stdout");
        Assert.Equal(0, build.Exit);
        var lint = Bicep("lint", Template);
        Assert.True(lint.Exit == 0 && lint.Output.Trim().Length == 0, lint.Output);
        var parameters = Bicep("build-params", Repo.Path_("infra-bicep", "main.bicepparam"), "--stdout");
        Assert.Equal(0, parameters.Exit);
    }

    [Fact]
    public void Storage_HasNoPublicBlobs_NoSharedKeys_AndTls12()
    {
        var storage = Resource(Compiled(), "Microsoft.Storage/storageAccounts").GetProperty("properties");
        Assert.False(storage.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.False(storage.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.Equal("TLS1_2", storage.GetProperty("minimumTlsVersion").GetString());
        var containers = Compiled().GetProperty("resources").EnumerateArray()
            .Where(r => r.GetProperty("type").GetString() == "Microsoft.Storage/storageAccounts/blobServices/containers");
        Assert.All(containers, c => Assert.Equal("None", c.GetProperty("properties").GetProperty("publicAccess").GetString()));
    }

    [Fact]
    public void FunctionApp_RunsTheCustomHandler_WithIdentityBasedStorage_AndTheAppsSettings()
    {
        var site = Resource(Compiled(), "Microsoft.Web/sites").GetProperty("properties");
        Assert.Equal("custom", site.GetProperty("functionAppConfig").GetProperty("runtime").GetProperty("name").GetString());
        var settings = site.GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .Select(s => s.GetProperty("name").GetString()!).ToHashSet();
        foreach (var name in new[] { "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
                     "APPLICATIONINSIGHTS_CONNECTION_STRING", "AnnualReportSchedule", "Storage__AccountName", "Storage__ClientId",
                     "Auth__Issuer", "Auth__Audience", "Auth__Authority" })
        {
            Assert.Contains(name, settings);
        }
        Assert.DoesNotContain("AzureWebJobsStorage", settings); // no connection string with a key
        Assert.DoesNotContain("Auth__DevSigningKey", settings); // the development issuer never exists in Azure
    }

    [Fact]
    public void ManagedIdentity_GetsTheStorageRolesTheAppNeeds()
    {
        var roleIds = Compiled().GetProperty("resources").EnumerateArray()
            .Where(r => r.GetProperty("type").GetString() == "Microsoft.Authorization/roleAssignments")
            .Select(r => r.ToString())
            .ToList();
        Assert.Contains(roleIds, r => r.Contains("b7e6dc6d-f1e8-4753-8033-0f276bb0955b") || r.Contains("storageBlobDataOwner")); // Storage Blob Data Owner
        var variables = Compiled().GetProperty("variables").GetProperty("roles").ToString();
        Assert.Contains("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", variables); // Storage Table Data Contributor
        Assert.Contains("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", variables); // Storage Blob Data Owner
    }
}
