using System.Text.Json;
using Reporting.Tests.Infrastructure;
using Reporting.Tests.Reports;

namespace Reporting.Tests.Infra;

/// <summary>The deployment template builds and lints clean with the real Bicep CLI, and says what the app relies on.</summary>
[Trait("Tier", "Full")]
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
    public void FunctionApp_RunsTheDotnetIsolatedWorker_WithIdentityBasedStorage_AndTheAppsSettings()
    {
        var site = Resource(Compiled(), "Microsoft.Web/sites").GetProperty("properties");
        Assert.Equal("dotnet-isolated", site.GetProperty("functionAppConfig").GetProperty("runtime").GetProperty("name").GetString());
        var settings = site.GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .Select(s => s.GetProperty("name").GetString()!).ToHashSet();
        foreach (var name in new[] { "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
                     "APPLICATIONINSIGHTS_CONNECTION_STRING", "AnnualReportSchedule", "Storage__AccountName", "Storage__ClientId",
                     "Auth__Instance", "Auth__TenantId", "Auth__Audience", "Auth__ClientId" })
        {
            Assert.Contains(name, settings);
        }
        Assert.DoesNotContain("AzureWebJobsStorage", settings); // no connection string with a key
        Assert.DoesNotContain("Auth__DevSigningKey", settings); // the development issuer never exists in Azure
    }

    [Fact]
    public void People_sign_in_with_App_Service_Authentication_while_the_api_keeps_taking_bearer_tokens()
    {
        var template = Compiled();
        var auth = template.GetProperty("resources").EnumerateArray()
            .Single(r => r.GetProperty("type").GetString() == "Microsoft.Web/sites/config" && r.GetProperty("name").GetString()!.Contains("authsettingsV2", StringComparison.Ordinal))
            .GetProperty("properties");
        Assert.True(auth.GetProperty("platform").GetProperty("enabled").GetBoolean());
        var validation = auth.GetProperty("globalValidation");
        // Anonymous requests reach the app: it sends a person to sign in and answers a program 401 itself.
        Assert.False(validation.GetProperty("requireAuthentication").GetBoolean());
        Assert.Equal("AllowAnonymous", validation.GetProperty("unauthenticatedClientAction").GetString());
        // Easy Auth leaves the API to the app's own validation of v1 and v2 bearer tokens.
        var excluded = template.GetProperty("parameters").GetProperty("easyAuthExcludedPaths").GetProperty("defaultValue").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Equal(["/api/*"], excluded);
        Assert.Contains("easyAuthExcludedPaths", validation.GetProperty("excludedPaths").GetString());
        var entra = auth.GetProperty("identityProviders").GetProperty("azureActiveDirectory");
        Assert.True(entra.GetProperty("enabled").GetBoolean());
        // No client secret: the registration trusts the app's managed identity (a federated credential).
        Assert.Equal("OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID", entra.GetProperty("registration").GetProperty("clientSecretSettingName").GetString());
        Assert.False(auth.GetProperty("login").GetProperty("tokenStore").GetProperty("enabled").GetBoolean());
        Assert.True(auth.GetProperty("httpSettings").GetProperty("requireHttps").GetBoolean());

        var settings = Resource(template, "Microsoft.Web/sites").GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("value").GetString()!);
        Assert.Equal("true", settings["Auth__TrustAppServiceAuthentication"]);
        Assert.Contains("easyAuthExcludedPaths", settings["Auth__AppServiceExcludedPaths"]);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", settings["OVERRIDE_USE_MI_FIC_ASSERTION_CLIENTID"]);
        Assert.Equal("true", settings["AzureWebJobsDisableHomepage"]);
    }

    /// <summary>
    /// Microsoft's "Flex Consumption plan deprecations" table (functions-app-settings.md): site properties that ARM
    /// refuses on a Flex site (error 51021, which neither bicep build nor lint reports) and app settings that are replaced
    /// by functionAppConfig or not supported. Checked anywhere in the function app's resource, in any letter case.
    /// </summary>
    private static readonly string[] FlexRejectedSiteProperties =
    [
        "alwaysOn", "containerSize", "dnsConfiguration", "ftpsState", "isReserved", "isXenon", "javaVersion", "linuxFxVersion",
        "netFrameworkVersion", "powerShellVersion", "functionAppScaleLimit", "preWarmedInstanceCount", "use32BitWorkerProcess",
        "vnetBackupRestoreEnabled", "vnetContentShareEnabled", "vnetImagePullEnabled", "vnetRouteAllEnabled", "windowsFxVersion",
    ];

    private static readonly string[] FlexDeprecatedAppSettings =
    [
        "ENABLE_ORYX_BUILD", "FUNCTIONS_EXTENSION_VERSION", "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_WORKER_RUNTIME_VERSION",
        "FUNCTIONS_MAX_HTTP_CONCURRENCY", "FUNCTIONS_WORKER_PROCESS_COUNT", "FUNCTIONS_WORKER_DYNAMIC_CONCURRENCY_ENABLED",
        "SCM_DO_BUILD_DURING_DEPLOYMENT", "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTOVERVNET", "WEBSITE_CONTENTSHARE",
        "WEBSITE_DNS_SERVER", "WEBSITE_MAX_DYNAMIC_APPLICATION_SCALE_OUT", "WEBSITE_NODE_DEFAULT_VERSION", "WEBSITE_RUN_FROM_PACKAGE",
        "WEBSITE_SKIP_CONTENTSHARE_VALIDATION", "WEBSITE_VNET_ROUTE_ALL",
        // Not honoured on Flex (Linux): Japan time is computed in code.
        "WEBSITE_TIME_ZONE", "TZ",
    ];

    private static IEnumerable<string> PropertyNames(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => PropertyNames(p.Value).Prepend(p.Name)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertyNames),
        _ => [],
    };

    [Fact]
    public void FunctionApp_HasNoPropertyOrSettingFlexConsumptionRejects()
    {
        var site = Resource(Compiled(), "Microsoft.Web/sites");
        var names = PropertyNames(site).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.DoesNotContain(FlexRejectedSiteProperties, names.Contains);
        var settings = site.GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings").EnumerateArray()
            .Select(s => s.GetProperty("name").GetString()!).ToList();
        Assert.DoesNotContain(settings, s => FlexDeprecatedAppSettings.Contains(s, StringComparer.OrdinalIgnoreCase));

        // The .NET isolated stack as Microsoft publishes it for FC1: dotnet-isolated 10.0 (the worker's net10.0), 40–1000 instances.
        var config = site.GetProperty("properties").GetProperty("functionAppConfig");
        Assert.Equal("[parameters('dotnetVersion')]", config.GetProperty("runtime").GetProperty("version").GetString());
        var parameters = Compiled().GetProperty("parameters");
        Assert.Equal("10.0", parameters.GetProperty("dotnetVersion").GetProperty("defaultValue").GetString());
        Assert.Equal(40, parameters.GetProperty("maximumInstanceCount").GetProperty("minValue").GetInt32());
        Assert.Equal(1000, parameters.GetProperty("maximumInstanceCount").GetProperty("maxValue").GetInt32());
    }

    [Fact]
    public void TheRejectedPropertyCheck_FindsAPropertyWhereverItIs()
    {
        // The check itself: a template with ftpsState in siteConfig is caught.
        var bad = JsonDocument.Parse("""{"properties": {"siteConfig": {"minTlsVersion": "1.2", "FtpsState": "Disabled"}}}""").RootElement;
        Assert.Contains("ftpsState", FlexRejectedSiteProperties.Where(PropertyNames(bad).ToHashSet(StringComparer.OrdinalIgnoreCase).Contains));
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
