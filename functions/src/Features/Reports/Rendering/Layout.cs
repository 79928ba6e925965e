using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

public enum Align { Left, Center, Right }

public sealed record TextStyle(float Size, bool Bold = false, uint Color = 0xFF1A1A1A, float LineHeight = 1.5f)
{
    public static readonly TextStyle Body = new(9.5f);
    public static readonly TextStyle Small = new(8f, Color: 0xFF444444);
    public static readonly TextStyle TableText = new(8.5f, LineHeight: 1.35f);
    public static readonly TextStyle TableHeader = new(8.5f, Bold: true, LineHeight: 1.35f);
}

/// <summary>
/// Measuring and drawing tools shared by every element: one SKFont per style, so measuring during layout and drawing
/// afterwards use exactly the same metrics.
/// </summary>
public sealed class RenderContext(FontFace fonts) : IDisposable
{
    private readonly Dictionary<TextStyle, SKFont> fontCache = [];
    private readonly Dictionary<(TextStyle, string), float> widthCache = [];

    public FontFace Fonts => fonts;

    /// <summary>Page number of each heading, known once the document is paginated (for the table of contents).</summary>
    public IReadOnlyDictionary<Element, int> PageOf { get; set; } = new Dictionary<Element, int>();

    public SKFont Font(TextStyle style)
    {
        if (!fontCache.TryGetValue(style, out var font))
        {
            font = new SKFont(style.Bold ? fonts.Bold : fonts.Regular, style.Size)
            {
                Embolden = style.Bold && fonts.SyntheticBold,
                Subpixel = true,
                Edging = SKFontEdging.Antialias,
            };
            fontCache[style] = font;
        }
        return font;
    }

    public float Measure(string text, TextStyle style)
    {
        if (!widthCache.TryGetValue((style, text), out var width))
        {
            width = Font(style).MeasureText(text);
            widthCache[(style, text)] = width;
        }
        return width;
    }

    public float LineHeight(TextStyle style) => style.Size * style.LineHeight;

    public IReadOnlyList<string> Wrap(string text, TextStyle style, float width) => LineBreaker.Wrap(text, width, s => Measure(s, style));

    public void DrawLine(SKCanvas canvas, string text, TextStyle style, float x, float top, float width, Align align = Align.Left)
    {
        var font = Font(style);
        using var paint = new SKPaint { Color = new SKColor(style.Color), IsAntialias = true };
        var w = Measure(text, style);
        var dx = align switch { Align.Right => width - w, Align.Center => (width - w) / 2, _ => 0 };
        // Centre the glyphs vertically in the line box: baseline = top + half leading + ascent.
        var metrics = font.Metrics;
        var baseline = top + (LineHeight(style) - (metrics.Descent - metrics.Ascent)) / 2 - metrics.Ascent;
        canvas.DrawText(text, x + dx, baseline, SKTextAlign.Left, font, paint);
    }

    public void Dispose()
    {
        foreach (var font in fontCache.Values) font.Dispose();
    }
}

/// <summary>
/// A block of the document flow. Layout measures every element first (<see cref="Measure"/>) and places it on a page;
/// drawing happens afterwards, so layout never depends on a canvas.
/// </summary>
public abstract class Element
{
    /// <summary>Every string the element draws and whether in bold: the characters each embedded font subset must hold.</summary>
    public virtual IEnumerable<(string Text, bool Bold)> Texts => [];

    /// <summary>Headings keep with the next element so none is left alone at the bottom of a page.</summary>
    public virtual bool KeepWithNext => false;

    /// <summary>Space that disappears at the top of a page.</summary>
    public virtual bool IsSpace => false;

    public abstract float Measure(RenderContext ctx, float width);

    public abstract void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width);

    /// <summary>The part that fits in <paramref name="available"/> and the rest, or null when the element cannot be split there.</summary>
    public virtual (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available) => null;
}

public sealed class Spacer(float height) : Element
{
    public override bool IsSpace => true;
    public override float Measure(RenderContext ctx, float width) => height;
    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width) { }
}

public sealed class PageBreak : Element
{
    public override float Measure(RenderContext ctx, float width) => 0;
    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width) { }
}

/// <summary>Wrapped text; splits between lines.</summary>
public class Paragraph(string text, TextStyle style, Align align = Align.Left, float indent = 0) : Element
{
    private IReadOnlyList<string>? lines;
    private float linesWidth;

    public string Text => text;
    public TextStyle Style => style;
    public override IEnumerable<(string Text, bool Bold)> Texts => [(text, style.Bold)];

    private IReadOnlyList<string> Lines(RenderContext ctx, float width)
    {
        if (lines is null || linesWidth != width)
        {
            lines = ctx.Wrap(text, style, width - indent);
            linesWidth = width;
        }
        return lines;
    }

    public override float Measure(RenderContext ctx, float width) => Lines(ctx, width).Count * ctx.LineHeight(style);

    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        var lineHeight = ctx.LineHeight(style);
        foreach (var line in Lines(ctx, width))
        {
            ctx.DrawLine(canvas, line, style, x + indent, y, width - indent, align);
            y += lineHeight;
        }
    }

    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available)
    {
        var all = Lines(ctx, width);
        var fit = (int)(available / ctx.LineHeight(style));
        // Keep at least two lines on each side (no widows or orphans).
        if (fit < 2 || all.Count - fit < 2) return null;
        return (new Paragraph(string.Join('\n', all.Take(fit)), style, align, indent),
                new Paragraph(string.Join('\n', all.Skip(fit)), style, align, indent));
    }
}

/// <summary>
/// A heading: bold text with a rule, kept with what follows. With an anchor it is a named destination the table of
/// contents links to.
/// </summary>
public sealed class Heading(string text, TextStyle style, string? anchor = null, bool rule = true) : Paragraph(text, style)
{
    public override bool KeepWithNext => true;
    public string? Anchor => anchor;

    public override float Measure(RenderContext ctx, float width) => base.Measure(ctx, width) + (rule ? 6 : 2);

    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        if (anchor is not null)
        {
            canvas.DrawNamedDestinationAnnotation(new SKPoint(x, y), anchor);
        }
        base.Draw(ctx, canvas, x, y, width);
        if (rule)
        {
            var bottom = y + base.Measure(ctx, width) + 2;
            using var paint = new SKPaint { Color = new SKColor(0xFF1F4E79), StrokeWidth = 0.8f, IsStroke = true, IsAntialias = true };
            canvas.DrawLine(x, bottom, x + width, bottom, paint);
        }
    }

    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available) => null;
}

/// <summary>A table-of-contents line: title, dot leader, page number, the whole line a link to the heading.</summary>
public sealed class TocEntry(Heading target, int level) : Element
{
    private static readonly TextStyle Level0 = new(10.5f, Bold: true, LineHeight: 1.9f);
    private static readonly TextStyle Level1 = new(9.5f, LineHeight: 1.7f);
    private const float NumberWidth = 28f;

    private TextStyle Style => level == 0 ? Level0 : Level1;
    private float Indent => level * 14f;

    public Heading Target => target;

    /// <summary>Page numbers are drawn only after pagination; the subset needs every digit they might use.</summary>
    public override IEnumerable<(string Text, bool Bold)> Texts => [(target.Text, Style.Bold), ("0123456789", Style.Bold)];

    public override float Measure(RenderContext ctx, float width) =>
        ctx.Wrap(target.Text, Style, width - Indent - NumberWidth - 12).Count * ctx.LineHeight(Style);

    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        var lines = ctx.Wrap(target.Text, Style, width - Indent - NumberWidth - 12);
        var top = y;
        foreach (var line in lines)
        {
            ctx.DrawLine(canvas, line, Style, x + Indent, top, width - Indent - NumberWidth);
            top += ctx.LineHeight(Style);
        }
        var lastTop = top - ctx.LineHeight(Style);
        var textEnd = x + Indent + ctx.Measure(lines[^1], Style) + 4;
        var numberStart = x + width - NumberWidth;
        using (var dots = new SKPaint { Color = new SKColor(0xFF999999), StrokeWidth = 0.7f, IsStroke = true, PathEffect = SKPathEffect.CreateDash([0.7f, 2.3f], 0) })
        {
            var baseline = lastTop + ctx.LineHeight(Style) * 0.7f;
            if (numberStart - 4 > textEnd) canvas.DrawLine(textEnd, baseline, numberStart - 4, baseline, dots);
        }
        var page = ctx.PageOf.TryGetValue(target, out var p) ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        ctx.DrawLine(canvas, page, Style, numberStart, lastTop, NumberWidth, Align.Right);
        if (target.Anchor is not null)
        {
            canvas.DrawLinkDestinationAnnotation(new SKRect(x, y, x + width, top), target.Anchor);
        }
    }
}

/// <summary>
/// A table column. A <paramref name="NoWrap"/> column (a status, a number with its unit) is as wide as its widest line,
/// so its content never breaks inside a word or a number; the other columns share the rest of the width by weight.
/// </summary>
public sealed record Column(string Title, float Weight, Align Align = Align.Left, bool NoWrap = false);

/// <summary>A table whose rows never split; when it crosses a page the header row is repeated.</summary>
public sealed class Table(IReadOnlyList<Column> columns, IReadOnlyList<IReadOnlyList<string>> rows, TextStyle? text = null, TextStyle? header = null) : Element
{
    private const float Padding = 3f;
    private readonly TextStyle textStyle = text ?? TextStyle.TableText;
    private readonly TextStyle headerStyle = header ?? TextStyle.TableHeader;

    public IReadOnlyList<IReadOnlyList<string>> Rows => rows;
    public override IEnumerable<(string Text, bool Bold)> Texts =>
        columns.Select(c => (c.Title, headerStyle.Bold)).Concat(rows.SelectMany(r => r).Select(cell => (cell, textStyle.Bold)));

    private float[]? widths;
    private float widthsFor = float.NaN;

    /// <summary>
    /// Column widths for a table <paramref name="width"/> wide: each no-wrap column gets the width of its widest line
    /// (header included), the others share what is left by weight. Computed once per width.
    /// </summary>
    private float[] Widths(RenderContext ctx, float width)
    {
        if (widths is not null && widthsFor == width) return widths;
        var natural = columns.Select((c, i) => !c.NoWrap ? 0f :
            rows.Select(r => i < r.Count ? r[i] : "").Select(cell => (cell, textStyle)).Append((c.Title, headerStyle))
                .SelectMany(p => p.Item1.Split('\n').Select(line => ctx.Measure(line, p.Item2)))
                .DefaultIfEmpty(0).Max() + 2 * Padding + 0.5f).ToArray();
        var fixedTotal = natural.Sum();
        var flexible = columns.Where(c => !c.NoWrap).Sum(c => c.Weight);
        var rest = width - fixedTotal;
        // Flexible columns keep at least a third of their share; if the no-wrap columns would take more, all scale down.
        var minimumRest = flexible > 0 ? width * flexible / columns.Sum(c => c.Weight) / 3 : 0;
        if (rest < minimumRest)
        {
            var scale = (width - minimumRest) / fixedTotal;
            natural = natural.Select(w => w * scale).ToArray();
            rest = minimumRest;
        }
        widths = columns.Select((c, i) => c.NoWrap ? natural[i] : flexible > 0 ? rest * c.Weight / flexible : 0).ToArray();
        if (flexible == 0)
        {
            // Only no-wrap columns: spread the spare width over them.
            var spare = (width - widths.Sum()) / widths.Length;
            widths = widths.Select(w => w + spare).ToArray();
        }
        widthsFor = width;
        return widths;
    }

    private float RowHeight(RenderContext ctx, IReadOnlyList<string> cells, TextStyle style, float[] widths)
    {
        var lines = cells.Select((cell, i) => ctx.Wrap(cell, style, widths[i] - 2 * Padding).Count).DefaultIfEmpty(1).Max();
        return lines * ctx.LineHeight(style) + 2 * Padding;
    }

    public override float Measure(RenderContext ctx, float width)
    {
        var widths = Widths(ctx, width);
        return RowHeight(ctx, columns.Select(c => c.Title).ToList(), headerStyle, widths) + rows.Sum(r => RowHeight(ctx, r, textStyle, widths));
    }

    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available)
    {
        var widths = Widths(ctx, width);
        var used = RowHeight(ctx, columns.Select(c => c.Title).ToList(), headerStyle, widths);
        var fit = 0;
        while (fit < rows.Count && used + RowHeight(ctx, rows[fit], textStyle, widths) <= available)
        {
            used += RowHeight(ctx, rows[fit], textStyle, widths);
            fit++;
        }
        if (fit == 0 || fit == rows.Count) return null;
        // Both parts keep this table's column widths, so the columns line up across the page break.
        return (new Table(columns, rows.Take(fit).ToList(), textStyle, headerStyle) { widths = widths, widthsFor = width },
                new Table(columns, rows.Skip(fit).ToList(), textStyle, headerStyle) { widths = widths, widthsFor = width });
    }

    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        var widths = Widths(ctx, width);
        using var grid = new SKPaint { Color = new SKColor(0xFF8FA3B8), StrokeWidth = 0.5f, IsStroke = true, IsAntialias = true };
        using var headerFill = new SKPaint { Color = new SKColor(0xFFDCE6F1), IsStroke = false };
        var top = y;

        void DrawRow(IReadOnlyList<string> cells, TextStyle style, bool isHeader)
        {
            var h = RowHeight(ctx, cells, style, widths);
            if (isHeader) canvas.DrawRect(x, top, width, h, headerFill);
            var cx = x;
            for (var i = 0; i < widths.Length; i++)
            {
                var lineTop = top + Padding;
                var align = isHeader ? Align.Center : columns[i].Align;
                foreach (var line in ctx.Wrap(i < cells.Count ? cells[i] : "", style, widths[i] - 2 * Padding))
                {
                    ctx.DrawLine(canvas, line, style, cx + Padding, lineTop, widths[i] - 2 * Padding, align);
                    lineTop += ctx.LineHeight(style);
                }
                canvas.DrawRect(cx, top, widths[i], h, grid);
                cx += widths[i];
            }
            top += h;
        }

        DrawRow(columns.Select(c => c.Title).ToList(), headerStyle, isHeader: true);
        foreach (var row in rows) DrawRow(row, textStyle, isHeader: false);
    }
}

/// <summary>A fixed-height drawing (a chart) that is never split; <paramref name="texts"/> are the strings it draws.</summary>
public sealed class Figure(float height, IReadOnlyList<string> texts, Action<RenderContext, SKCanvas, float, float> draw) : Element
{
    public override IEnumerable<(string Text, bool Bold)> Texts => texts.Select(t => (t, false));

    public override float Measure(RenderContext ctx, float width) => height;

    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        canvas.Save();
        canvas.Translate(x, y);
        canvas.ClipRect(new SKRect(0, 0, width, height));
        draw(ctx, canvas, width, height);
        canvas.Restore();
    }
}

public sealed record Placed(Element Element, float Y);

public sealed record PageLayout(IReadOnlyList<Placed> Items);

/// <summary>Places a flow of measured elements on pages: splits what may split, keeps headings with what follows.</summary>
public static class Paginator
{
    /// <summary>How much of the following element must fit beside a heading for the heading to stay on the page.</summary>
    private const float KeepWithNextMinimum = 48f;

    public static IReadOnlyList<PageLayout> Paginate(RenderContext ctx, IEnumerable<Element> flow, float width, float height)
    {
        var pages = new List<PageLayout>();
        var items = new List<Placed>();
        var y = 0f;
        var queue = new LinkedList<Element>(flow);

        void NewPage()
        {
            pages.Add(new PageLayout(items));
            items = [];
            y = 0;
        }

        while (queue.First is { } node)
        {
            var element = node.Value;
            queue.RemoveFirst();
            if (element is PageBreak)
            {
                if (items.Count > 0) NewPage();
                continue;
            }
            if (element.IsSpace && items.Count == 0) continue;

            var h = element.Measure(ctx, width);
            var need = h;
            if (element.KeepWithNext && queue.First?.Value is { } next && next is not PageBreak)
            {
                need += Math.Min(next.Measure(ctx, width), KeepWithNextMinimum);
            }
            if (y + need <= height)
            {
                items.Add(new Placed(element, y));
                y += h;
                continue;
            }
            if (!element.KeepWithNext && element.Split(ctx, width, height - y) is { } parts)
            {
                items.Add(new Placed(parts.Head, y));
                queue.AddFirst(parts.Tail);
                NewPage();
                continue;
            }
            if (items.Count > 0)
            {
                queue.AddFirst(element);
                NewPage();
                continue;
            }
            // Taller than a whole page and not splittable: place it and let it be clipped by the page edge.
            items.Add(new Placed(element, y));
            NewPage();
        }
        if (items.Count > 0) pages.Add(new PageLayout(items));
        return pages;
    }
}
