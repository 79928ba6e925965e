using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Indicators;
using Reporting.Features.Reports;
using Reporting.Features.Reports.Rendering;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>
/// The white-paper structure of a report with five years of data, one revised value and one indicator with gaps:
/// contents with working links and right page numbers, running headers, appendices.
/// </summary>
public sealed partial class ReportStructureTests(ReportStructureTests.WithData data) : IClassFixture<ReportStructureTests.WithData>
{
    public sealed class WithData : IAsyncLifetime
    {
        public ReportingApp App { get; } = new();
        public ReportSnapshot Snapshot { get; private set; } = null!;
        public byte[] Pdf { get; private set; } = [];
        public string[] Pages { get; private set; } = [];

        public async Task InitializeAsync()
        {
            await SampleData.SubmitAsync(App);
            var mext = App.AsAgency("MEXT");
            // A revision (shows in the revision log) ...
            await mext.PutAsync("/api/indicators/research-time-share/values/2024",
                new StringContent("""{"value": 27.9, "note": "確報値に更新"}""", Encoding.UTF8, "application/json"));
            // ... and a provisional value (marked in the report).
            await mext.PutAsync("/api/indicators/women-professors-share/values/2025",
                new StringContent("""{"value": 20.4, "status": "provisional", "note": "速報"}""", Encoding.UTF8, "application/json"));
            var service = App.Services.GetRequiredService<ReportService>();
            Snapshot = await service.BuildSnapshotAsync(2025, "test");
            // ... and a gap (shows in the completeness appendix): drop 2022–2023 of one series from the snapshot.
            Snapshot = Snapshot with
            {
                Indicators = Snapshot.Indicators.Select(i => i.Definition.Id != "pph-partner-rank" ? i : i with
                {
                    Series = i.Series.Select(s => s with { Values = s.Values.Where(v => v.Year is not (2022 or 2023)).ToList() }).ToList(),
                }).ToList(),
            };
            Pdf = service.Render(Snapshot).Pdf;
            if (Environment.GetEnvironmentVariable("REPORTING_SAVE_PDF_DIR") is { Length: > 0 } dir)
            {
                Directory.CreateDirectory(dir);
                File.WriteAllBytes(Path.Combine(dir, "report-structure.pdf"), Pdf);
            }
            var file = Path.Combine(Path.GetTempPath(), $"reporting-{Guid.NewGuid():N}.pdf");
            File.WriteAllBytes(file, Pdf);
            Pages = Reports.Pdf.Run("pdftotext", "-raw", "-enc", "UTF-8", file, "-").Split('\f');
            File.Delete(file);
            if (Pages[^1].Trim().Length == 0) Pages = Pages[..^1];
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    [GeneratedRegex(@"^(?<title>\d-\d+\s.+?|第\d章.+?|付録[ABC].+?|概要)\s(?<page>\d+)$", RegexOptions.Multiline)]
    private static partial Regex TocLine();

    [Fact]
    public void Contents_ListsEveryChapterSectionAndAppendix_WithThePageItStartsOn()
    {
        // A long title wraps: join each line that does not end with a page number to the next.
        var toc = Regex.Replace(data.Pages[1], @"(?<!\d)\n(?!\d-\d|第\d章|付録|概要)", "");
        Assert.Contains("目次", toc);
        var entries = TocLine().Matches(toc).Select(m => (Title: m.Groups["title"].Value, Page: int.Parse(m.Groups["page"].Value))).ToList();
        Assert.Equal(1 + 3 + PlanCatalog.Indicators.Count + 3, entries.Count);
        foreach (var (title, page) in entries)
        {
            // The heading is on that page, right after the running header and page number.
            var lines = data.Pages[page - 1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Any(l => Flat(l).StartsWith(Flat(title)[..Math.Min(12, Flat(title).Length)])), $"'{title}' is not on page {page}");
        }
    }

    [Fact]
    public void Contents_EntriesAndTheSummaryTablesIndicators_AreLinksToNamedDestinations()
    {
        var raw = Encoding.Latin1.GetString(data.Pdf);
        var links = Regex.Matches(raw, @"/Subtype /Link").Count;
        // The contents (summary, chapters, indicators, appendices) and, in 表序-2, each indicator's name.
        Assert.Equal(1 + 3 + PlanCatalog.Indicators.Count + 3 + PlanCatalog.Indicators.Count, links);
        foreach (var indicator in PlanCatalog.Indicators)
        {
            Assert.Contains($"indicator-{indicator.Id}", raw); // destination name, in the link and in the Dests tree
        }
        Assert.Contains("/Dests", raw);
    }

    [Fact]
    public void EveryPageButTheCover_HasTheRunningHeaderAndItsNumber()
    {
        Assert.DoesNotContain("フォローアップ報告書（令和7年度", data.Pages[0]);
        for (var n = 2; n <= data.Pages.Length; n++)
        {
            var lines = data.Pages[n - 1].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("第7期科学技術・イノベーション基本計画 フォローアップ報告書（令和7年度（2025年度））", lines[0]);
            Assert.Equal($"{n} / {data.Pages.Length}", lines[1]);
        }
    }

    [Fact]
    public void TheIndicatorTable_RepeatsItsHeaderRowOnEveryPageItCrosses()
    {
        Assert.Contains("No. 指標 最新値 基準値 目標 評価", data.Pages[2]);
        Assert.Contains("Top10%補正論文数", data.Pages[2]);
        // The summary table continues on page 4 and starts there with its header row again.
        Assert.Contains("官民研究開発投資額", data.Pages[3]);
        Assert.Contains("No. 指標 最新値 基準値 目標 評価", data.Pages[3]);
    }

    [Fact]
    public void NoHeadingIsLeftAloneAtTheBottomOfAPage()
    {
        var fonts = data.App.Services.GetRequiredService<ReportFonts>();
        using var ctx = new RenderContext(fonts.Full, fonts.Cover);
        var page = PageGeometry.A4;
        var flow = PdfFlow.Map(ReportComposer.Compose(data.Snapshot, new string('0', 64))).Flow;
        var pages = Paginator.Paginate(ctx, flow, page.ContentWidth, page.ContentHeight);
        Assert.All(pages, p => Assert.IsNotType<Heading>(p.Items[^1].Element));
        Assert.All(pages, p => Assert.IsNotType<Caption>(p.Items[^1].Element));
        Assert.All(pages, p => Assert.True(p.Items.Max(i => i.Y + i.Element.Measure(ctx, page.ContentWidth)) <= page.ContentHeight + 0.01f));
    }

    [Fact]
    public void EachIndicatorSection_ShowsTheLastFiveYears_TheTargetPath_AndTheSource()
    {
        var all = Pdf.Flat(string.Join("", data.Pages));
        foreach (var year in Enumerable.Range(2021, 5))
        {
            Assert.Contains($"{year}（{Reporting.Infrastructure.JapanTime.EraYear(year)}）年度", all);
        }
        Assert.Contains("目標への経路", all);
        Assert.Contains(Pdf.Flat("資料：国際研究交流の概況（文部科学省）"), all);
        Assert.Contains("府省からの備考", all);
        Assert.Contains("確報値に更新", all); // the agency's note
    }

    [Fact]
    public void Appendices_ShowTheCalculation_TheGaps_AndTheRevision()
    {
        var pages = data.Pages.Select(Pdf.Flat).ToList();
        var method = string.Concat(pages.SkipWhile(p => !p.Contains("付録A評価の方法と計算結果")));
        Assert.Contains("各指標の計算結果", method);
        Assert.Contains("成長率比", method);
        Assert.Contains("順位の維持", method);

        var completeness = string.Concat(pages.SkipWhile(p => !p.Contains("府省別の状況")).TakeWhile(p => !p.Contains("付録C改訂履歴")));
        Assert.Contains("2022、2023", completeness);   // the gap of PPH
        Assert.Contains("2024（第2版）", completeness); // the revised value

        var revisions = pages.Last(p => p.Contains("付録C改訂履歴"));
        Assert.Contains("第1・2グループ等の大学の研究時間", revisions);
        Assert.Contains("確報値に更新", revisions);
        Assert.Contains("27.9%", revisions);
    }

    [Fact]
    public void ProvisionalValues_AreMarkedInTheReport_AndCountedInTheCompletenessAppendix()
    {
        var all = Pdf.Flat(string.Join("", data.Pages));
        Assert.Contains("20.4%（速報）", all);
        Assert.Contains("速報値の年", all);
    }

    [GeneratedRegex(@"^(?<kind>[図表])(?<chapter>序|\d|[ABC])-(?<n>\d+)\s", RegexOptions.Multiline)]
    private static partial Regex CaptionLine();

    /// <summary>Every caption in reading order, with the text that follows it up to the next caption.</summary>
    private List<(string Kind, string Chapter, int N, string After)> Captions()
    {
        var text = string.Join("\n", data.Pages);
        var matches = CaptionLine().Matches(text).ToList();
        return matches.Select((m, k) => (m.Groups["kind"].Value, m.Groups["chapter"].Value, int.Parse(m.Groups["n"].Value),
            text[m.Index..(k + 1 < matches.Count ? matches[k + 1].Index : text.Length)])).ToList();
    }

    [Fact]
    public void FiguresAndTables_AreNumberedInOrderWithinEachChapter_WithATitle()
    {
        var captions = Captions();
        // Each indicator: its info table, its chart, its five-year table; plus the overview's two tables and the appendices'.
        var revisionTables = data.Snapshot.CatalogChanges is { Count: > 0 } ? 2 : 1;
        Assert.Equal(2 * PlanCatalog.Indicators.Count + 2 + 1 + 2 + revisionTables, captions.Count(c => c.Kind == "表"));
        Assert.Equal(PlanCatalog.Indicators.Count, captions.Count(c => c.Kind == "図"));
        foreach (var group in captions.GroupBy(c => (c.Kind, c.Chapter)))
        {
            // 表1-1, 表1-2, … with no gap and no repeat, in reading order.
            Assert.Equal(Enumerable.Range(1, group.Count()), group.Select(c => c.N));
        }
        Assert.All(captions, c => Assert.True(Flat(c.After).Length > 8, $"{c.Kind}{c.Chapter}-{c.N} has no title"));
    }

    [Fact]
    public void EveryFigure_HasItsNotesAndSourceBelowIt_AndEveryFiveYearTableItsSource()
    {
        foreach (var (kind, chapter, n, after) in Captions().Where(c => c.Chapter is not ("序" or "A" or "B" or "C")))
        {
            var flat = Flat(after);
            if (kind == "図")
            {
                Assert.True(flat.Contains("注）実線は提出された値"), $"図{chapter}-{n} has no 注）");
                Assert.True(flat.Contains("資料："), $"図{chapter}-{n} has no 資料：");
            }
            else if (flat.Contains("直近5年の値"))
            {
                Assert.True(flat.Contains("資料："), $"表{chapter}-{n} has no 資料：");
            }
        }
    }

    [Fact]
    public void TheOutline_HasEveryChapterIndicatorAndAppendix_EachOpeningItsPage()
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(data.Pdf);
        Assert.True(document.TryGetBookmarks(out var bookmarks), "the PDF has no outline");
        var roots = bookmarks.Roots.ToList();
        Assert.Equal(["概要", "第1章", "第2章", "第3章", "付録A", "付録B", "付録C"], roots.Select(r => r.Title.Split('　', ' ')[0]).ToList());
        var sections = roots.SelectMany(r => r.Children).ToList();
        Assert.Equal(PlanCatalog.Indicators.Count, sections.Count);
        Assert.Equal(PlanCatalog.Indicators.Select(i => i.Name), sections.Select(s => s.Title[(s.Title.IndexOf('　') + 1)..]));
        foreach (var node in roots.Concat(sections).Cast<UglyToad.PdfPig.Outline.DocumentBookmarkNode>())
        {
            // The bookmark opens the page the heading is on.
            Assert.Contains(Flat(node.Title), Flat(data.Pages[node.PageNumber - 1]));
        }
    }

    [Fact]
    public void TheDocument_DeclaresItsLanguage_CarriesXmpMetadata_AndShowsItsTitle()
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(data.Pdf);
        var catalog = document.Structure.Catalog.CatalogDictionary;
        Assert.True(catalog.TryGet(UglyToad.PdfPig.Tokens.NameToken.Create("Lang"), out UglyToad.PdfPig.Tokens.StringToken lang));
        Assert.Equal("ja-JP", lang.Data);
        Assert.True(catalog.TryGet(UglyToad.PdfPig.Tokens.NameToken.Create("ViewerPreferences"), out UglyToad.PdfPig.Tokens.DictionaryToken preferences));
        Assert.True(preferences.TryGet(UglyToad.PdfPig.Tokens.NameToken.Create("DisplayDocTitle"), out UglyToad.PdfPig.Tokens.BooleanToken display) && display.Data);

        const string title = "第7期科学技術・イノベーション基本計画 フォローアップ報告書（令和7年度（2025年度））";
        Assert.Equal(title, document.Information.Title);
        Assert.True(document.TryGetXmpMetadata(out var xmp), "no XMP metadata stream");
        var xml = System.Text.Encoding.UTF8.GetString(xmp.GetXmlBytes().ToArray());
        Assert.Contains(title, xml);
        Assert.Contains("<rdf:li>ja-JP</rdf:li>", xml);
        // The same instant in the Info dictionary and the XMP packet, in UTC.
        Assert.Contains(data.Snapshot.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), xml);
        Assert.StartsWith(data.Snapshot.GeneratedAt.UtcDateTime.ToString("'D:'yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture), document.Information.CreationDate);
    }

    [Fact]
    public void EveryWordIsFoundBySearch_BecauseGlyphsAreSetAtTheirOwnAdvances()
    {
        // Before: hinted whole-point advances split words for extractors (イノベーション found 15 times out of 44).
        var raw = string.Join("", data.Pages);
        var layout = Pdf.Text(data.Pdf, raw: false);
        foreach (var word in new[] { "イノベーション", "フォローアップ", "スマートシティ", "研究開発投資" })
        {
            var expected = Regex.Count(Flat(raw), word);
            Assert.True(expected > 0, word);
            Assert.Equal(expected, Regex.Count(layout.Replace("\n", ""), word));
        }
    }

    private static string Flat(string s) => Pdf.Flat(s);
}
