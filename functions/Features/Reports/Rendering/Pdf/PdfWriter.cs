namespace Reporting.Features.Reports.Rendering;

public sealed record PageGeometry(float Width, float Height, float Margin, float HeaderHeight, float FooterHeight)
{
    /// <summary>A4 in PDF points.</summary>
    public static readonly PageGeometry A4 = new(595.28f, 841.89f, 56f, 24f, 24f);

    public float ContentWidth => Width - 2 * Margin;
    public float ContentHeight => Height - 2 * Margin - HeaderHeight - FooterHeight;
    public float ContentTop => Margin + HeaderHeight;
}

/// <summary>What the document says about itself: the Info dictionary, the XMP packet, the language and the outline.</summary>
public sealed record PdfInfo(string Title, string Author, string Subject, DateTimeOffset Created, string Keywords, string Language = "ja-JP");

/// <summary>One entry of the outline (bookmarks): a heading's title and named destination, with its sub-entries.</summary>
public sealed record OutlineEntry(string Title, string Destination, IReadOnlyList<OutlineEntry> Children);

/// <summary>
/// Draws laid-out pages into a tagged PDF. A first pass draws every page into nothing and records the characters
/// drawn; the second draws for real with faces holding exactly those characters.
/// </summary>
public static class PdfWriter
{
    public delegate void Decoration(RenderContext ctx, Canvas canvas, int number, int total);

    private static void DrawPage(RenderContext ctx, Canvas canvas, PageLayout page, int number, int total, PageGeometry geometry, Decoration decorate)
    {
        // Page furniture first: the running header and page number come before the page's content in the stream, as
        // they did in print order, and are artifacts.
        decorate(ctx, canvas, number, total);
        foreach (var placed in page.Items)
        {
            placed.Element.Draw(ctx, canvas, geometry.Margin, geometry.ContentTop + placed.Y, geometry.ContentWidth);
        }
    }

    /// <summary>Every character the pages draw, by face and weight.</summary>
    public static GlyphCollector Collect(RenderContext ctx, IReadOnlyList<PageLayout> pages, PageGeometry geometry, Decoration decorate)
    {
        var collector = new GlyphCollector();
        for (var i = 0; i < pages.Count; i++) DrawPage(ctx, collector, pages[i], i + 1, pages.Count, geometry, decorate);
        return collector;
    }

    public static byte[] Write(RenderContext ctx, ReportFonts.SubsetFace faces, IReadOnlyList<PageLayout> pages, PageGeometry geometry, PdfInfo info,
        IReadOnlyList<OutlineEntry> outline, StructElement document, Decoration decorate)
    {
        var builder = new PdfDocumentBuilder(faces.Programs);
        for (var i = 0; i < pages.Count; i++)
        {
            var canvas = builder.BeginPage(ctx, geometry);
            DrawPage(ctx, canvas, pages[i], i + 1, pages.Count, geometry, decorate);
            builder.EndPage(canvas);
        }
        return builder.Write(info, outline, document, geometry);
    }
}
