namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// A block of the page flow. Layout measures every element first (<see cref="Measure"/>) and places it on a page;
/// drawing happens afterwards, so layout never depends on a canvas. An element draws its content inside its structure
/// element (<see cref="Tag"/>), so the tagged PDF says what each thing on the page is.
/// </summary>
public abstract class Element
{
    /// <summary>Headings and captions keep with the next element so none is left alone at the bottom of a page.</summary>
    public virtual bool KeepWithNext => false;

    /// <summary>Space that disappears at the top of a page.</summary>
    public virtual bool IsSpace => false;

    public abstract float Measure(RenderContext ctx, float width);

    public abstract void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width);

    /// <summary>
    /// The part that fits in <paramref name="available"/> and the rest, or null when the element cannot be split there.
    /// <paramref name="pageTop"/> says the element starts a page: then it must split, as a new page would not give it
    /// more room.
    /// </summary>
    public virtual (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available, bool pageTop) => null;

    /// <summary>
    /// The least of this element that must go on the page where a heading or caption kept with it is placed: all of
    /// it when it would not split there, else its smallest first part.
    /// </summary>
    public virtual float Lead(RenderContext ctx, float width) => Measure(ctx, width);
}

public sealed class Spacer(float height) : Element
{
    public override bool IsSpace => true;
    public override float Measure(RenderContext ctx, float width) => height;
    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width) { }
}

public sealed class PageBreak : Element
{
    public override float Measure(RenderContext ctx, float width) => 0;
    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width) { }
}

/// <summary>
/// Wrapped text; splits between lines, keeping at least two lines on each side. Both parts of a split paragraph are
/// the same structure element: one paragraph, read as one, on two pages.
/// </summary>
public class Paragraph(string text, TextStyle style, Align align = Align.Left, float indent = 0, StructElement? tag = null) : Element
{
    private IReadOnlyList<string>? lines;
    private float linesWidth;

    public string Text => text;
    public TextStyle Style => style;
    public StructElement? Tag => tag;

    protected IReadOnlyList<string> Lines(RenderContext ctx, float width)
    {
        if (lines is null || linesWidth != width)
        {
            lines = ctx.Wrap(text, style, width - indent);
            linesWidth = width;
        }
        return lines;
    }

    public override float Measure(RenderContext ctx, float width) => Lines(ctx, width).Count * ctx.LineHeight(style);

    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width)
    {
        if (tag is not null) canvas.BeginTag(tag);
        var lineHeight = ctx.LineHeight(style);
        foreach (var line in Lines(ctx, width))
        {
            ctx.DrawLine(canvas, line, style, x + indent, y, width - indent, align);
            y += lineHeight;
        }
        if (tag is not null) canvas.EndTag();
    }

    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available, bool pageTop)
    {
        var all = Lines(ctx, width);
        var fit = (int)(available / ctx.LineHeight(style));
        // Keep at least two lines on each side (no widows or orphans), unless the page can take no more.
        if (!pageTop && (fit < 2 || all.Count - fit < 2)) return null;
        fit = Math.Clamp(pageTop ? Math.Min(fit, all.Count - 1) : fit, 1, all.Count - 1);
        if (all.Count < 2) return null;
        return (new Paragraph(string.Join('\n', all.Take(fit)), style, align, indent, tag),
                new Paragraph(string.Join('\n', all.Skip(fit)), style, align, indent, tag));
    }

    public override float Lead(RenderContext ctx, float width) =>
        Lines(ctx, width).Count >= 4 ? 2 * ctx.LineHeight(style) : Measure(ctx, width);
}

/// <summary>
/// A heading: bold text with a rule, kept with what follows. With an anchor it is a named destination the table of
/// contents and the outline link to.
/// </summary>
public sealed class Heading(string text, TextStyle style, string? anchor = null, bool rule = true, StructElement? tag = null)
    : Paragraph(text, style, tag: tag)
{
    public override bool KeepWithNext => true;
    public string? Anchor => anchor;

    public override float Measure(RenderContext ctx, float width) => base.Measure(ctx, width) + (rule ? 6 : 2);

    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width)
    {
        if (anchor is not null) canvas.Destination(anchor, x, y);
        base.Draw(ctx, canvas, x, y, width);
        if (rule)
        {
            var bottom = y + base.Measure(ctx, width) + 2;
            canvas.BeginArtifact(ArtifactKind.Layout);
            canvas.Line(x, bottom, x + width, bottom, new Stroke(0xFF1F4E79, 0.8f));
            canvas.EndArtifact();
        }
    }

    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available, bool pageTop) => null;

    public override float Lead(RenderContext ctx, float width) => Measure(ctx, width);
}

/// <summary>A numbered caption above a figure or table (図1-1, 表1-1), kept with it; a named destination links reach.</summary>
public sealed class Caption(string number, string title, StructElement? tag = null) : Paragraph($"{number}　{title}", TextStyle.Caption, tag: tag)
{
    /// <summary>The caption's anchor: 表序-2 → table-0-2, 図1-3 → figure-1-3, 表A-1 → table-A-1.</summary>
    public string Anchor => AnchorOf(number);

    public static string AnchorOf(string number) =>
        (number.StartsWith('図') ? "figure-" : "table-") + number[1..].Replace("序", "0", StringComparison.Ordinal);

    public override bool KeepWithNext => true;

    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width)
    {
        canvas.Destination(Anchor, x, y);
        base.Draw(ctx, canvas, x, y, width);
    }

    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available, bool pageTop) => null;
    public override float Lead(RenderContext ctx, float width) => Measure(ctx, width);
}

/// <summary>
/// A table-of-contents line: title, dot leader, page number, the whole line a link to the heading (its structure
/// element is the Link inside the contents' list item).
/// </summary>
public sealed class TocEntry(Heading target, int level, StructElement? tag = null) : Element
{
    private static readonly TextStyle Level0 = new(10.5f, Bold: true, LineHeight: 1.9f);
    private static readonly TextStyle Level1 = new(9.5f, LineHeight: 1.7f);
    private const float NumberWidth = 28f;

    private TextStyle Style => level == 0 ? Level0 : Level1;
    private float Indent => level * 14f;

    public Heading Target => target;

    public override float Measure(RenderContext ctx, float width) =>
        ctx.Wrap(target.Text, Style, width - Indent - NumberWidth - 12).Count * ctx.LineHeight(Style);

    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width)
    {
        var lines = ctx.Wrap(target.Text, Style, width - Indent - NumberWidth - 12);
        var top = y;
        if (tag is not null) canvas.BeginTag(tag);
        foreach (var line in lines)
        {
            ctx.DrawLine(canvas, line, Style, x + Indent, top, width - Indent - NumberWidth);
            top += ctx.LineHeight(Style);
        }
        var lastTop = top - ctx.LineHeight(Style);
        var page = ctx.PageOf.TryGetValue(target, out var p) ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        ctx.DrawLine(canvas, page, Style, x + width - NumberWidth, lastTop, NumberWidth, Align.Right);
        if (target.Anchor is not null)
        {
            canvas.Link(x, y, width, top - y, target.Anchor, $"{target.Text}（{page}ページ）", tag);
        }
        if (tag is not null) canvas.EndTag();
        var textEnd = x + Indent + ctx.Measure(lines[^1], Style) + 4;
        var numberStart = x + width - NumberWidth;
        var baseline = lastTop + ctx.LineHeight(Style) * 0.7f;
        if (numberStart - 4 > textEnd)
        {
            canvas.BeginArtifact(ArtifactKind.Layout);
            canvas.Line(textEnd, baseline, numberStart - 4, baseline, new Stroke(0xFF999999, 0.7f, [0.7f, 2.3f]));
            canvas.EndArtifact();
        }
    }
}

/// <summary>
/// A picture (a chart) that is never split: drawn once per rendering into a <see cref="Rendering.Drawing"/>, which the
/// PDF replays on its page and the HTML edition writes as SVG. Its height may depend on the width it gets (a legend
/// that wraps).
/// </summary>
public sealed class Picture(Func<RenderContext, float, float> height, Action<RenderContext, Canvas, float, float> draw)
{
    private readonly Lock gate = new();
    private Drawing? drawing;

    public float Height(RenderContext ctx, float width) => height(ctx, width);

    /// <summary>The drawing at this width, made the first time it is asked for (by either edition, on any thread).</summary>
    public Drawing DrawingAt(RenderContext ctx, float width)
    {
        lock (gate)
        {
            if (drawing is null || drawing.Width != width)
            {
                var h = height(ctx, width);
                var recorder = new RecordingCanvas();
                draw(ctx, recorder, width, h);
                drawing = recorder.Finish(width, h);
            }
            return drawing;
        }
    }
}

/// <summary>A picture on the page, inside its Figure structure element (whose alternative text says what it shows).</summary>
public sealed class Figure(Picture picture, StructElement? tag = null) : Element
{
    public Figure(float height, Action<RenderContext, Canvas, float, float> draw) : this(new Picture((_, _) => height, draw))
    {
    }

    public override float Measure(RenderContext ctx, float width) => picture.Height(ctx, width);

    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width)
    {
        var drawing = picture.DrawingAt(ctx, width);
        canvas.Save();
        canvas.Translate(x, y);
        if (tag is not null)
        {
            canvas.BeginTag(tag);
            canvas.Box(tag, 0, 0, width, drawing.Height);
        }
        drawing.Replay(canvas);
        if (tag is not null) canvas.EndTag();
        canvas.Restore();
    }
}

/// <summary>
/// Elements kept on one page: a figure with its caption and notes, an indicator's whole section. When the block does
/// not fit where it is, it moves to the next page; when it does not fit on a page at all, its elements are laid out one
/// by one, each with its own rules.
/// </summary>
public sealed class Block(IReadOnlyList<Element> elements) : Element
{
    public IReadOnlyList<Element> Elements => elements;

    public override float Measure(RenderContext ctx, float width) => elements.Sum(e => e.Measure(ctx, width));

    /// <summary>A block that fits on a page moves whole; a taller one is laid out element by element.</summary>
    public override float Lead(RenderContext ctx, float width)
    {
        var h = Measure(ctx, width);
        return h <= ctx.PageHeight ? h : Paginator.ChainLead(ctx, elements, width);
    }

    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width)
    {
        foreach (var e in elements)
        {
            e.Draw(ctx, canvas, x, y, width);
            y += e.Measure(ctx, width);
        }
    }
}
