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
/// </summary>
public sealed class RenderContext(FontFace fonts, Func<int, Coverage> coverage) : IDisposable
{
    public const char Missing = '〓';

    private readonly Dictionary<(TextStyle, bool Fallback), SKFont> fontCache = [];
    private readonly Dictionary<(TextStyle, string), float> widthCache = [];
    private readonly Dictionary<(TextStyle, string, float), IReadOnlyList<string>> wrapCache = [];

    public FontFace Fonts => fonts;

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

    public void DrawLine(Canvas canvas, string text, TextStyle style, float x, float top, float width, Align align = Align.Left)
    {
        var w = Measure(text, style);
        var dx = align switch { Align.Right => width - w, Align.Center => (width - w) / 2, _ => 0 };
        // Centre the glyphs vertically in the line box: baseline = top + half leading + ascent.
        var metrics = Font(style).Metrics;
        var baseline = top + (LineHeight(style) - (metrics.Descent - metrics.Ascent)) / 2 - metrics.Ascent;
        DrawAt(canvas, text, style, x + dx, baseline);
    }

    /// <summary>Draws text with its baseline at <paramref name="baseline"/> (formulas place pieces by baseline).</summary>
    public void DrawAt(Canvas canvas, string text, TextStyle style, float x, float baseline)
    {
        foreach (var (run, fallback) in Runs(text))
        {
            var advance = Font(style, fallback).MeasureText(run);
            canvas.Text(run, style, fallback, x, baseline, advance);
            x += advance;
        }
    }

    public void Dispose()
    {
        foreach (var font in fontCache.Values) font.Dispose();
    }
}

/// <summary>The characters a document draws, by face and weight: what each embedded subset must hold.</summary>
public sealed class GlyphCollector : Canvas
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

    public override void Text(string run, TextStyle style, bool fallback, float x, float baseline, float width) => Add(run, style.Bold, fallback);
    public override void Line(float x1, float y1, float x2, float y2, Stroke stroke) { }
    public override void Rect(float x, float y, float width, float height, uint? fill, Stroke? stroke) { }
    public override void Path(PathData path, uint? fill, Stroke? stroke) { }
}
