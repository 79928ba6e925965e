namespace Reporting.Features.Reports.Rendering;

/// <summary>How a line is stroked: colour (ARGB), width in points, and an optional dash pattern (on, off, …).</summary>
public sealed record Stroke(uint Color, float Width, IReadOnlyList<float>? Dash = null);

/// <summary>A vector outline: moves, lines and cubic curves, in the coordinates of the canvas it is drawn on.</summary>
public sealed class PathData
{
    public enum Verb { Move, Line, Cubic, Close }

    private readonly List<(Verb Verb, float[] Points)> segments = [];

    public IReadOnlyList<(Verb Verb, float[] Points)> Segments => segments;

    public PathData MoveTo(float x, float y) => Add(Verb.Move, x, y);
    public PathData LineTo(float x, float y) => Add(Verb.Line, x, y);
    public PathData CubicTo(float x1, float y1, float x2, float y2, float x, float y) => Add(Verb.Cubic, x1, y1, x2, y2, x, y);
    public PathData Close() => Add(Verb.Close);

    /// <summary>A quadratic curve, as the cubic that draws exactly the same curve (PDF knows only cubics).</summary>
    public PathData QuadTo(float cx, float cy, float x, float y)
    {
        var (x0, y0) = Current;
        return CubicTo(x0 + 2f / 3 * (cx - x0), y0 + 2f / 3 * (cy - y0), x + 2f / 3 * (cx - x), y + 2f / 3 * (cy - y), x, y);
    }

    /// <summary>A circle as four cubic arcs (the usual 0.5523 approximation, within 0.03 % of the radius).</summary>
    public static PathData Circle(float cx, float cy, float r)
    {
        const float k = 0.5522848f;
        return new PathData().MoveTo(cx + r, cy)
            .CubicTo(cx + r, cy + k * r, cx + k * r, cy + r, cx, cy + r)
            .CubicTo(cx - k * r, cy + r, cx - r, cy + k * r, cx - r, cy)
            .CubicTo(cx - r, cy - k * r, cx - k * r, cy - r, cx, cy - r)
            .CubicTo(cx + k * r, cy - r, cx + r, cy - k * r, cx + r, cy)
            .Close();
    }

    public static PathData Polygon(params (float X, float Y)[] points)
    {
        var path = new PathData().MoveTo(points[0].X, points[0].Y);
        foreach (var (x, y) in points.Skip(1)) path.LineTo(x, y);
        return path.Close();
    }

    /// <summary>The same outline moved by (dx, dy).</summary>
    public PathData Offset(float dx, float dy)
    {
        var moved = new PathData();
        foreach (var (verb, points) in segments)
        {
            moved.segments.Add((verb, points.Select((p, i) => i % 2 == 0 ? p + dx : p + dy).ToArray()));
        }
        return moved;
    }

    private (float X, float Y) Current =>
        segments.LastOrDefault(s => s.Verb != Verb.Close) is { Points: { Length: >= 2 } p } ? (p[^2], p[^1]) : (0, 0);

    private PathData Add(Verb verb, params float[] points)
    {
        segments.Add((verb, points));
        return this;
    }
}

/// <summary>What a piece of page furniture is, for a reader that skips it (PDF artifacts).</summary>
public enum ArtifactKind
{
    /// <summary>Rules, fills, grid lines, dot leaders: drawing that only shapes the page.</summary>
    Layout,
    /// <summary>The running header at the top of a page.</summary>
    Header,
    /// <summary>The page number at the foot of a page.</summary>
    Footer,
    /// <summary>Content repeated from an earlier page (a table's header row on the pages it continues on).</summary>
    Repeated,
}

/// <summary>
/// Where elements draw: text runs, lines, rectangles and outlines in points from the top-left corner, and what each
/// drawn thing is. Content drawn between <see cref="BeginTag"/> and <see cref="EndTag"/> belongs to that structure
/// element; what is drawn between <see cref="BeginArtifact"/> and <see cref="EndArtifact"/> is page furniture. Lines and
/// shapes are furniture unless the element they are drawn for is itself a picture (a figure, a formula).
/// <para>Translation is kept here rather than in the output, so a writer only ever sees page coordinates.</para>
/// </summary>
public abstract class Canvas
{
    private readonly Stack<(float X, float Y)> saved = new();

    protected float OffsetX { get; private set; }
    protected float OffsetY { get; private set; }

    public void Save() => saved.Push((OffsetX, OffsetY));

    public void Restore() => (OffsetX, OffsetY) = saved.Pop();

    public void Translate(float dx, float dy)
    {
        OffsetX += dx;
        OffsetY += dy;
    }

    /// <summary>A run of text set in one face: <paramref name="width"/> is its measured advance.</summary>
    public abstract void Text(string run, TextStyle style, bool fallback, float x, float baseline, float width);

    public abstract void Line(float x1, float y1, float x2, float y2, Stroke stroke);

    public abstract void Rect(float x, float y, float width, float height, uint? fill, Stroke? stroke);

    public abstract void Path(PathData path, uint? fill, Stroke? stroke);

    public virtual void BeginTag(StructElement element) { }

    public virtual void EndTag() { }

    /// <summary>The box a figure occupies (its BBox in the tagged PDF).</summary>
    public virtual void Box(StructElement element, float x, float y, float width, float height) { }

    public virtual void BeginArtifact(ArtifactKind kind) { }

    public virtual void EndArtifact() { }

    /// <summary>An area that, clicked, goes to the named destination; <paramref name="tag"/> is the link's structure element.</summary>
    public virtual void Link(float x, float y, float width, float height, string destination, string description, StructElement? tag) { }

    /// <summary>A named destination at this point (what links and the outline go to).</summary>
    public virtual void Destination(string name, float x, float y) { }
}

/// <summary>A canvas that draws nothing: measuring passes and tests.</summary>
public sealed class NullCanvas : Canvas
{
    public override void Text(string run, TextStyle style, bool fallback, float x, float baseline, float width) { }
    public override void Line(float x1, float y1, float x2, float y2, Stroke stroke) { }
    public override void Rect(float x, float y, float width, float height, uint? fill, Stroke? stroke) { }
    public override void Path(PathData path, uint? fill, Stroke? stroke) { }
}
