using System.Text.Json;
using Microsoft.Extensions.Options;
using Reporting.Features.Reports;
using Reporting.Features.Reports.Rendering;
using Reporting.Infrastructure;

namespace Reporting.Hosting;

/// <summary>
/// <c>Reporting render --snapshot snapshot.json --out report.pdf [--html report.html]</c>: renders a stored snapshot (and
/// its HTML edition) with the fonts beside
/// the executable, without a web host or storage. An operator re-renders a published report from its snapshot with the
/// deployed build; the tests render the packaged app's output and compare it byte for byte with their own.
/// </summary>
public static class RenderCommand
{
    public const string Verb = "render";

    public static int Run(IReadOnlyList<string> args)
    {
        string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var snapshotPath = Arg("--snapshot");
        var outPath = Arg("--out");
        var htmlPath = Arg("--html");
        if (snapshotPath is null || outPath is null)
        {
            Console.Error.WriteLine("usage: Reporting render --snapshot snapshot.json --out report.pdf [--html report.html]");
            return 2;
        }
        var snapshot = JsonSerializer.Deserialize(File.ReadAllBytes(snapshotPath), Json.Info<ReportSnapshot>())
            ?? throw new InvalidDataException($"{snapshotPath} is not a report snapshot.");
        var options = new ReportOptions
        {
            FontPath = Environment.GetEnvironmentVariable("Report__FontPath"),
            BoldFontPath = Environment.GetEnvironmentVariable("Report__BoldFontPath"),
            FallbackFontPath = Environment.GetEnvironmentVariable("Report__FallbackFontPath"),
        };
        var renderer = new ReportRenderer(new ReportDocument(new ReportFonts(Options.Create(options))));
        var artifacts = renderer.Render(snapshot);
        File.WriteAllBytes(outPath, artifacts.Pdf);
        if (htmlPath is not null) File.WriteAllBytes(htmlPath, artifacts.Html);
        Console.WriteLine($"{outPath}: {artifacts.Pdf.Length} bytes, snapshot SHA-256 {artifacts.SnapshotSha256}");
        return 0;
    }
}
