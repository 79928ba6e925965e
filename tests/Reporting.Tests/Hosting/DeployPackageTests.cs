using System.IO.Compression;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Reports;
using Reporting.Infrastructure;
using Reporting.Tests.Infrastructure;
using Reporting.Tests.Reports;

namespace Reporting.Tests.Hosting;

/// <summary>
/// The package scripts/deploy.sh uploads (built by scripts/test.sh with --package-only): the Functions layout, the
/// native (AOT) handler, both report fonts — and the report it renders is byte for byte the one the tests render.
/// Without the bold face production drew synthesised bold: another PDF, seven times larger.
/// </summary>
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
    public void ThePackage_HasTheFunctionsLayout_TheHandler_AndBothFonts()
    {
        Assert.True(File.Exists(Path.Combine(package.Folder, "host.json")));
        foreach (var function in FunctionsLayout.Functions())
        {
            Assert.True(File.Exists(Path.Combine(package.Folder, function.Name, "function.json")), function.Name);
        }
        var handler = Path.Combine(package.Folder, "bin", "Reporting");
        Assert.True(File.Exists(handler));
        Assert.True(File.GetUnixFileMode(handler).HasFlag(UnixFileMode.UserExecute), "bin/Reporting must stay executable");
        Assert.True(File.Exists(Path.Combine(package.Folder, "bin", "fonts", "BIZUDPGothic_400Regular.ttf")));
        Assert.True(File.Exists(Path.Combine(package.Folder, "bin", "fonts", "BIZUDPGothic_700Bold.ttf")));
        Assert.True(File.Exists(Path.Combine(package.Folder, "bin", "fonts", "NotoSansJP_400Regular.ttf")));
        Assert.True(File.Exists(Path.Combine(package.Folder, "bin", "fonts", "NotoSansJP_700Bold.ttf")));
        using var zip = ZipFile.OpenRead(package.Zip);
        Assert.DoesNotContain(zip.Entries, e => e.Name == "local.settings.json");
    }

    /// <summary>
    /// What is deployed is one native executable (Native AOT: no .NET runtime, no managed assemblies, no JIT at start-up,
    /// no debug symbols in the upload) that needs nothing newer from the platform than glibc 2.34: the Functions host
    /// images (Debian 12, glibc 2.36) run it. A build on a newer distribution could silently require more.
    /// </summary>
    [Fact]
    public void TheHandler_IsANativeExecutable_NeedingNoNewerGlibcThanTheFunctionsImages()
    {
        var bin = Path.Combine(package.Folder, "bin");
        Assert.Empty(Directory.GetFiles(bin, "*.dll"));
        Assert.Empty(Directory.GetFiles(bin, "*.dbg"));
        Assert.False(File.Exists(Path.Combine(bin, "Reporting.runtimeconfig.json")), "a runtimeconfig means a JIT build");
        var header = new byte[4];
        using (var file = File.OpenRead(Path.Combine(bin, "Reporting"))) file.ReadExactly(header);
        Assert.Equal("ELF"u8.ToArray(), header);

        var symbols = Pdf.Run("objdump", "-T", Path.Combine(bin, "Reporting"));
        var required = System.Text.RegularExpressions.Regex.Matches(symbols, @"GLIBC_(\d+)\.(\d+)")
            .Select(m => new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))).Max()!;
        Assert.True(required <= new Version(2, 36), $"the handler needs glibc {required}");
    }

    /// <summary>
    /// The packaged handler renders the tests' bytes in UTC and under the C locale, and also under Japan's time zone and a
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
        var (exit, output, error) = Tool.RunWith(Path.Combine(package.Folder, "bin", "Reporting"), environment, "render", "--snapshot", snapshotFile, "--out", pdfFile, "--html", htmlFile);
        Assert.True(exit == 0, output + error);
        var packaged = await File.ReadAllBytesAsync(pdfFile);
        Assert.True(ours.AsSpan().SequenceEqual(packaged), $"the packaged app rendered {packaged.Length} bytes, the tests {ours.Length}");
        Assert.True(packaged.Length < 400 * 1024, $"{packaged.Length} bytes");
        var packagedHtml = await File.ReadAllBytesAsync(htmlFile);
        Assert.True(rendered.Html.AsSpan().SequenceEqual(packagedHtml), "the packaged app's HTML edition differs from the tests'");
    }
}
