using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig;

namespace Reporting.Tests.Reports;

/// <summary>
/// The report PDF is a tagged PDF a screen reader can follow (PDF/UA-1): the catalog declares it, every letter drawn is
/// inside a structure element or an artifact, headings come in order, tables have captions and header cells with their
/// scope, every figure and formula has alternative text, every link is in the tree. Checked with PdfPig (the tree, the
/// marked content of every page) and poppler's <c>pdfinfo</c>, on the structure report (fast tier) and on the demo and
/// stress reports (<see cref="TaggedRenderedReportsTests"/>).
/// </summary>
public sealed class TaggedPdfTests(ReportStructureTests.WithData data) : IClassFixture<ReportStructureTests.WithData>
{
    [Fact]
    public void TheCatalog_DeclaresATaggedPdfUa1Document_InJapanese_ShowingItsTitle() => TaggedPdfChecks.DeclaresPdfUa(data.Pdf);

    [Fact]
    public void EveryLetterOnEveryPage_IsInAStructureElementOrAnArtifact_AndTheParentTreeAgrees() => TaggedPdfChecks.EveryLetterIsMarked(data.Pdf);

    [Fact]
    public void Headings_AreH1ThenChaptersThenSections_InTheOrderTheyAreRead() => TaggedPdfChecks.HeadingsInOrder(data.Pdf);

    [Fact]
    public void EveryTable_HasItsCaption_ColumnHeaders_AndARowHeaderInEveryRow() => TaggedPdfChecks.TablesHaveCaptionsAndHeaders(data.Pdf);

    [Fact]
    public void EveryFigureAndFormula_HasAlternativeText() => TaggedPdfChecks.FiguresAndFormulasHaveAlternativeText(data.Pdf);

    [Fact]
    public void EveryLink_IsALinkElementHoldingItsAnnotation_AndEveryNoteHasAnId() => TaggedPdfChecks.LinksAndNotesAreTagged(data.Pdf);

    [Fact]
    public void PopplersStructureText_ShowsEachIndicatorAsASectionWithItsHeadingTablesAndFigure()
    {
        var tree = TaggedPdfChecks.StructureText(data.Pdf);
        Assert.StartsWith("Document", tree);
        // One indicator's section, as a screen reader walks it: heading, its table with caption and header cells, the
        // note, the figure with its caption and box, its notes, the five-year table.
        var section = tree[tree.IndexOf("\"1-1　Top10%補正論文数\"", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("H3 (block)", StringComparison.Ordinal)];
        string[] order = ["Table (block)", "Caption", "表1-1　Top10%補正論文数：目標と進捗", "THead", "TH:", "/Scope /Column", "TBody", "/Scope /Row", "TD",
            "Note", "Div", "Caption", "図1-1　Top10%補正論文数の推移", "Figure:", "/BBox", "Note", "資料：", "Table (block)", "表1-2"];
        var at = 0;
        foreach (var part in order)
        {
            var found = section.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' does not follow in:\n{section}");
            at = found;
        }
        Assert.Equal(5, Regex.Matches(tree, @"^\s*Formula\b", RegexOptions.Multiline).Count);
    }

    [Fact]
    public void RunningHeadersAndPageNumbers_AreArtifacts_AndARepeatedTableHeaderIsNotReadTwice()
    {
        using var pdf = PdfDocument.Open(data.Pdf);
        var tagged = new TaggedPdf(pdf);
        var text = TaggedPdfChecks.TextByElement(pdf, tagged);
        var all = text(tagged.Root);
        Assert.DoesNotContain("/ 28", all);
        Assert.DoesNotContain("フォローアップ報告書（令和7年度（2025年度））", all);
        // 表序-2 crosses a page and repeats its header row there: the structure has it once.
        var list = tagged.Root.Descendants().Single(n => n.Type == "Table" && text(n.Kids[0]).StartsWith("表序-2", StringComparison.Ordinal));
        Assert.Single(list.Kids, k => k.Type == "THead");
        Assert.Single(Regex.Matches(text(list), "最新値基準値目標"));
    }
}

[Trait("Tier", "Full")]
[Collection(RenderedReports.Name)]
public sealed class TaggedRenderedReportsTests(DemoReport demo, StressReportTests.WithReport stress)
{
    private byte[] Report(string which) => which == "demo" ? demo.Pdf : stress.Pdf;

    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public void TheCatalog_DeclaresATaggedPdfUa1Document(string which) => TaggedPdfChecks.DeclaresPdfUa(Report(which));

    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public void EveryLetterOnEveryPage_IsInAStructureElementOrAnArtifact(string which) => TaggedPdfChecks.EveryLetterIsMarked(Report(which));

    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public void Headings_AreInReadingOrder(string which) => TaggedPdfChecks.HeadingsInOrder(Report(which));

    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public void Tables_HaveCaptionsAndHeaderCells(string which) => TaggedPdfChecks.TablesHaveCaptionsAndHeaders(Report(which));

    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public void FiguresAndFormulas_HaveAlternativeText(string which) => TaggedPdfChecks.FiguresAndFormulasHaveAlternativeText(Report(which));

    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public void LinksAndNotes_AreTagged(string which) => TaggedPdfChecks.LinksAndNotesAreTagged(Report(which));
}

public static partial class TaggedPdfChecks
{
    public static void DeclaresPdfUa(byte[] bytes)
    {
        var info = PdfInfo(bytes);
        Assert.Contains("Tagged:          yes", info);
        Assert.Contains("Suspects:        no", info);
        using var pdf = PdfDocument.Open(bytes);
        var tagged = new TaggedPdf(pdf);
        var catalog = tagged.Catalog;
        Assert.Equal("ja-JP", tagged.Text(catalog, "Lang"));
        Assert.Equal("true", tagged.Resolve(tagged.Dict(tagged.Get(catalog, "MarkInfo")!).Data["Marked"]).ToString(), ignoreCase: true);
        Assert.Equal("true", tagged.Resolve(tagged.Dict(tagged.Get(catalog, "ViewerPreferences")!).Data["DisplayDocTitle"]).ToString(), ignoreCase: true);
        Assert.NotNull(tagged.Get(catalog, "Outlines"));
        Assert.Equal("Document", tagged.Root.Type);
        // The XMP packet (not compressed, as PDF/UA asks of metadata a reader should find) declares PDF/UA-1 and the title.
        var raw = Encoding.UTF8.GetString(bytes);
        Assert.Contains("<pdfuaid:part>1</pdfuaid:part>", raw);
        Assert.Contains("<dc:title>", raw);
        for (var p = 1; p <= pdf.NumberOfPages; p++)
        {
            var page = tagged.Dict(((UglyToad.PdfPig.Tokens.ArrayToken)tagged.Resolve(tagged.Dict(tagged.Get(catalog, "Pages")!).Data["Kids"])).Data[p - 1]);
            Assert.Equal("S", tagged.Name(page, "Tabs"));
            Assert.NotNull(tagged.Get(page, "StructParents"));
        }
    }

    public static void EveryLetterIsMarked(byte[] bytes)
    {
        using var pdf = PdfDocument.Open(bytes);
        var tagged = new TaggedPdf(pdf);
        var inTree = tagged.Root.SelfAndDescendants().SelectMany(n => n.Content.Select(c => (c.Page, c.Mcid, Node: n))).ToList();
        Assert.Equal(inTree.Count, inTree.Select(c => (c.Page, c.Mcid)).Distinct().Count());
        foreach (var page in pdf.GetPages())
        {
            var marked = Flatten(page.GetMarkedContents()).ToList();
            var letters = marked.Sum(m => m.Letters.Count);
            Assert.True(letters == page.Letters.Count, $"page {page.Number}: {page.Letters.Count - letters} letters drawn outside any structure element or artifact");
            var owners = tagged.ParentTree[page.Number];
            var mcids = new HashSet<int>();
            foreach (var m in page.GetMarkedContents())
            {
                if (m.IsArtifact) continue;
                Assert.True(m.MarkedContentIdentifier >= 0, $"page {page.Number}: content marked {m.Tag} without an MCID");
                Assert.True(m.MarkedContentIdentifier < owners.Count, $"page {page.Number}: MCID {m.MarkedContentIdentifier} is not in the parent tree");
                var owner = owners[m.MarkedContentIdentifier];
                Assert.NotNull(owner);
                Assert.Equal(owner!.Type, m.Tag);
                Assert.Contains((page.Number, m.MarkedContentIdentifier), owner.Content);
                mcids.Add(m.MarkedContentIdentifier);
            }
            Assert.Equal(inTree.Where(c => c.Page == page.Number).Select(c => c.Mcid).Order(), mcids.Order());
        }
    }

    public static void HeadingsInOrder(byte[] bytes)
    {
        using var pdf = PdfDocument.Open(bytes);
        var tagged = new TaggedPdf(pdf);
        var text = TextByElement(pdf, tagged);
        var headings = tagged.Root.SelfAndDescendants().Where(n => n.Type is "H1" or "H2" or "H3").Select(n => (n.Type, Text: text(n))).ToList();
        Assert.Equal("H1", headings[0].Type);
        Assert.Equal("第7期科学技術・イノベーション基本計画フォローアップ報告書", headings[0].Text);
        Assert.Single(headings, h => h.Type == "H1");
        var chapters = headings.Where(h => h.Type == "H2").Select(h => h.Text).ToList();
        Assert.Equal(["目次", "概要", "第1章", "第2章", "第3章", "付録A", "付録B", "付録C"], chapters.Select(c => c.Length > 3 && c.StartsWith('第') ? c[..3] : c.StartsWith("付録", StringComparison.Ordinal) ? c[..3] : c));
        // Sections only under chapters, never before the first chapter's heading.
        var firstChapter = headings.FindIndex(h => h.Text.StartsWith("第1章", StringComparison.Ordinal));
        Assert.DoesNotContain(headings.Take(firstChapter), h => h.Type == "H3");
        Assert.Equal(18, headings.Count(h => h.Type == "H3" && IndicatorSection().IsMatch(h.Text)));
        // Reading order is the order on the pages: each heading is found in the page text after the one before it.
        var pageText = Pdf.Flat(Pdf.Text(bytes));
        var at = 0;
        foreach (var (_, title) in headings.Skip(2))
        {
            var found = pageText.IndexOf(Pdf.Flat(title), at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{title}' is not read after the heading before it");
            at = found;
        }
    }

    public static void TablesHaveCaptionsAndHeaders(byte[] bytes)
    {
        using var pdf = PdfDocument.Open(bytes);
        var tagged = new TaggedPdf(pdf);
        var text = TextByElement(pdf, tagged);
        var tables = tagged.Root.Descendants().Where(n => n.Type == "Table").ToList();
        var numbers = TableNumber().Matches(Pdf.Text(bytes)).Select(m => m.Value).Distinct().ToList();
        Assert.Equal(numbers.Count, tables.Count);
        foreach (var table in tables)
        {
            Assert.Equal("Caption", table.Kids[0].Type);
            var caption = text(table.Kids[0]);
            Assert.Matches(TableNumber(), caption);
            var head = Assert.Single(table.Kids, k => k.Type == "THead");
            var header = Assert.Single(head.Kids);
            Assert.Equal("TR", header.Type);
            Assert.All(header.Kids, th => Assert.Equal(("TH", "Column"), (th.Type, th.Scope)));
            Assert.All(header.Kids, th => Assert.NotEmpty(text(th)));
            var body = Assert.Single(table.Kids, k => k.Type == "TBody");
            Assert.NotEmpty(body.Kids);
            foreach (var row in body.Kids)
            {
                Assert.Equal("TR", row.Type);
                Assert.True(row.Kids.Count == header.Kids.Count, $"{caption}: a row of {row.Kids.Count} cells under {header.Kids.Count} headers");
                Assert.Single(row.Kids, c => c.Type == "TH" && c.Scope == "Row");
                Assert.All(row.Kids, c => Assert.Contains(c.Type, new[] { "TH", "TD" }));
            }
        }
    }

    public static void FiguresAndFormulasHaveAlternativeText(byte[] bytes)
    {
        using var pdf = PdfDocument.Open(bytes);
        var tagged = new TaggedPdf(pdf);
        var figures = tagged.Root.Descendants().Where(n => n.Type == "Figure").ToList();
        Assert.Equal(FigureNumber().Matches(Pdf.Text(bytes)).Select(m => m.Value).Distinct().Count(), figures.Count);
        Assert.All(figures, f =>
        {
            Assert.True(f.Alt is { Length: > 8 } && (f.Alt.Contains("折れ線グラフ", StringComparison.Ordinal) || f.Alt.StartsWith("データなし", StringComparison.Ordinal)), f.Alt);
            Assert.True(f.HasBBox);
            Assert.NotEmpty(f.Content);
        });
        // A chart with values says them: the figures it was drawn from follow its description.
        Assert.Contains(figures, f => f.Alt!.Contains("データ：", StringComparison.Ordinal));
        var formulas = tagged.Root.Descendants().Where(n => n.Type == "Formula").ToList();
        Assert.Equal(5, formulas.Count);
        Assert.All(formulas, f => Assert.Matches(@"^式\(\d\)：.+=", f.Alt ?? ""));
    }

    public static void LinksAndNotesAreTagged(byte[] bytes)
    {
        using var pdf = PdfDocument.Open(bytes);
        var tagged = new TaggedPdf(pdf);
        var links = tagged.Root.Descendants().Where(n => n.Type == "Link").ToList();
        var annotations = Regex.Matches(Encoding.Latin1.GetString(bytes), @"/Subtype /Link").Count;
        Assert.Equal(annotations, links.Sum(l => l.Annotations.Count));
        Assert.Equal(Enumerable.Range(0, annotations), links.SelectMany(l => l.Annotations).Order());
        Assert.All(links, l => Assert.NotEmpty(l.Content));
        Assert.Equal(annotations, Regex.Matches(Encoding.Latin1.GetString(bytes), @"/Subtype /Link [^>]*/Contents <FEFF[0-9A-F]+> /StructParent \d+").Count);
        var notes = tagged.Root.Descendants().Where(n => n.Type == "Note").ToList();
        Assert.NotEmpty(notes);
        Assert.All(notes, n => Assert.False(string.IsNullOrEmpty(n.Id)));
        Assert.Equal(notes.Count, notes.Select(n => n.Id).Distinct().Count());
    }

    /// <summary>The text of an element and its descendants, from the letters in its marked content.</summary>
    public static Func<StructNode, string> TextByElement(PdfDocument pdf, TaggedPdf tagged)
    {
        var content = new Dictionary<(int, int), string>();
        foreach (var page in pdf.GetPages())
        {
            foreach (var m in page.GetMarkedContents().Where(m => !m.IsArtifact))
            {
                content[(page.Number, m.MarkedContentIdentifier)] = string.Concat(Flatten([m]).SelectMany(x => x.Letters).Select(l => l.Value));
            }
        }
        return node => string.Concat(node.SelfAndDescendants().SelectMany(n => n.Content).Select(c => content.GetValueOrDefault(c, "")));
    }

    private static IEnumerable<UglyToad.PdfPig.Content.MarkedContentElement> Flatten(IEnumerable<UglyToad.PdfPig.Content.MarkedContentElement> elements) =>
        elements.SelectMany(e => Flatten(e.Children).Prepend(e));

    /// <summary>The structure tree as poppler prints it (<c>pdfinfo -struct-text</c>): types, attributes and each element's text.</summary>
    public static string StructureText(byte[] bytes) => PdfInfo(bytes, "-struct-text");

    private static string PdfInfo(byte[] bytes, params string[] options)
    {
        var file = Path.Combine(Path.GetTempPath(), $"reporting-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, bytes);
        try
        {
            return Pdf.Run("pdfinfo", [.. options, file]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [GeneratedRegex(@"^\d-\d+　")]
    private static partial Regex IndicatorSection();

    [GeneratedRegex(@"表(序|\d|[ABC])-\d+")]
    private static partial Regex TableNumber();

    [GeneratedRegex(@"図\d-\d+")]
    private static partial Regex FigureNumber();
}
