using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Reports;
using Reporting.Infrastructure;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>The same snapshot gives the same bytes: a published report can be reproduced and verified from its data.</summary>
public sealed class ReportDeterminismTests(ReportDeterminismTests.WithData data) : IClassFixture<ReportDeterminismTests.WithData>
{
    public sealed class WithData : IAsyncLifetime
    {
        public ReportingApp App { get; } = new();
        public ReportSnapshot Snapshot { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await SampleData.SubmitAsync(App);
            Snapshot = await App.Services.GetRequiredService<ReportService>().BuildSnapshotAsync(2025, "test");
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    private ReportService Service => data.App.Services.GetRequiredService<ReportService>();

    [Fact]
    public void SameSnapshot_RendersByteIdenticalPdfCsvAndJson()
    {
        var first = Service.Render(data.Snapshot);
        var second = Service.Render(data.Snapshot);
        Assert.Equal(first.SnapshotSha256, second.SnapshotSha256);
        Assert.True(first.Pdf.AsSpan().SequenceEqual(second.Pdf), "two renderings of one snapshot differ");
        Assert.Equal(first.SummaryCsv, second.SummaryCsv);
        Assert.Equal(first.SummaryJson, second.SummaryJson);
    }

    [Fact]
    public void RenderingsRunningAtOnce_EachGiveTheSameBytes()
    {
        // Before charts were drawn one at a time, 16 renderings on 8 threads gave 13 different PDFs of ~490 KB.
        var reference = Service.Render(data.Snapshot).Pdf;
        var results = new System.Collections.Concurrent.ConcurrentBag<byte[]>();
        Parallel.For(0, 12, new ParallelOptions { MaxDegreeOfParallelism = 6 }, _ => results.Add(Service.Render(data.Snapshot).Pdf));
        Assert.All(results, pdf => Assert.True(pdf.AsSpan().SequenceEqual(reference), $"{pdf.Length} bytes against {reference.Length}"));
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
        Assert.Contains(Pdf.Flat(JapanTime.DateLabel(data.Snapshot.GeneratedAt)), text);

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
        var file = Path.Combine(Path.GetTempPath(), $"reporting-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            var fonts = Pdf.Run("pdffonts", file).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
            Assert.NotEmpty(fonts);
            // Every embedded font is a subset ("emb sub" both yes), named with the six-letter subset tag.
            Assert.All(fonts, f => Assert.Matches(@"^[A-Z]{6}\+BIZUDPGothic-\S+\s.*\byes\s+yes\s+yes\b", f));
        }
        finally
        {
            File.Delete(file);
        }
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
