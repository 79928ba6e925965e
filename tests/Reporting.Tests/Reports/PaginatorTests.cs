using Microsoft.Extensions.Options;
using Reporting.Features.Reports;
using Reporting.Features.Reports.Rendering;

namespace Reporting.Tests.Reports;

/// <summary>The layout engine measures first and places after: tables split between rows, headings stay with their content.</summary>
public sealed class PaginatorTests
{
    private static readonly ReportFonts Fonts = new(Options.Create(new ReportOptions()));
    private const float Width = 480;
    private const float Height = 700;

    private static Table LongTable(int rows) => new(
        [new("年度", 1), new("値", 1, Align.Right)],
        Enumerable.Range(0, rows).Select(i => (IReadOnlyList<string>)[$"{2000 + i}年度", $"{i * 1000:N0}人"]).ToList());

    [Fact]
    public void ATableLongerThanAPage_IsSplitBetweenRows_AndEveryPartCarriesTheHeaderRow()
    {
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var pages = Paginator.Paginate(ctx, [new Paragraph("前文", TextStyle.Body), LongTable(120)], Width, Height);

        Assert.True(pages.Count >= 3);
        var parts = pages.SelectMany(p => p.Items).Select(i => i.Element).OfType<Table>().ToList();
        Assert.Equal(pages.Count, parts.Count);
        Assert.Equal(120, parts.Sum(t => t.Rows.Count)); // no row lost or repeated
        Assert.Equal("2000年度", parts[0].Rows[0][0]);
        Assert.Equal($"{2000 + parts[0].Rows.Count}年度", parts[1].Rows[0][0]);
        Assert.All(pages, p => Assert.True(p.Items.Max(i => i.Y + i.Element.Measure(ctx, Width)) <= Height + 0.01f));
    }

    [Fact]
    public void AHeadingNearTheBottom_MovesToTheNextPage_WithWhatFollows()
    {
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var filler = new Spacer(Height - 30);
        var heading = new Heading("1-2　第1・2グループ等の大学の研究時間", new TextStyle(12, Bold: true));
        var body = new Paragraph(string.Concat(Enumerable.Repeat("研究時間の割合を示す。", 20)), TextStyle.Body);
        var pages = Paginator.Paginate(ctx, [new Paragraph("冒頭", TextStyle.Body), filler, heading, body], Width, Height);

        Assert.Equal(2, pages.Count);
        Assert.DoesNotContain(pages[0].Items, i => i.Element is Heading);
        Assert.Same(heading, pages[1].Items[0].Element);
    }

    [Fact]
    public void ATableOfFewRowsTallerThanAPage_StartsBesideItsCaption_AndNoPageHoldsOnlyHeadings()
    {
        // Before: a table of three very tall rows counted as "short, move whole": its caption went to a page of its
        // own and the table to the next.
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var note = string.Concat(Enumerable.Range(0, 1200).Select(i => $"理由{i}。"));
        var table = new Table([new("項目", 1, NoWrap: true), new("理由", 4)], [["目標", note], ["指標名", note], ["出典", note]]);
        Assert.True(table.Measure(ctx, Width) > 3 * Height);
        var caption = new Caption("表C-1", "指標の定義の変更");
        var flow = new Element[] { new Heading("付録C　改訂履歴", new TextStyle(14, Bold: true)), new Spacer(6), new Paragraph("変更を示す。", TextStyle.Body), new Spacer(4), caption, new Spacer(3), table };
        var pages = Paginator.Paginate(ctx, flow, Width, Height);

        Assert.Contains(pages[0].Items, i => i.Element is Table);
        Assert.Contains(pages[0].Items, i => i.Element == caption);
        Assert.All(pages, p => Assert.Contains(p.Items, i => !i.Element.KeepWithNext && !i.Element.IsSpace));
    }

    [Fact]
    public void ACaptionThatFitsWhenItsTableDoesNot_MovesWithTheTable_TogetherWithTheHeadingAbove()
    {
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var heading = new Heading("1-6　博士課程入学者数", new TextStyle(12, Bold: true));
        var caption = new Caption("表1-11", "目標と進捗");
        var table = LongTable(6); // short: moves whole
        var flow = new Element[] { new Figure(Height - 120, (_, _, _, _) => { }), new Paragraph("前の節", TextStyle.Body), heading, caption, table };
        var pages = Paginator.Paginate(ctx, flow, Width, Height);

        Assert.Equal(2, pages.Count);
        Assert.Equal([heading, caption, table], pages[1].Items.Select(i => i.Element).Take(3).ToArray<Element>());
    }

    [Fact]
    public void ARowTallerThanAPage_IsSplitBetweenLines_AndNothingIsDrawnPastThePageBottom()
    {
        // Before: the paginator gave up when no row fitted, drew the row past the bottom, and lost the rest of the table.
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var note = string.Concat(Enumerable.Range(0, 1200).Select(i => $"備考{i}。"));
        var rows = Enumerable.Range(0, 14).Select(i => (IReadOnlyList<string>)[$"{2000 + i}", i == 3 ? note : "短い備考"]).ToList();
        var table = new Table([new("年", 1, NoWrap: true), new("備考", 4)], rows);
        var pages = Paginator.Paginate(ctx, [new Paragraph("前文", TextStyle.Body), table], Width, Height);

        Assert.All(pages, p => Assert.True(p.Items.Max(i => i.Y + i.Element.Measure(ctx, Width)) <= Height + 0.01f));
        var parts = pages.SelectMany(p => p.Items).Select(i => i.Element).OfType<Table>().ToList();
        Assert.True(parts.Count >= 3, $"{parts.Count} parts");
        Assert.Contains(parts, t => t.EndsInsideARow);
        Assert.Contains(parts, t => t.ContinuesARow);
        // Every row is shown, the split one in several parts: 14 rows, each once, plus the repeats of the split row.
        Assert.Equal(Enumerable.Range(0, 14).Select(i => $"{2000 + i}"), parts.SelectMany(t => t.Rows.Select(r => r[0])).Distinct());
    }

    [Fact]
    public void AShortTable_MovesWhole_AndALongOne_NeverLeavesASingleRowBehind()
    {
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var small = LongTable(3);
        var filler = new Spacer(Height - 60);
        var pages = Paginator.Paginate(ctx, [new Paragraph("前文", TextStyle.Body), filler, small], Width, Height);
        Assert.Equal(2, pages.Count);
        Assert.Equal(3, pages[1].Items.Select(i => i.Element).OfType<Table>().Single().Rows.Count);

        for (var fill = 100f; fill < Height - 50; fill += 37)
        {
            var seven = LongTable(7);
            var laid = Paginator.Paginate(ctx, [new Paragraph("前文", TextStyle.Body), new Spacer(fill), seven], Width, Height);
            var parts = laid.SelectMany(p => p.Items).Select(i => i.Element).OfType<Table>().ToList();
            Assert.All(parts, t => Assert.True(t.Rows.Count >= 2, $"a part of {t.Rows.Count} row(s) after {fill} points"));
        }
    }

    [Fact]
    public void ABlock_MovesWholeToTheNextPage_AndOneTallerThanAPage_IsLaidOutPieceByPiece()
    {
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var block = new Block([new Heading("1-1　指標", new TextStyle(12, Bold: true)), new Paragraph("本文", TextStyle.Body), LongTable(5)]);
        var pages = Paginator.Paginate(ctx, [new Paragraph("前文", TextStyle.Body), new Spacer(Height - 80), block], Width, Height);
        Assert.Equal(2, pages.Count);
        Assert.Same(block, pages[1].Items[0].Element);

        var tall = new Block([new Heading("1-2　長い指標", new TextStyle(12, Bold: true)), LongTable(150)]);
        var laid = Paginator.Paginate(ctx, [tall], Width, Height);
        Assert.True(laid.Count >= 3);
        Assert.IsType<Heading>(laid[0].Items[0].Element);
        Assert.All(laid, p => Assert.True(p.Items.Max(i => i.Y + i.Element.Measure(ctx, Width)) <= Height + 0.01f));
    }

    [Fact]
    public void APageBreak_StartsANewPage_AndSpaceAtThePageTopIsDropped()
    {
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var pages = Paginator.Paginate(ctx, [new Paragraph("表紙", TextStyle.Body), new PageBreak(), new Spacer(100), new Paragraph("概要", TextStyle.Body)], Width, Height);
        Assert.Equal(2, pages.Count);
        Assert.IsType<Paragraph>(pages[1].Items[0].Element);
        Assert.Equal(0, pages[1].Items[0].Y);
    }
}
