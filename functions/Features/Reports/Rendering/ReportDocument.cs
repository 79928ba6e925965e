using System.Globalization;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// Renders the annual follow-up report: the document is composed once from the snapshot (<see cref="ReportComposer"/>),
/// then written as a tagged PDF (mapped to pages by <see cref="PdfFlow"/>, drawn by <see cref="PdfWriter"/>) and as the
/// HTML edition (<see cref="HtmlEdition"/>), each walking the same model. The same snapshot always gives the same bytes.
/// </summary>
public sealed class ReportDocument(ReportFonts fonts)
{
    public const string Title = ReportComposer.Title;

    /// <summary>The PDF edition.</summary>
    public byte[] Render(ReportSnapshot snapshot, string snapshotSha256) => Pdf(ReportComposer.Compose(snapshot, snapshotSha256));

    /// <summary>Both editions of one composition: the PDF, and the HTML edition with the same content.</summary>
    /// <remarks>
    /// The HTML edition is written on another thread while the PDF is laid out and drawn. A chart is drawn once, by
    /// whichever edition asks first, and the other uses that drawing (<see cref="Picture"/>).
    /// </remarks>
    public (byte[] Pdf, byte[] Html) RenderEditions(ReportSnapshot snapshot, string snapshotSha256)
    {
        var model = ReportComposer.Compose(snapshot, snapshotSha256);
        var html = Task.Run(() =>
        {
            // The same culture as the caller's rendering (ReportRenderer renders under the invariant culture).
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
            using var ctx = new RenderContext(fonts.Full, fonts.Cover);
            return HtmlEdition.Write(model, ctx, PageGeometry.A4.ContentWidth);
        });
        byte[] pdf;
        try
        {
            pdf = Pdf(model);
        }
        finally
        {
            // Never leave the other edition running unobserved, even when the PDF failed.
            html.Wait();
        }
        return (pdf, html.Result);
    }

    private byte[] Pdf(ReportModel model)
    {
        var page = PageGeometry.A4;
        var mapped = PdfFlow.Map(model);

        // 1. Layout, measured with the full faces.
        IReadOnlyList<PageLayout> pages;
        using (var layout = new RenderContext(fonts.Full, fonts.Cover))
        {
            pages = Paginator.Paginate(layout, mapped.Flow, page.ContentWidth, page.ContentHeight);
        }
        var pageOf = new Dictionary<Element, int>();
        for (var i = 0; i < pages.Count; i++)
        {
            foreach (var placed in pages[i].Items)
            {
                foreach (var heading in Headings(placed.Element)) pageOf.TryAdd(heading, i + 1);
            }
        }
        void Decorate(RenderContext ctx, Canvas canvas, int number, int total) => PdfFlow.Decorate(ctx, canvas, page, model.Title, number, total);

        // 2. Every character the pages draw, from a drawing pass that draws nothing: the subsets hold exactly these.
        GlyphCollector glyphs;
        using (var collecting = new RenderContext(fonts.Full, fonts.Cover) { PageOf = pageOf })
        {
            glyphs = PdfWriter.Collect(collecting, pages, page, Decorate);
        }

        // 3. Draw with faces holding only those characters, into the tagged PDF.
        using var subset = fonts.Subset(glyphs);
        using var ctx = new RenderContext(subset.Face, fonts.Cover) { PageOf = pageOf };
        var info = new PdfInfo(model.Title, model.Author, model.Subject, model.Created, model.SnapshotSha256);
        return PdfWriter.Write(ctx, subset, pages, page, info, mapped.Outline, mapped.Document, Decorate);
    }

    private static IEnumerable<Heading> Headings(Element element) => element switch
    {
        Heading h => [h],
        Block b => b.Elements.SelectMany(Headings),
        _ => [],
    };
}
