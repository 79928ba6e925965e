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
        using var ctx = new RenderContext(Fonts.Full);
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
        using var ctx = new RenderContext(Fonts.Full);
        var filler = new Spacer(Height - 30);
        var heading = new Heading("1-2　第1・2グループ等の大学の研究時間", new TextStyle(12, Bold: true));
        var body = new Paragraph(string.Concat(Enumerable.Repeat("研究時間の割合を示す。", 20)), TextStyle.Body);
        var pages = Paginator.Paginate(ctx, [new Paragraph("冒頭", TextStyle.Body), filler, heading, body], Width, Height);

        Assert.Equal(2, pages.Count);
        Assert.DoesNotContain(pages[0].Items, i => i.Element is Heading);
        Assert.Same(heading, pages[1].Items[0].Element);
    }

    [Fact]
    public void APageBreak_StartsANewPage_AndSpaceAtThePageTopIsDropped()
    {
        using var ctx = new RenderContext(Fonts.Full);
        var pages = Paginator.Paginate(ctx, [new Paragraph("表紙", TextStyle.Body), new PageBreak(), new Spacer(100), new Paragraph("概要", TextStyle.Body)], Width, Height);
        Assert.Equal(2, pages.Count);
        Assert.IsType<Paragraph>(pages[1].Items[0].Element);
        Assert.Equal(0, pages[1].Items[0].Y);
    }
}
