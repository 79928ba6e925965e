using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

public sealed record PageGeometry(float Width, float Height, float Margin, float HeaderHeight, float FooterHeight)
{
    /// <summary>A4 in PDF points.</summary>
    public static readonly PageGeometry A4 = new(595.28f, 841.89f, 56f, 24f, 24f);

    public float ContentWidth => Width - 2 * Margin;
    public float ContentHeight => Height - 2 * Margin - HeaderHeight - FooterHeight;
    public float ContentTop => Margin + HeaderHeight;
}

public sealed record PdfInfo(string Title, string Author, string Subject, DateTimeOffset Created, string Keywords);

/// <summary>Draws laid-out pages into a PDF with Skia. Page decoration (running header, page numbers) is a callback.</summary>
public static class PdfWriter
{
    public static byte[] Write(RenderContext ctx, IReadOnlyList<PageLayout> pages, PageGeometry page, PdfInfo info,
        Action<SKCanvas, int, int> decorate)
    {
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = info.Title,
            Author = info.Author,
            Subject = info.Subject,
            Keywords = info.Keywords,
            Creator = "Reporting (第7期科学技術・イノベーション基本計画 フォローアップ)",
            Producer = "Reporting / SkiaSharp",
            // Dates come from the snapshot, never the clock, so the same data renders the same document.
            Creation = info.Created.UtcDateTime,
            Modified = info.Created.UtcDateTime,
            RasterDpi = 300,
            PdfA = false,
        };
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var canvas = document.BeginPage(page.Width, page.Height);
                decorate(canvas, i + 1, pages.Count);
                foreach (var placed in pages[i].Items)
                {
                    canvas.Save();
                    placed.Element.Draw(ctx, canvas, page.Margin, page.ContentTop + placed.Y, page.ContentWidth);
                    canvas.Restore();
                }
                document.EndPage();
            }
            document.Close();
        }
        return stream.ToArray();
    }
}
