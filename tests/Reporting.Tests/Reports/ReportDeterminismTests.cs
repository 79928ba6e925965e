using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Reports;
using Reporting.Infrastructure;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>The same snapshot gives the same bytes: a published report can be reproduced and verified from its data.</summary>
public sealed class ReportDeterminismTests(SampleSnapshot data) : IClassFixture<SampleSnapshot>
{
    private ReportService Service => data.App.Services.GetRequiredService<ReportService>();

    [Fact]
    public void SameSnapshot_RendersByteIdenticalPdfHtmlCsvAndJson()
    {
        var first = Service.Render(data.Snapshot);
        var second = Service.Render(data.Snapshot);
        Assert.Equal(first.SnapshotSha256, second.SnapshotSha256);
        Assert.True(first.Pdf.AsSpan().SequenceEqual(second.Pdf), "two renderings of one snapshot differ");
        Assert.True(first.Html.AsSpan().SequenceEqual(second.Html), "two HTML editions of one snapshot differ");
        Assert.Equal(first.SummaryCsv, second.SummaryCsv);
        Assert.Equal(first.SummaryJson, second.SummaryJson);
    }

    [Fact]
    public void RenderingsRunningAtOnce_EachGiveTheSameBytes()
    {
        // Before charts were drawn one at a time, 16 renderings on 8 threads gave 13 different PDFs of ~490 KB.
        var reference = Service.Render(data.Snapshot);
        var results = new System.Collections.Concurrent.ConcurrentBag<ReportArtifacts>();
        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 6 }, _ => results.Add(Service.Render(data.Snapshot)));
        Assert.All(results, r => Assert.True(r.Pdf.AsSpan().SequenceEqual(reference.Pdf), $"{r.Pdf.Length} bytes against {reference.Pdf.Length}"));
        Assert.All(results, r => Assert.True(r.Html.AsSpan().SequenceEqual(reference.Html), $"HTML: {r.Html.Length} bytes against {reference.Html.Length}"));
    }

    /// <summary>
    /// The machine has Debian's Noto Sans CJK installed system-wide (scripts/test.sh installs it): a chart or a text run
    /// falling back to a system face, or faces registered process-wide while renderings run at once, would change the
    /// bytes and embed a face of the machine. Two different reports are rendered at once, many times over.
    /// </summary>
    [Fact]
    public void OnAMachineWithSystemCjkFonts_RenderingsRunningAtOnce_UseOnlyTheReportsOwnFaces()
    {
        Assert.True(Pdf.Run("fc-list").Contains("Noto Sans CJK", StringComparison.Ordinal),
            "Noto Sans CJK is not installed system-wide: scripts/test.sh installs fonts-noto-cjk so this test means something");
        var other = data.Snapshot with { FiscalYear = 2024, Indicators = data.Snapshot.Indicators.Take(6).ToList() };
        var references = new[] { Service.Render(data.Snapshot).Pdf, Service.Render(other).Pdf };
        var results = new System.Collections.Concurrent.ConcurrentBag<(int Which, byte[] Pdf)>();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => results.Add((i % 2, Service.Render(i % 2 == 0 ? data.Snapshot : other).Pdf)));
        Assert.All(results, r => Assert.True(r.Pdf.AsSpan().SequenceEqual(references[r.Which]), $"rendering {r.Which}: {r.Pdf.Length} bytes against {references[r.Which].Length}"));
        foreach (var pdf in references)
        {
            Assert.All(EmbeddedFonts(pdf), f => Assert.Matches(@"^[A-Z]{6}\+(BIZUDPGothic|NotoSansJP)-\S+\s.*\byes\s+yes\s+yes\b", f));
        }
    }

    [Fact]
    public void RenderingUnderAGermanCulture_GivesTheSameBytes()
    {
        var reference = Service.Render(data.Snapshot);
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var german = Service.Render(data.Snapshot);
            Assert.True(german.Pdf.AsSpan().SequenceEqual(reference.Pdf), "the report depends on the caller's culture");
            Assert.True(german.Html.AsSpan().SequenceEqual(reference.Html), "the HTML edition depends on the caller's culture");
            Assert.DoesNotContain("16.000", Pdf.Text(german.Pdf));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    private static List<string> EmbeddedFonts(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"reporting-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var fonts = Pdf.Run("pdffonts", file).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
            Assert.NotEmpty(fonts);
            return fonts;
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void SnapshotReadBackFromJson_RendersTheSamePdf()
    {
        var first = Service.Render(data.Snapshot);
        var roundTripped = JsonSerializer.Deserialize<ReportSnapshot>(first.SnapshotJson, Json.Options)!;
        var again = Service.Render(roundTripped);
        Assert.True(first.Pdf.AsSpan().SequenceEqual(again.Pdf), "a snapshot read back from storage renders differently");
    }

    [Fact]
    public void Pdf_PrintsTheSnapshotsSha256_AndTakesItsDatesFromTheSnapshot()
    {
        var artifacts = Service.Render(data.Snapshot);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(artifacts.SnapshotJson)), artifacts.SnapshotSha256);
        var text = Pdf.Flat(Pdf.Text(artifacts.Pdf));
        Assert.Contains(artifacts.SnapshotSha256, text);
        Assert.Contains(Pdf.Flat(JapanTime.EraDateLabel(data.Snapshot.GeneratedAt)), text);

        var later = data.Snapshot with { GeneratedAt = data.Snapshot.GeneratedAt.AddDays(1) };
        var other = Service.Render(later);
        Assert.NotEqual(artifacts.SnapshotSha256, other.SnapshotSha256);
        Assert.False(artifacts.Pdf.AsSpan().SequenceEqual(other.Pdf));
    }

    [Fact]
    public void FullReport_WithFiveYearsForEveryIndicator_IsAtMost400KB_WithOnlySubsetFonts()
    {
        var pdf = Service.Render(data.Snapshot).Pdf;
        Assert.True(pdf.Length <= 400 * 1024, $"PDF is {pdf.Length:N0} bytes");
        // Every embedded font is a subset ("emb sub" both yes), named with the six-letter subset tag.
        Assert.All(EmbeddedFonts(pdf), f => Assert.Matches(@"^[A-Z]{6}\+BIZUDPGothic-\S+\s.*\byes\s+yes\s+yes\b", f));
    }

    [Fact]
    public void SummaryCsv_IsUtf8WithBom_CrLf_AndOneRowPerSeries()
    {
        var csv = Service.Render(data.Snapshot).SummaryCsv;
        Assert.Equal([0xEF, 0xBB, 0xBF], csv[..3]);
        var text = System.Text.Encoding.UTF8.GetString(csv, 3, csv.Length - 3);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("番号,指標ID,観点,指標,系列ID,系列,最新値", lines[0]);
        Assert.Equal(1 + data.Snapshot.Indicators.Sum(i => i.Series.Count), lines.Length);
        Assert.Contains(lines, l => l.StartsWith("6,doctoral-students-degrees,") && l.Contains("博士課程入学者数"));
        Assert.DoesNotContain('\n', text.Replace("\r\n", ""));
    }
}
