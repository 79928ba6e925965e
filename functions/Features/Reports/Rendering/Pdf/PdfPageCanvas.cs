using System.Globalization;
using System.Text;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// Draws one page as a PDF content stream. The page is drawn in top-left coordinates (one flip of the y axis at the
/// start); text is set glyph by glyph from the subset faces (Identity-H, so every glyph a run maps to is written as
/// its glyph id and its characters go to the ToUnicode map). Everything drawn is marked: inside the structure element
/// it was drawn for (a marked-content sequence with an MCID, recorded on the element) or as an artifact — nothing is
/// left unmarked, and drawing text with no element or artifact open is a bug the canvas refuses.
/// </summary>
internal sealed class PdfPageCanvas(PdfDocumentBuilder document, RenderContext ctx, int page, PageGeometry geometry) : Canvas
{
    private readonly StringBuilder ops = new("1 0 0 -1 0 " + N(geometry.Height) + " cm\n");
    private readonly List<object> marks = [];
    private object? open;
    private readonly List<StructElement> owners = [];
    private uint? fill, strokeColor;
    private float? lineWidth;
    private string dash = "[] 0";

    /// <summary>The element that owns each MCID of the page (the page's entry in the parent tree).</summary>
    public IReadOnlyList<StructElement> Owners => owners;

    public byte[] Finish()
    {
        Close();
        return Encoding.ASCII.GetBytes(ops.ToString());
    }

    public override void BeginTag(StructElement element) => marks.Add(element);

    public override void EndTag() => Pop<StructElement>();

    public override void BeginArtifact(ArtifactKind kind) => marks.Add(kind);

    public override void EndArtifact() => Pop<ArtifactKind>();

    private void Pop<T>()
    {
        if (marks.Count == 0 || marks[^1] is not T) throw new InvalidOperationException("Tags and artifacts must be closed in the order they were opened.");
        marks.RemoveAt(marks.Count - 1);
    }

    /// <summary>
    /// Opens the marked-content sequence for what is drawn next, unless it is already open. Text belongs to the innermost
    /// element or artifact; lines and shapes belong to it only when it is a picture (a figure or a formula) — a table's
    /// grid or a heading's rule is page furniture.
    /// </summary>
    private void Mark(bool text)
    {
        var top = marks.Count > 0 ? marks[^1] : null;
        object wanted = top switch
        {
            StructElement e when text || e.Type is StructType.Figure or StructType.Formula => e,
            StructElement => ArtifactKind.Layout,
            ArtifactKind k => k,
            _ when text => throw new InvalidOperationException("Text drawn outside any structure element or artifact."),
            _ => ArtifactKind.Layout,
        };
        if (Equals(wanted, open)) return;
        Close();
        if (wanted is StructElement element)
        {
            var mcid = owners.Count;
            owners.Add(element);
            element.AddContent(new StructElement.MarkedContent(page, mcid));
            ops.Append('/').Append(element.Type).Append(" <</MCID ").Append(mcid).Append(">> BDC\n");
        }
        else
        {
            ops.Append((ArtifactKind)wanted switch
            {
                ArtifactKind.Header => "/Artifact <</Type /Pagination /Subtype /Header>> BDC\n",
                ArtifactKind.Footer => "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n",
                ArtifactKind.Repeated => "/Artifact <</Type /Pagination>> BDC\n",
                _ => "/Artifact <</Type /Layout>> BDC\n",
            });
        }
        open = wanted;
    }

    private void Close()
    {
        if (open is null) return;
        ops.Append("EMC\n");
        open = null;
    }

    public override void Text(string run, TextStyle style, bool fallback, float x, float baseline, float width)
    {
        if (run.Length == 0) return;
        Mark(text: true);
        var font = ctx.Font(style, fallback);
        var pdfFont = document.Font(font.Typeface);
        var glyphs = font.GetGlyphs(run);
        var hex = new StringBuilder(glyphs.Length * 4);
        var k = 0;
        foreach (var cp in FontSubsetter.CodePoints(run))
        {
            if (k >= glyphs.Length) break;
            pdfFont.Use(glyphs[k], cp);
            hex.Append(glyphs[k].ToString("X4", CultureInfo.InvariantCulture));
            k++;
        }
        Fill(style.Color);
        var synthetic = font.Embolden;
        if (synthetic)
        {
            StrokeColor(style.Color);
            Width(style.Size * 0.03f);
        }
        ops.Append("BT /").Append(pdfFont.Resource).Append(' ').Append(N(style.Size)).Append(" Tf ")
            .Append(synthetic ? "2 Tr " : "")
            .Append("1 0 0 -1 ").Append(N(x + OffsetX)).Append(' ').Append(N(baseline + OffsetY)).Append(" Tm <").Append(hex).Append("> Tj ET\n");
    }

    public override void Line(float x1, float y1, float x2, float y2, Stroke stroke)
    {
        Mark(text: false);
        Pen(stroke);
        ops.Append(N(x1 + OffsetX)).Append(' ').Append(N(y1 + OffsetY)).Append(" m ").Append(N(x2 + OffsetX)).Append(' ').Append(N(y2 + OffsetY)).Append(" l S\n");
    }

    public override void Rect(float x, float y, float width, float height, uint? fillColor, Stroke? stroke)
    {
        if (fillColor is null && stroke is null) return;
        Mark(text: false);
        if (fillColor is { } f) Fill(f);
        if (stroke is not null) Pen(stroke);
        ops.Append(N(x + OffsetX)).Append(' ').Append(N(y + OffsetY)).Append(' ').Append(N(width)).Append(' ').Append(N(height)).Append(" re ")
            .Append(Paint(fillColor, stroke)).Append('\n');
    }

    public override void Path(PathData path, uint? fillColor, Stroke? stroke)
    {
        if (fillColor is null && stroke is null) return;
        Mark(text: false);
        if (fillColor is { } f) Fill(f);
        if (stroke is not null) Pen(stroke);
        foreach (var (verb, points) in path.Segments)
        {
            for (var i = 0; i < points.Length; i += 2)
            {
                ops.Append(N(points[i] + OffsetX)).Append(' ').Append(N(points[i + 1] + OffsetY)).Append(' ');
            }
            ops.Append(verb switch { PathData.Verb.Move => "m ", PathData.Verb.Line => "l ", PathData.Verb.Cubic => "c ", _ => "h " });
        }
        ops.Append(Paint(fillColor, stroke)).Append('\n');
    }

    private static string Paint(uint? fillColor, Stroke? stroke) => (fillColor, stroke) switch
    {
        (not null, not null) => "B",
        (not null, null) => "f",
        _ => "S",
    };

    public override void Link(float x, float y, float width, float height, string destination, string description, StructElement? tag)
    {
        var index = document.AddLink(geometry, x + OffsetX, y + OffsetY, width, height, destination, description);
        tag?.AddContent(new StructElement.AnnotationRef(page, index));
    }

    public override void Destination(string name, float x, float y) => document.AddDestination(name, page, x + OffsetX, geometry.Height - (y + OffsetY));

    public override void Box(StructElement element, float x, float y, float width, float height)
    {
        var left = x + OffsetX;
        var top = y + OffsetY;
        element.BBox = (page, left, geometry.Height - (top + height), left + width, geometry.Height - top);
    }

    private void Fill(uint color)
    {
        if (fill == color) return;
        fill = color;
        ops.Append(Rgb(color)).Append(" rg\n");
    }

    private void StrokeColor(uint color)
    {
        if (strokeColor == color) return;
        strokeColor = color;
        ops.Append(Rgb(color)).Append(" RG\n");
    }

    private void Width(float width)
    {
        if (lineWidth == width) return;
        lineWidth = width;
        ops.Append(N(width)).Append(" w\n");
    }

    private void Pen(Stroke stroke)
    {
        StrokeColor(stroke.Color);
        Width(stroke.Width);
        var pattern = stroke.Dash is { Count: > 0 } d ? "[" + string.Join(' ', d.Select(N)) + "] 0" : "[] 0";
        if (pattern == dash) return;
        dash = pattern;
        ops.Append(pattern).Append(" d\n");
    }

    private static string Rgb(uint argb) =>
        $"{N(((argb >> 16) & 0xFF) / 255f)} {N(((argb >> 8) & 0xFF) / 255f)} {N((argb & 0xFF) / 255f)}";

    /// <summary>A number as PDF writes it: at most three decimals, no exponent, never "-0".</summary>
    internal static string N(float value)
    {
        var rounded = Math.Round(value, 3);
        return rounded == 0 ? "0" : rounded.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
