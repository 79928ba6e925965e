using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

public enum Align { Left, Center, Right }

public sealed record TextStyle(float Size, bool Bold = false, uint Color = 0xFF1A1A1A, float LineHeight = 1.5f)
{
    public static readonly TextStyle Body = new(9.5f);
    public static readonly TextStyle Small = new(8f, Color: 0xFF444444);
    public static readonly TextStyle TableText = new(8.5f, LineHeight: 1.35f);
    public static readonly TextStyle TableHeader = new(8.5f, Bold: true, LineHeight: 1.35f);
    public static readonly TextStyle Caption = new(8.5f, Bold: true, LineHeight: 1.4f);
    public static readonly TextStyle Note = new(7.5f, Color: 0xFF444444, LineHeight: 1.4f);
}

/// <summary>Which face draws a character: the report's face, the fallback for what it lacks, or neither.</summary>
public enum Coverage { Primary, Fallback, None }

/// <summary>
/// Measuring and drawing tools shared by every element: one SKFont per style and face, so measuring during layout and
/// drawing afterwards use exactly the same metrics. Text is set with unhinted, fractional advances (no rounding of glyph
/// positions to whole points), so a reader's text extraction sees words as written.
/// <para>Characters the report's face lacks (𠮷) are drawn with the fallback face; a character neither has is drawn as
/// 〓 (the geta mark Japanese print uses for a character it cannot set) rather than as nothing — input that contains one
/// is refused, so only text stored before that rule can meet it.</para>
/// <para>In collecting mode nothing is drawn: every character that would be drawn is recorded by face and weight, and
/// the embedded font subsets are made from exactly that.</para>
/// </summary>
public sealed class RenderContext(FontFace fonts, Func<int, Coverage> coverage, GlyphCollector? collector = null) : IDisposable
{
    public const char Missing = '〓';

    private readonly Dictionary<(TextStyle, bool Fallback), SKFont> fontCache = [];
    private readonly Dictionary<(TextStyle, string), float> widthCache = [];
    private readonly Dictionary<(TextStyle, string, float), IReadOnlyList<string>> wrapCache = [];

    public FontFace Fonts => fonts;

    /// <summary>Whether this pass only records the characters it would draw.</summary>
    public bool Collecting => collector is not null;

    public GlyphCollector? Collector => collector;

    /// <summary>The height pages give content, set by the paginator: what "taller than a page" means.</summary>
    public float PageHeight { get; set; } = PageGeometry.A4.ContentHeight;

    /// <summary>Page number of each heading, known once the document is paginated (for the table of contents).</summary>
    public IReadOnlyDictionary<Element, int> PageOf { get; set; } = new Dictionary<Element, int>();

    public SKFont Font(TextStyle style, bool fallback = false)
    {
        if (!fontCache.TryGetValue((style, fallback), out var font))
        {
            var face = fallback ? (style.Bold ? fonts.FallbackBold : fonts.FallbackRegular) ?? fonts.Regular : style.Bold ? fonts.Bold : fonts.Regular;
            font = new SKFont(face, style.Size)
            {
                Embolden = style.Bold && (fallback ? fonts.FallbackSyntheticBold : fonts.SyntheticBold),
                Subpixel = true,
                LinearMetrics = true,
                Hinting = SKFontHinting.None,
                Edging = SKFontEdging.Antialias,
            };
            fontCache[(style, fallback)] = font;
        }
        return font;
    }

    /// <summary>The text as runs of one face each; characters no face has become 〓.</summary>
    public IEnumerable<(string Text, bool Fallback)> Runs(string text)
    {
        // Almost every line is drawn by the report's face alone: then it is one run, as it is.
        var plain = true;
        foreach (var c in text)
        {
            if (c == '\t' || char.IsSurrogate(c) || coverage(c) != Coverage.Primary)
            {
                plain = false;
                break;
            }
        }
        if (plain)
        {
            if (text.Length > 0) yield return (text, false);
            yield break;
        }
        var run = new System.Text.StringBuilder();
        bool? runFallback = null;
        for (var i = 0; i < text.Length; i++)
        {
            var cp = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? char.ConvertToUtf32(text[i], text[++i]) : text[i];
            if (cp == '\t') cp = ' ';
            var cover = coverage(cp);
            var fallback = cover == Coverage.Fallback;
            if (runFallback is { } current && current != fallback)
            {
                yield return (run.ToString(), current);
                run.Clear();
            }
            runFallback = fallback;
            if (cover == Coverage.None) run.Append(Missing);
            else run.Append(char.ConvertFromUtf32(cp));
        }
        if (runFallback is { } last) yield return (run.ToString(), last);
    }

    public float Measure(string text, TextStyle style)
    {
        if (!widthCache.TryGetValue((style, text), out var width))
        {
            width = 0;
            foreach (var (run, fallback) in Runs(text)) width += Font(style, fallback).MeasureText(run);
            widthCache[(style, text)] = width;
        }
        return width;
    }

    public float LineHeight(TextStyle style) => style.Size * style.LineHeight;

    public IReadOnlyList<string> Wrap(string text, TextStyle style, float width)
    {
        if (!wrapCache.TryGetValue((style, text, width), out var lines))
        {
            lines = LineBreaker.Wrap(text, width, s => Measure(s, style));
            wrapCache[(style, text, width)] = lines;
        }
        return lines;
    }

    public void DrawLine(SKCanvas canvas, string text, TextStyle style, float x, float top, float width, Align align = Align.Left)
    {
        if (collector is not null)
        {
            foreach (var (run, fallback) in Runs(text)) collector.Add(run, style.Bold, fallback);
            return;
        }
        using var paint = new SKPaint { Color = new SKColor(style.Color), IsAntialias = true };
        var w = Measure(text, style);
        var dx = align switch { Align.Right => width - w, Align.Center => (width - w) / 2, _ => 0 };
        // Centre the glyphs vertically in the line box: baseline = top + half leading + ascent.
        var metrics = Font(style).Metrics;
        var baseline = top + (LineHeight(style) - (metrics.Descent - metrics.Ascent)) / 2 - metrics.Ascent;
        var pen = x + dx;
        foreach (var (run, fallback) in Runs(text))
        {
            var font = Font(style, fallback);
            canvas.DrawText(run, pen, baseline, SKTextAlign.Left, font, paint);
            pen += font.MeasureText(run);
        }
    }

    /// <summary>Draws text with its baseline at <paramref name="baseline"/> (formulas place pieces by baseline).</summary>
    public void DrawAt(SKCanvas canvas, string text, TextStyle style, float x, float baseline)
    {
        if (collector is not null)
        {
            foreach (var (run, fallback) in Runs(text)) collector.Add(run, style.Bold, fallback);
            return;
        }
        using var paint = new SKPaint { Color = new SKColor(style.Color), IsAntialias = true };
        foreach (var (run, fallback) in Runs(text))
        {
            var font = Font(style, fallback);
            canvas.DrawText(run, x, baseline, SKTextAlign.Left, font, paint);
            x += font.MeasureText(run);
        }
    }

    public void Dispose()
    {
        foreach (var font in fontCache.Values) font.Dispose();
    }
}

/// <summary>The characters a document draws, by face and weight: what each embedded subset must hold.</summary>
public sealed class GlyphCollector
{
    public HashSet<int> Regular { get; } = [];
    public HashSet<int> Bold { get; } = [];
    public HashSet<int> FallbackRegular { get; } = [];
    public HashSet<int> FallbackBold { get; } = [];

    public void Add(string text, bool bold, bool fallback = false)
    {
        var set = (fallback, bold) switch { (false, false) => Regular, (false, true) => Bold, (true, false) => FallbackRegular, _ => FallbackBold };
        foreach (var cp in FontSubsetter.CodePoints(text)) set.Add(cp);
    }
}

/// <summary>
/// A block of the document flow. Layout measures every element first (<see cref="Measure"/>) and places it on a page;
/// drawing happens afterwards, so layout never depends on a canvas.
/// </summary>
public abstract class Element
{
    /// <summary>Headings and captions keep with the next element so none is left alone at the bottom of a page.</summary>
    public virtual bool KeepWithNext => false;

    /// <summary>Space that disappears at the top of a page.</summary>
    public virtual bool IsSpace => false;

    public abstract float Measure(RenderContext ctx, float width);

    public abstract void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width);

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
    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width) { }
}

public sealed class PageBreak : Element
{
    public override float Measure(RenderContext ctx, float width) => 0;
    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width) { }
}

/// <summary>What a paragraph is, beyond how it looks: what an edition that marks text up (the HTML edition) needs.</summary>
public enum TextRole
{
    Body,
    /// <summary>A 注）or 資料：line under a table or figure.</summary>
    Note,
    /// <summary>The document's title (the cover).</summary>
    Title,
    /// <summary>A line of the cover under the title: the year, the subject.</summary>
    Subtitle,
    /// <summary>The cover's facts: issuing body, data date.</summary>
    Meta,
    /// <summary>The cover's line with the snapshot's SHA-256 (a long unbroken string).</summary>
    Fingerprint,
}

/// <summary>Wrapped text; splits between lines, keeping at least two lines on each side.</summary>
public class Paragraph(string text, TextStyle style, Align align = Align.Left, float indent = 0, TextRole role = TextRole.Body) : Element
{
    private IReadOnlyList<string>? lines;
    private float linesWidth;

    public string Text => text;
    public TextStyle Style => style;
    public TextRole Role => role;

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

    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        var lineHeight = ctx.LineHeight(style);
        foreach (var line in Lines(ctx, width))
        {
            ctx.DrawLine(canvas, line, style, x + indent, y, width - indent, align);
            y += lineHeight;
        }
    }

    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available, bool pageTop)
    {
        var all = Lines(ctx, width);
        var fit = (int)(available / ctx.LineHeight(style));
        // Keep at least two lines on each side (no widows or orphans), unless the page can take no more.
        if (!pageTop && (fit < 2 || all.Count - fit < 2)) return null;
        fit = Math.Clamp(pageTop ? Math.Min(fit, all.Count - 1) : fit, 1, all.Count - 1);
        if (all.Count < 2) return null;
        return (new Paragraph(string.Join('\n', all.Take(fit)), style, align, indent, role),
                new Paragraph(string.Join('\n', all.Skip(fit)), style, align, indent, role));
    }

    public override float Lead(RenderContext ctx, float width) =>
        Lines(ctx, width).Count >= 4 ? 2 * ctx.LineHeight(style) : Measure(ctx, width);
}

/// <summary>
/// A heading: bold text with a rule, kept with what follows. With an anchor it is a named destination the table of
/// contents and the outline link to; <see cref="Level"/> places it in the outline (0 chapter, 1 section).
/// </summary>
public sealed class Heading(string text, TextStyle style, string? anchor = null, bool rule = true, int level = 0) : Paragraph(text, style)
{
    public override bool KeepWithNext => true;
    public string? Anchor => anchor;
    public int Level => level;

    public override float Measure(RenderContext ctx, float width) => base.Measure(ctx, width) + (rule ? 6 : 2);

    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        if (anchor is not null && !ctx.Collecting)
        {
            canvas.DrawNamedDestinationAnnotation(new SKPoint(x, y), anchor);
        }
        base.Draw(ctx, canvas, x, y, width);
        if (rule && !ctx.Collecting)
        {
            var bottom = y + base.Measure(ctx, width) + 2;
            using var paint = new SKPaint { Color = new SKColor(0xFF1F4E79), StrokeWidth = 0.8f, IsStroke = true, IsAntialias = true };
            canvas.DrawLine(x, bottom, x + width, bottom, paint);
        }
    }

    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available, bool pageTop) => null;

    public override float Lead(RenderContext ctx, float width) => Measure(ctx, width);
}

/// <summary>A numbered caption above a figure or table (図1-1, 表1-1), kept with it; a named destination links reach.</summary>
public sealed class Caption(string number, string title) : Paragraph($"{number}　{title}", TextStyle.Caption)
{
    public string Number => number;
    public string Title => title;

    /// <summary>The caption's anchor: 表序-2 → table-0-2, 図1-3 → figure-1-3, 表A-1 → table-A-1.</summary>
    public string Anchor => AnchorOf(number);

    public static string AnchorOf(string number) =>
        (number.StartsWith('図') ? "figure-" : "table-") + number[1..].Replace("序", "0", StringComparison.Ordinal);

    public override bool KeepWithNext => true;

    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        if (!ctx.Collecting) canvas.DrawNamedDestinationAnnotation(new SKPoint(x, y), Anchor);
        base.Draw(ctx, canvas, x, y, width);
    }
    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available, bool pageTop) => null;
    public override float Lead(RenderContext ctx, float width) => Measure(ctx, width);
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
        var page = ctx.PageOf.TryGetValue(target, out var p) ? p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        ctx.DrawLine(canvas, page, Style, x + width - NumberWidth, lastTop, NumberWidth, Align.Right);
        if (ctx.Collecting) return;
        var textEnd = x + Indent + ctx.Measure(lines[^1], Style) + 4;
        var numberStart = x + width - NumberWidth;
        using (var dots = new SKPaint { Color = new SKColor(0xFF999999), StrokeWidth = 0.7f, IsStroke = true, PathEffect = SKPathEffect.CreateDash([0.7f, 2.3f], 0) })
        {
            var baseline = lastTop + ctx.LineHeight(Style) * 0.7f;
            if (numberStart - 4 > textEnd) canvas.DrawLine(textEnd, baseline, numberStart - 4, baseline, dots);
        }
        if (target.Anchor is not null)
        {
            canvas.DrawLinkDestinationAnnotation(new SKRect(x, y, x + width, top), target.Anchor);
        }
    }
}

/// <summary>
/// A drawing (a chart) that is never split; its height may depend on the width it gets (a legend that wraps). It says
/// in words what it shows (<see cref="Alt"/>) and carries the table of the figures it was drawn from (<see cref="Data"/>):
/// the HTML edition gives both to readers who cannot see the drawing.
/// </summary>
public sealed class Figure(Func<RenderContext, float, float> height, Action<RenderContext, SKCanvas, float, float> draw) : Element
{
    public Figure(float height, Action<RenderContext, SKCanvas, float, float> draw) : this((_, _) => height, draw)
    {
    }

    /// <summary>What the drawing shows, in a sentence or two.</summary>
    public string Alt { get; init; } = "";

    /// <summary>The figures the drawing was made from, one row per year; none when there was nothing to draw.</summary>
    public Table? Data { get; init; }

    private readonly TaskCompletionSource<SKPicture> drawn = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override float Measure(RenderContext ctx, float width) => height(ctx, width);

    /// <summary>
    /// Draws the figure through a picture, which is kept: the HTML edition replays the drawing the PDF made rather than
    /// lay the chart out and draw it again.
    /// </summary>
    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        var h = height(ctx, width);
        canvas.Save();
        canvas.Translate(x, y);
        canvas.ClipRect(new SKRect(0, 0, width, h));
        if (ctx.Collecting)
        {
            draw(ctx, canvas, width, h);
        }
        else
        {
            SKPicture picture;
            using (var recorder = new SKPictureRecorder())
            {
                draw(ctx, recorder.BeginRecording(new SKRect(0, 0, width, h)), width, h);
                picture = recorder.EndRecording();
            }
            canvas.DrawPicture(picture);
            if (!drawn.TrySetResult(picture)) picture.Dispose();
        }
        canvas.Restore();
    }

    /// <summary>The figure as it was first drawn (not collecting), once it has been.</summary>
    public Task<SKPicture> Drawing => drawn.Task;

    /// <summary>The drawing will not come (the rendering failed): whoever waits for it gets the failure.</summary>
    public void Abandon(Exception reason) => drawn.TrySetException(reason);

    public void Release()
    {
        if (drawn.Task.IsCompletedSuccessfully) drawn.Task.Result.Dispose();
    }
}

/// <summary>
/// A legend of symbols (評価記号：◎ 目標達成　○ 順調 …), printed as one note; the HTML edition lists it as terms and meanings.
/// </summary>
public sealed class Legend(string title, IReadOnlyList<(string Symbol, string Meaning)> entries, string after = "")
    : Paragraph($"{title}：{string.Join("　", entries.Select(e => $"{e.Symbol} {e.Meaning}"))}。{after}", TextStyle.Note, role: TextRole.Note)
{
    public string Title => title;
    public IReadOnlyList<(string Symbol, string Meaning)> Entries => entries;
    public string After => after;
}

/// <summary>
/// A link that helps a reader move about a screen (back to the summary table) and that a printed page has no use for:
/// it takes no room and draws nothing in the PDF; the HTML edition shows it.
/// </summary>
public sealed class NavigationLink(string text, string anchor) : Element
{
    public string Text => text;
    public string Anchor => anchor;
    public override bool IsSpace => true;
    public override float Measure(RenderContext ctx, float width) => 0;
    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width) { }
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

    public override void Draw(RenderContext ctx, SKCanvas canvas, float x, float y, float width)
    {
        foreach (var e in elements)
        {
            e.Draw(ctx, canvas, x, y, width);
            y += e.Measure(ctx, width);
        }
    }
}

public sealed record Placed(Element Element, float Y);

public sealed record PageLayout(IReadOnlyList<Placed> Items);

/// <summary>
/// Places a flow of measured elements on pages: splits what may split, keeps headings and captions with what follows,
/// keeps blocks together. Nothing is ever placed past the bottom of a page: an element taller than a page is split
/// (tables by rows, and a row taller than a page by lines). Each element is measured and split a constant or
/// logarithmic number of times, so the work grows linearly with the document.
/// </summary>
public static class Paginator
{
    public static IReadOnlyList<PageLayout> Paginate(RenderContext ctx, IEnumerable<Element> flow, float width, float height)
    {
        ctx.PageHeight = height;
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

        // Headings and captions left at the end of a page go to the next page with what they keep with (unless they
        // are all the page has).
        void CarryKeptToNextPage()
        {
            var k = items.Count;
            while (k > 0 && (items[k - 1].Element.KeepWithNext || items[k - 1].Element.IsSpace)) k--;
            if (k == 0 || !items.Skip(k).Any(p => p.Element.KeepWithNext)) return;
            for (var j = items.Count - 1; j >= k; j--) queue.AddFirst(items[j].Element);
            y = items[k].Y;
            items.RemoveRange(k, items.Count - k);
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
            if (element.KeepWithNext) need += ChainLead(ctx, queue, width);
            if (y + need <= height)
            {
                items.Add(new Placed(element, y));
                y += h;
                continue;
            }
            if (element is Block block)
            {
                if (h <= height && items.Count > 0)
                {
                    queue.AddFirst(element);
                    CarryKeptToNextPage();
                    NewPage();
                    continue;
                }
                // Taller than a page: its elements go one by one.
                for (var i = block.Elements.Count - 1; i >= 0; i--) queue.AddFirst(block.Elements[i]);
                continue;
            }
            if (!element.KeepWithNext && element.Split(ctx, width, height - y, items.Count == 0) is { } parts)
            {
                items.Add(new Placed(parts.Head, y));
                queue.AddFirst(parts.Tail);
                NewPage();
                continue;
            }
            if (items.Count > 0)
            {
                queue.AddFirst(element);
                CarryKeptToNextPage();
                NewPage();
                continue;
            }
            // Alone on a fresh page and still too tall: only a heading kept with a long next element gets here, and it
            // fits by itself (need counted the next element's first part).
            items.Add(new Placed(element, y));
            y += h;
        }
        if (items.Count > 0) pages.Add(new PageLayout(items));
        return pages;
    }

    /// <summary>
    /// What a heading or caption must have beside it on its page: the next element's lead, and when that element is
    /// itself kept with the next (a caption after a heading), its whole height and what it keeps with, and so on.
    /// </summary>
    internal static float ChainLead(RenderContext ctx, IEnumerable<Element> following, float width)
    {
        var total = 0f;
        foreach (var next in following)
        {
            if (next is PageBreak) return total;
            if (next.IsSpace)
            {
                total += next.Measure(ctx, width);
                continue;
            }
            if (next.KeepWithNext)
            {
                total += next.Measure(ctx, width);
                continue;
            }
            return total + next.Lead(ctx, width);
        }
        return total;
    }
}
