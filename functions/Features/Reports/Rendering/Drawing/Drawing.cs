using System.Globalization;
using System.Text;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// A picture recorded once (a chart): what was drawn, in order, in the picture's own coordinates. Replayed onto a PDF
/// page and written as SVG for the HTML edition, so both editions show the very same drawing and it is laid out once.
/// </summary>
public sealed class Drawing(float width, float height, IReadOnlyList<Drawing.Op> ops)
{
    public abstract record Op;
    public sealed record TextOp(string Run, TextStyle Style, bool Fallback, float X, float Baseline, float Width) : Op;
    public sealed record LineOp(float X1, float Y1, float X2, float Y2, Stroke Stroke) : Op;
    public sealed record RectOp(float X, float Y, float Width, float Height, uint? Fill, Stroke? Stroke) : Op;
    public sealed record PathOp(PathData Path, uint? Fill, Stroke? Stroke) : Op;

    public float Width => width;
    public float Height => height;
    public IReadOnlyList<Op> Ops => ops;

    public void Replay(Canvas canvas)
    {
        foreach (var op in ops)
        {
            switch (op)
            {
                case TextOp t: canvas.Text(t.Run, t.Style, t.Fallback, t.X, t.Baseline, t.Width); break;
                case LineOp l: canvas.Line(l.X1, l.Y1, l.X2, l.Y2, l.Stroke); break;
                case RectOp r: canvas.Rect(r.X, r.Y, r.Width, r.Height, r.Fill, r.Stroke); break;
                case PathOp p: canvas.Path(p.Path, p.Fill, p.Stroke); break;
            }
        }
    }

    /// <summary>
    /// The drawing's SVG elements (without the root element). Each text keeps where it starts and the width the report's
    /// face gives it (textLength): the page embeds no font, and the reader's face fills exactly the room left for it.
    /// </summary>
    public string ToSvg()
    {
        var svg = new StringBuilder();
        foreach (var op in ops)
        {
            switch (op)
            {
                case TextOp t:
                    svg.Append("<text x=\"").Append(N(t.X)).Append("\" y=\"").Append(N(t.Baseline)).Append("\" font-size=\"").Append(N(t.Style.Size)).Append('"')
                        .Append(t.Style.Bold ? " font-weight=\"bold\"" : "").Append(" fill=\"").Append(Color(t.Style.Color)).Append('"')
                        .Append(" textLength=\"").Append(N(t.Width)).Append("\" lengthAdjust=\"spacingAndGlyphs\">")
                        .Append(t.Run.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal))
                        .Append("</text>");
                    break;
                case LineOp l:
                    svg.Append("<line x1=\"").Append(N(l.X1)).Append("\" y1=\"").Append(N(l.Y1)).Append("\" x2=\"").Append(N(l.X2)).Append("\" y2=\"").Append(N(l.Y2)).Append('"')
                        .Append(Paint(null, l.Stroke)).Append("/>");
                    break;
                case RectOp r:
                    svg.Append("<rect x=\"").Append(N(r.X)).Append("\" y=\"").Append(N(r.Y)).Append("\" width=\"").Append(N(r.Width)).Append("\" height=\"").Append(N(r.Height)).Append('"')
                        .Append(Paint(r.Fill, r.Stroke)).Append("/>");
                    break;
                case PathOp p:
                    svg.Append("<path d=\"").Append(PathText(p.Path)).Append('"').Append(Paint(p.Fill, p.Stroke)).Append("/>");
                    break;
            }
        }
        return svg.ToString();
    }

    private static string PathText(PathData path)
    {
        var d = new StringBuilder();
        foreach (var (verb, points) in path.Segments)
        {
            d.Append(verb switch { PathData.Verb.Move => "M", PathData.Verb.Line => "L", PathData.Verb.Cubic => "C", _ => "Z" });
            d.Append(string.Join(' ', points.Select(N)));
        }
        return d.ToString();
    }

    private static string Paint(uint? fill, Stroke? stroke)
    {
        var a = new StringBuilder();
        a.Append(" fill=\"").Append(fill is { } f ? Color(f) : "none").Append('"');
        if (stroke is not null)
        {
            a.Append(" stroke=\"").Append(Color(stroke.Color)).Append("\" stroke-width=\"").Append(N(stroke.Width)).Append('"');
            if (stroke.Dash is { Count: > 0 } dash) a.Append(" stroke-dasharray=\"").Append(string.Join(' ', dash.Select(N))).Append('"');
        }
        return a.ToString();
    }

    public static string Color(uint argb) => "#" + (argb & 0xFFFFFF).ToString("X6", CultureInfo.InvariantCulture);

    private static string N(float value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}

/// <summary>A canvas that records what is drawn on it as a <see cref="Drawing"/>.</summary>
public sealed class RecordingCanvas : Canvas
{
    private readonly List<Drawing.Op> ops = [];

    public Drawing Finish(float width, float height) => new(width, height, ops.ToList());

    public override void Text(string run, TextStyle style, bool fallback, float x, float baseline, float width) =>
        ops.Add(new Drawing.TextOp(run, style, fallback, x + OffsetX, baseline + OffsetY, width));

    public override void Line(float x1, float y1, float x2, float y2, Stroke stroke) =>
        ops.Add(new Drawing.LineOp(x1 + OffsetX, y1 + OffsetY, x2 + OffsetX, y2 + OffsetY, stroke));

    public override void Rect(float x, float y, float width, float height, uint? fill, Stroke? stroke) =>
        ops.Add(new Drawing.RectOp(x + OffsetX, y + OffsetY, width, height, fill, stroke));

    public override void Path(PathData path, uint? fill, Stroke? stroke) =>
        ops.Add(new Drawing.PathOp(OffsetX == 0 && OffsetY == 0 ? path : path.Offset(OffsetX, OffsetY), fill, stroke));
}
