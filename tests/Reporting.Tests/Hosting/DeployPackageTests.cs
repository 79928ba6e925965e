using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Reports;
using Reporting.Infrastructure;
using Reporting.Tests.Infrastructure;
using Reporting.Tests.Reports;

namespace Reporting.Tests.Hosting;

/// <summary>
/// The package scripts/deploy.sh uploads (built by scripts/test.sh with --package-only): the isolated worker's publish
/// output (ReadyToRun), the generated function metadata, both report fonts — and the report it renders is byte for byte
/// the one the tests render. Without the bold face production drew synthesised bold: another PDF, seven times larger.
/// </summary>
[Trait("Tier", "Full")]
public sealed class DeployPackageTests : IClassFixture<DeployPackageTests.Unpacked>
{
    public sealed class Unpacked : IDisposable
    {
        public string Zip { get; } = Repo.Path_("artifacts", "app.zip");
        public string Folder { get; } = Directory.CreateTempSubdirectory("reporting-package-").FullName;

        public Unpacked()
        {
            if (!File.Exists(Zip)) throw new InvalidOperationException($"{Zip} is missing: scripts/test.sh builds it with scripts/deploy.sh --package-only.");
            // unzip keeps the executable bit that ZipFile.ExtractToDirectory would need to restore by hand.
            Pdf.Run("unzip", "-q", Zip, "-d", Folder);
        }

        public void Dispose() => Directory.Delete(Folder, recursive: true);
    }

    private readonly Unpacked package;

    public DeployPackageTests(Unpacked package) => this.package = package;

    [Fact]
    public void ThePackage_IsTheIsolatedWorkersPublishOutput_WithGeneratedMetadata_AndBothFonts()
    {
        var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "host.json"))).RootElement;
        Assert.False(host.TryGetProperty("customHandler", out _), "no custom handler remains");
        var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "worker.config.json"))).RootElement.GetProperty("description");
        Assert.Equal("dotnet-isolated", worker.GetProperty("language").GetString());
        Assert.Equal("Reporting.dll", worker.GetProperty("defaultWorkerPath").GetString());
        // Every function the code declares, as the SDK generated it at build time; no function.json anywhere.
        var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "functions.metadata"))).RootElement;
        var names = metadata.EnumerateArray().Select(f => f.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(HttpOperation.All.Select(o => o.Name).Append(AnnualReportFunction.Name).Order(StringComparer.Ordinal), names);
        Assert.Empty(Directory.GetFiles(package.Folder, "function.json", SearchOption.AllDirectories));
        foreach (var font in new[] { "BIZUDPGothic_400Regular.ttf", "BIZUDPGothic_700Bold.ttf", "NotoSansJP_400Regular.ttf", "NotoSansJP_700Bold.ttf" })
        {
            Assert.True(File.Exists(Path.Combine(package.Folder, "fonts", font)), font);
        }
        using var zip = ZipFile.OpenRead(package.Zip);
        Assert.DoesNotContain(zip.Entries, e => e.Name == "local.settings.json");
    }

    /// <summary>
    /// The app is compiled ahead of time for linux-x64 (ReadyToRun: native code in the assembly, so a new instance JITs
    /// little at start-up) and runs on the platform's .NET 10 (framework-dependent, as Flex Consumption's
    /// dotnet-isolated 10.0 runtime provides it).
    /// </summary>
    [Fact]
    public void TheWorker_IsReadyToRun_ForLinuxX64_OnThePlatformsDotNet10()
    {
        using (var file = File.OpenRead(Path.Combine(package.Folder, "Reporting.dll")))
        using (var pe = new System.Reflection.PortableExecutable.PEReader(file))
        {
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "Reporting.dll carries no ReadyToRun code");
            // A ReadyToRun image marks its target OS in the machine field: x64 XOR the Linux marker (0x7B79).
            Assert.Equal(System.Reflection.PortableExecutable.Machine.Amd64, (System.Reflection.PortableExecutable.Machine)((ushort)pe.PEHeaders.CoffHeader.Machine ^ 0x7B79));
        }
        var runtime = JsonDocument.Parse(File.ReadAllText(Path.Combine(package.Folder, "Reporting.runtimeconfig.json"))).RootElement.GetProperty("runtimeOptions");
        Assert.Equal("net10.0", runtime.GetProperty("tfm").GetString());
        Assert.False(File.Exists(Path.Combine(package.Folder, "libcoreclr.so")), "the runtime is the platform's, not shipped");
    }

    /// <summary>
    /// The packaged app renders the tests' bytes in UTC and under the C locale, and also under Japan's time zone and a
    /// German locale: a PDF date read from the local zone was 9 hours wrong under TZ=Asia/Tokyo, and a number formatted
    /// with the process's culture read 16.000 under de_DE.
    /// </summary>
    [Theory]
    [InlineData("UTC", "C.UTF-8")]
    [InlineData("Asia/Tokyo", "de_DE.UTF-8")]
    [InlineData("America/Los_Angeles", "ja_JP.UTF-8")]
    public async Task ThePackagedApp_RendersTheSameReport_ByteForByte_WhateverItsTimeZoneAndLocale(string timeZone, string locale)
    {
        using var app = new ReportingApp();
        await SampleData.SubmitAsync(app);
        var service = app.Services.GetRequiredService<ReportService>();
        var snapshot = await service.BuildSnapshotAsync(2025, "package test");
        var rendered = service.Render(snapshot);
        var ours = rendered.Pdf;

        var snapshotFile = Path.Combine(package.Folder, $"snapshot-{timeZone.Replace('/', '-')}.json");
        var pdfFile = Path.Combine(package.Folder, $"report-{timeZone.Replace('/', '-')}.pdf");
        var htmlFile = Path.ChangeExtension(pdfFile, ".html");
        await File.WriteAllBytesAsync(snapshotFile, JsonSerializer.SerializeToUtf8Bytes(snapshot, Json.Options));
        if (Environment.GetEnvironmentVariable("REPORTING_SAVE_PDF_DIR") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            File.Copy(snapshotFile, Path.Combine(dir, "snapshot-FY2025-sample-data.json"), overwrite: true);
        }
        var environment = new Dictionary<string, string> { ["TZ"] = timeZone, ["LANG"] = locale, ["LC_ALL"] = locale };
        var (exit, output, error) = Tool.RunWith("dotnet", environment, Path.Combine(package.Folder, "Reporting.dll"), "render", "--snapshot", snapshotFile, "--out", pdfFile, "--html", htmlFile);
        Assert.True(exit == 0, output + error);
        var packaged = await File.ReadAllBytesAsync(pdfFile);
        Assert.True(ours.AsSpan().SequenceEqual(packaged), $"the packaged app rendered {packaged.Length} bytes, the tests {ours.Length}");
        Assert.True(packaged.Length < 400 * 1024, $"{packaged.Length} bytes");
        var packagedHtml = await File.ReadAllBytesAsync(htmlFile);
        Assert.True(rendered.Html.AsSpan().SequenceEqual(packagedHtml), "the packaged app's HTML edition differs from the tests'");
    }
}
