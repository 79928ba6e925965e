using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

/// <summary>What the HTML edition says about itself in its head.</summary>
public sealed record HtmlInfo(string Title, string Author, string Description, DateTimeOffset Created, string SnapshotSha256);

/// <summary>
/// The report's accessible edition: the same composed document as the PDF (<see cref="ReportDocument.Compose"/>),
/// written as HTML instead of drawn on pages — one composition, two outputs. Written for JIS X 8341-3 / WCAG 2.1 AA:
/// <c>lang="ja"</c>; a skip link and landmarks; the cover's title as the one h1, chapters as h2, sections as h3; the
/// contents as a list of links; every numbered table a real &lt;table&gt; with its caption, column and row headers, and
/// its 注）/資料： lines after it; every chart inline SVG (the PDF's own drawing, text as outlines) named by its caption,
/// described in words and followed by the table of the figures it was drawn from; formulas in MathML; the status legend
/// as a list of terms; links from the summary table to each indicator and back.
/// <para>Self-contained: no scripts, no fonts or images fetched (the page names the report's faces and falls back to the
/// reader's), one inline style sheet allowed by its hash (<see cref="ContentSecurityPolicy"/>). The same composition
/// always gives the same bytes.</para>
/// </summary>
public static partial class HtmlEdition
{
    private static readonly string Style = """
        :root { color: #1a1a1a; background: #fff; }
        body { margin: 0 auto; padding: 0 1rem 3rem; max-width: 56rem; overflow-wrap: anywhere; font-family: "BIZ UDPGothic", "BIZ UDPゴシック", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif; font-size: 1rem; line-height: 1.75; }
        a { color: #1f4e79; text-decoration: underline; }
        a:focus, [tabindex]:focus { outline: 3px solid #c55a11; outline-offset: 2px; }
        .skip { position: absolute; left: -10000px; top: 0; background: #fff; padding: .5rem 1rem; }
        .skip:focus { left: 1rem; }
        header.cover { text-align: center; padding: 4rem 0 2rem; border-bottom: 2px solid #1f4e79; }
        h1 { color: #1f4e79; font-size: 1.9rem; line-height: 1.5; margin: 0 0 1.5rem; }
        .subtitle { font-size: 1.2rem; font-weight: bold; margin: .5rem 0; }
        .meta { margin: .25rem 0; }
        .fingerprint { font-size: .8rem; color: #555; overflow-wrap: anywhere; }
        h2 { color: #1f4e79; font-size: 1.45rem; border-bottom: 2px solid #1f4e79; margin: 3rem 0 1rem; padding-bottom: .25rem; }
        h3 { color: #1f4e79; font-size: 1.15rem; border-bottom: 1px solid #1f4e79; margin: 2.5rem 0 1rem; }
        nav ol { list-style: none; padding-left: 0; }
        nav ol ol { padding-left: 1.5rem; }
        nav li { margin: .2rem 0; }
        .table { overflow-x: auto; margin: 1.25rem 0 .25rem; }
        table { border-collapse: collapse; font-size: .9rem; line-height: 1.5; min-width: 60%; }
        caption { caption-side: top; text-align: left; font-weight: bold; padding: 0 0 .35rem; }
        th, td { border: 1px solid #8fa3b8; padding: .3rem .45rem; vertical-align: top; text-align: left; }
        thead th { background: #dce6f1; text-align: center; }
        tbody th { font-weight: normal; }
        .r { text-align: right; font-variant-numeric: tabular-nums; }
        .c { text-align: center; }
        .nw { white-space: nowrap; }
        figure { margin: 1.25rem 0; }
        figcaption { font-weight: bold; margin-bottom: .35rem; }
        figure svg { display: block; width: 100%; height: auto; max-width: 40rem; }
        figure svg text { font-family: "BIZ UDPGothic", "BIZ UDPゴシック", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, sans-serif; }
        table.data { font-size: .85rem; margin-top: .5rem; }
        .notes { margin: .25rem 0 1rem; }
        .note { color: #444; font-size: .875rem; margin: .1rem 0; }
        .legend { color: #444; font-size: .875rem; margin: .5rem 0 .1rem; display: flex; flex-wrap: wrap; gap: .1rem 1rem; }
        .legend dl { display: contents; }
        .legend dl div { display: flex; gap: .3rem; }
        .legend dt { font-weight: bold; }
        .legend dd { margin: 0; }
        details { margin: .5rem 0; }
        summary { cursor: pointer; color: #1f4e79; }
        .formula { display: flex; align-items: center; justify-content: center; gap: 2rem; margin: .75rem 0; font-size: 1.1rem; }
        .back { font-size: .9rem; text-align: right; }
        footer { margin-top: 4rem; padding-top: 1rem; border-top: 1px solid #8fa3b8; font-size: .875rem; color: #444; }
        @media print { .skip, .back { display: none; } h2 { break-before: page; } figure, .table { break-inside: avoid; } }
        """ + string.Concat(Enumerable.Range(1, 19).Select(n => $".w{n * 5} {{ width: {n * 5}%; }}\n"));

    /// <summary>The policy the edition is served with: nothing may load or run but its own style sheet.</summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static byte[] Write(ReportDocument.Composed document, RenderContext ctx, float width, HtmlInfo info)
    {
        var html = new Writer(ctx, width);
        html.Document(document.Flow, info);
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    private sealed class Writer(RenderContext ctx, float width)
    {
        private readonly StringBuilder html = new();
        private int generated;
        private int figures;

        public override string ToString() => html.ToString();

        public void Document(IReadOnlyList<Element> flow, HtmlInfo info)
        {
            html.Append("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // frame-ancestors is ignored in a meta element: the header the API sends carries it.
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(Attr(ContentSecurityPolicy.Replace("; frame-ancestors 'none'", "", StringComparison.Ordinal))).Append("\">\n")
                .Append("<title>").Append(Text(info.Title)).Append("</title>\n")
                .Append("<meta name=\"author\" content=\"").Append(Attr(info.Author)).Append("\">\n")
                .Append("<meta name=\"description\" content=\"").Append(Attr(info.Description)).Append("\">\n")
                .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
                .Append("<a class=\"skip\" href=\"#main\">本文へ移動</a>\n");

            var i = 0;
            // The cover: everything before the first page break.
            html.Append("<header class=\"cover\">\n");
            for (; i < flow.Count && flow[i] is not PageBreak; i++) Cover(flow[i]);
            html.Append("</header>\n");

            var inMain = false;
            var inSection = false;
            for (; i < flow.Count; i++)
            {
                var element = flow[i];
                if (element is Heading { Level: 0 } chapter)
                {
                    if (inSection) html.Append("</section>\n");
                    inSection = false;
                    var contents = Next(flow, i) is TocEntry;
                    if (contents)
                    {
                        var id = Id(chapter);
                        html.Append("<nav aria-labelledby=\"").Append(id).Append("\">\n<h2 id=\"").Append(id).Append("\">").Append(Text(chapter.Text)).Append("</h2>\n");
                        i = Contents(flow, i + 1) - 1;
                        html.Append("</nav>\n");
                        continue;
                    }
                    if (!inMain)
                    {
                        html.Append("<main id=\"main\">\n");
                        inMain = true;
                    }
                    html.Append("<section aria-labelledby=\"").Append(Id(chapter)).Append("\">\n");
                    inSection = true;
                }
                i = Element(flow, i);
            }
            if (inSection) html.Append("</section>\n");
            if (inMain) html.Append("</main>\n");
            html.Append("<footer>\n<p>").Append(Text(info.Author)).Append("　").Append(Text(info.Title)).Append("</p>\n")
                .Append("<p>このHTML版は、PDF版と同じデータ（スナップショット SHA-256：<span class=\"fingerprint\">").Append(Text(info.SnapshotSha256))
                .Append("</span>）から作成した。</p>\n</footer>\n</body>\n</html>\n");
        }

        private void Cover(Element element)
        {
            if (element is not Paragraph p) return;
            switch (p.Role)
            {
                case TextRole.Title:
                    html.Append("<h1>").Append(Lines(p.Text)).Append("</h1>\n");
                    break;
                case TextRole.Subtitle:
                    html.Append("<p class=\"subtitle\">").Append(Lines(p.Text)).Append("</p>\n");
                    break;
                default:
                    html.Append(p.Role == TextRole.Fingerprint ? "<p class=\"meta fingerprint\">" : "<p class=\"meta\">")
                        .Append(Lines(p.Text)).Append("</p>\n");
                    break;
            }
        }

        /// <summary>The contents: the entries that follow the heading, as nested lists of links.</summary>
        private int Contents(IReadOnlyList<Element> flow, int i)
        {
            html.Append("<ol>\n");
            var open = false;
            for (; i < flow.Count && (flow[i] is TocEntry || flow[i].IsSpace); i++)
            {
                if (flow[i] is not TocEntry entry) continue;
                var link = $"<a href=\"#{Attr(entry.Target.Anchor ?? "")}\">{Text(entry.Target.Text)}</a>";
                if (entry.Target.Level == 0)
                {
                    if (open) html.Append("</ol></li>\n");
                    open = false;
                    var hasChildren = i + 1 < flow.Count && flow[i + 1] is TocEntry { Target.Level: > 0 };
                    html.Append("<li>").Append(link);
                    if (hasChildren)
                    {
                        html.Append("\n<ol>\n");
                        open = true;
                    }
                    else
                    {
                        html.Append("</li>\n");
                    }
                }
                else
                {
                    html.Append("<li>").Append(link).Append("</li>\n");
                }
            }
            if (open) html.Append("</ol></li>\n");
            html.Append("</ol>\n");
            return i;
        }

        /// <summary>Writes the element at <paramref name="i"/> (with what belongs to it) and returns the index of the last element used.</summary>
        private int Element(IReadOnlyList<Element> flow, int i)
        {
            switch (flow[i])
            {
                case Heading h:
                    var tag = h.Level == 0 ? "h2" : "h3";
                    html.Append('<').Append(tag).Append(" id=\"").Append(Id(h)).Append("\">").Append(Text(h.Text)).Append("</").Append(tag).Append(">\n");
                    return i;
                case Caption caption:
                    return Captioned(flow, i, caption);
                case Block block:
                    Block(block);
                    return i;
                case Table table:
                    Table(table, null);
                    return i;
                case Figure figure:
                    Figure(figure, null, []);
                    return i;
                case Legend legend:
                    Legend(legend);
                    return i;
                case Formula formula:
                    html.Append("<div class=\"formula\"><math display=\"block\">").Append(MathMl(formula.Expression)).Append("</math><span>")
                        .Append(Text(formula.Number)).Append("</span></div>\n");
                    return i;
                case TocEntry:
                    return i;
                case Paragraph p:
                    html.Append(p.Role == TextRole.Note ? "<p class=\"note\">" : "<p>").Append(Lines(p.Text)).Append("</p>\n");
                    return i;
                case NavigationLink link:
                    html.Append("<p class=\"back\"><a href=\"#").Append(Attr(link.Anchor)).Append("\">").Append(Text(link.Text)).Append("</a></p>\n");
                    return i;
                default:
                    return i; // spacers and page breaks: the page is the reader's
            }
        }

        /// <summary>A block that opens with a heading is a section of its own; any other block is its elements.</summary>
        private void Block(Block block)
        {
            var elements = block.Elements;
            var heading = elements.OfType<Heading>().FirstOrDefault();
            var section = heading is not null && elements.First(e => !e.IsSpace) == heading;
            if (section) html.Append("<section aria-labelledby=\"").Append(Id(heading!)).Append("\">\n");
            for (var k = 0; k < elements.Count; k++) k = Element(elements, k);
            if (section) html.Append("</section>\n");
        }

        /// <summary>A caption with the table or figure it numbers and the 注）/資料： lines after it.</summary>
        private int Captioned(IReadOnlyList<Element> flow, int i, Caption caption)
        {
            var k = i + 1;
            while (k < flow.Count && flow[k].IsSpace && flow[k] is not NavigationLink) k++;
            if (k >= flow.Count || flow[k] is not (Rendering.Table or Rendering.Figure))
            {
                html.Append("<p><strong>").Append(Text(caption.Text)).Append("</strong></p>\n");
                return i;
            }
            var numbered = flow[k];
            var notes = new List<Paragraph>();
            var last = k;
            for (var n = k + 1; n < flow.Count; n++)
            {
                if (flow[n] is Paragraph { Role: TextRole.Note } note and not Heading and not Caption) notes.Add(note);
                else if (!(flow[n].IsSpace && flow[n] is not NavigationLink)) break;
                else continue;
                last = n;
            }
            if (numbered is Rendering.Table table)
            {
                Table(table, caption);
                Notes(notes);
            }
            else
            {
                Figure((Rendering.Figure)numbered, caption, notes);
            }
            return last;
        }

        /// <summary>The 注）/資料： lines under a table or figure.</summary>
        private void Notes(IReadOnlyList<Paragraph> notes)
        {
            if (notes.Count == 0) return;
            html.Append("<div class=\"notes\">\n");
            foreach (var note in notes) Note(note);
            html.Append("</div>\n");
        }

        private void Note(Paragraph note)
        {
            if (note is Legend legend) Legend(legend);
            else html.Append("<p class=\"note\">").Append(Lines(note.Text)).Append("</p>\n");
        }

        private void Legend(Legend legend)
        {
            var id = $"legend-{++generated}";
            html.Append("<div class=\"legend\"><span id=\"").Append(id).Append("\">").Append(Text(legend.Title)).Append("：</span>")
                .Append("<dl aria-labelledby=\"").Append(id).Append("\">\n");
            foreach (var (symbol, meaning) in legend.Entries)
            {
                html.Append("<div><dt>").Append(Text(symbol)).Append("</dt><dd>").Append(Text(meaning)).Append("</dd></div>\n");
            }
            html.Append("</dl></div>\n");
            if (legend.After.Length > 0) html.Append("<p class=\"note\">").Append(Text(legend.After)).Append("</p>\n");
        }

        private void Table(Table table, Caption? caption, string? cssClass = null, string? captionText = null)
        {
            var id = caption?.Anchor ?? $"table-{++generated}";
            var rowHeader = table.Links.Any(l => l is not null) ? table.LinkColumn : 0;
            // A wide table scrolls sideways on a small screen: the scrolling region is named and reachable by keyboard.
            html.Append("<div class=\"table\" role=\"region\" aria-labelledby=\"").Append(id).Append("-caption\" tabindex=\"0\">\n")
                .Append("<table id=\"").Append(id).Append('"').Append(cssClass is null ? "" : $" class=\"{cssClass}\"").Append(">\n")
                .Append("<caption id=\"").Append(id).Append("-caption\">").Append(Text(captionText ?? caption?.Text ?? "表")).Append("</caption>\n");
            // The PDF's column weights as widths (in steps of 5 %): the browser gives a column at least its share.
            var total = table.Columns.Sum(c => c.Weight);
            html.Append("<colgroup>");
            foreach (var column in table.Columns)
            {
                var share = (int)Math.Clamp(Math.Round(column.Weight / total * 20) * 5, 5, 95);
                html.Append(column.NoWrap ? "<col>" : $"<col class=\"w{share}\">");
            }
            html.Append("</colgroup>\n<thead><tr>");
            foreach (var column in table.Columns)
            {
                html.Append("<th scope=\"col\">").Append(Lines(column.Title)).Append("</th>");
            }
            html.Append("</tr></thead>\n<tbody>\n");
            var rows = table.Rows;
            var links = table.Links;
            for (var r = 0; r < rows.Count; r++)
            {
                html.Append("<tr>");
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var cell = c < rows[r].Count ? rows[r][c] : "";
                    // As in the PDF: a number with its unit or a status is never broken; the other columns wrap.
                    var classes = (table.Columns[c].Align switch { Align.Right => "r", Align.Center => "c", _ => "" }) + (table.Columns[c].NoWrap ? " nw" : "");
                    var align = classes.Trim().Length == 0 ? "" : $" class=\"{classes.Trim()}\"";
                    var content = Lines(cell);
                    if (r < links.Count && links[r] is { } anchor && c == table.LinkColumn)
                    {
                        content = $"<a href=\"#{Attr(anchor)}\">{content}</a>";
                    }
                    if (c == rowHeader) html.Append("<th scope=\"row\"").Append(align).Append('>').Append(content).Append("</th>");
                    else html.Append("<td").Append(align).Append('>').Append(content).Append("</td>");
                }
                html.Append("</tr>\n");
            }
            html.Append("</tbody>\n</table>\n</div>\n");
        }

        /// <summary>The chart as the PDF draws it (as SVG, text as outlines), named, described, and followed by its data.</summary>
        private void Figure(Figure figure, Caption? caption, IReadOnlyList<Paragraph> notes)
        {
            var id = caption?.Anchor ?? $"figure-{++generated}";
            var prefix = $"f{++figures}-";
            html.Append("<figure id=\"").Append(id).Append("\" aria-labelledby=\"").Append(id).Append("-caption\">\n")
                .Append("<figcaption id=\"").Append(id).Append("-caption\">").Append(Text(caption?.Text ?? "図")).Append("</figcaption>\n");
            var height = figure.Measure(ctx, width);
            var svg = Svg(figure, height, prefix);
            html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"").Append(id).Append("-title ").Append(id).Append("-desc\" viewBox=\"0 0 ")
                .Append(Number(width)).Append(' ').Append(Number(height)).Append("\" width=\"").Append(Number(width)).Append("\" height=\"").Append(Number(height)).Append("\">")
                .Append("<title id=\"").Append(id).Append("-title\">").Append(Text(caption?.Text ?? "図")).Append("</title>")
                .Append("<desc id=\"").Append(id).Append("-desc\">").Append(Text(figure.Alt)).Append("</desc>")
                .Append(svg).Append("</svg>\n");
            if (figure.Data is { } data)
            {
                html.Append("<details><summary>").Append(Text(caption?.Number ?? "図")).Append("のデータ（表）</summary>\n");
                Table(data, null, "data", $"{caption?.Number ?? "図"}のデータ");
                html.Append("</details>\n");
            }
            Notes(notes);
            html.Append("</figure>\n");
        }

        /// <summary>The drawing's SVG content (without its root element), its ids made unique in the page.</summary>
        private string Svg(Figure figure, float height, string prefix)
        {
            using var stream = new MemoryStream();
            using (var managed = new SKManagedWStream(stream))
            using (var canvas = SKSvgCanvas.Create(SKRect.Create(width, height), managed))
            {
                // The drawing the PDF made of it (Figure.Draw keeps it), replayed: laid out and drawn once for both editions.
                canvas.ClipRect(SKRect.Create(width, height));
                canvas.DrawPicture(figure.Drawing.GetAwaiter().GetResult());
            }
            var svg = Encoding.UTF8.GetString(stream.ToArray());
            var open = svg.IndexOf("<svg", StringComparison.Ordinal);
            var start = svg.IndexOf('>', open) + 1;
            var end = svg.LastIndexOf("</svg>", StringComparison.Ordinal);
            var body = svg[start..end];
            // Skia indents with tabs and new lines, which would become spaces in a text.
            body = body.Replace("\n", "", StringComparison.Ordinal).Replace("\t", "", StringComparison.Ordinal);
            // Skia places every glyph of a text (x="0, 3.75, 11.25"), measured with the report's face. The page embeds
            // no font, and a reader's face has other advances: placed glyph by glyph, its glyphs would overlap (a
            // full-width bracket under the next character). Each text keeps where it starts and the width the report's
            // face gives it (textLength), so the reader's face fills exactly the room the drawing left for it.
            body = SvgText().Replace(body, m => $"<text{GlyphPositions().Replace(m.Groups[1].Value, "$1=\"$2\"")}{TextLength(m.Groups[1].Value, m.Groups[2].Value)}>{m.Groups[2].Value}</text>");
            // ScottPlot clears its canvas to transparent first; Skia writes that as a rect with no fill, which SVG fills
            // black (a dark stripe where the plot's white background stops). The PDF draws nothing for it.
            body = UnpaintedRect().Replace(body, "");
            // Skia numbers clip paths with a counter of the process: renumbered in the order they appear, each figure's
            // ids are the same in every rendering, and unique in the page.
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            return SvgId().Replace(body, m =>
            {
                if (!ids.TryGetValue(m.Groups[2].Value, out var id)) ids[m.Groups[2].Value] = id = $"{prefix}{ids.Count + 1}";
                return m.Groups[1].Value + id;
            });
        }

        /// <summary>The width the report's face gives a text of Skia's SVG (its face, weight and size from the attributes).</summary>
        private string TextLength(string attributes, string content)
        {
            var text = System.Net.WebUtility.HtmlDecode(content);
            var size = Attribute(attributes, "font-size") is { } fs && float.TryParse(fs, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) ? f : 0;
            if (size <= 0 || text.Length == 0) return "";
            var bold = Attribute(attributes, "font-weight") is "bold" or "700";
            var fonts = ctx.Fonts;
            var fallback = Attribute(attributes, "font-family") is { } family && family != fonts.Regular.FamilyName;
            var typeface = fallback ? (bold ? fonts.FallbackBold : fonts.FallbackRegular) ?? fonts.Regular : bold ? fonts.Bold : fonts.Regular;
            using var font = new SKFont(typeface, size) { Subpixel = true, LinearMetrics = true, Hinting = SKFontHinting.None };
            return $" textLength=\"{Number(font.MeasureText(text))}\" lengthAdjust=\"spacingAndGlyphs\"";
        }

        private static string? Attribute(string attributes, string name) =>
            Regex.Match(attributes, $"\\b{name}=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : null;

        private string Id(Heading heading) => heading.Anchor ?? IdOf(heading);

        private readonly Dictionary<Heading, string> ids = [];

        private string IdOf(Heading heading)
        {
            if (!ids.TryGetValue(heading, out var id)) ids[heading] = id = $"section-{++generated}";
            return id;
        }

        private static Element? Next(IReadOnlyList<Element> flow, int i)
        {
            for (var k = i + 1; k < flow.Count; k++) if (!flow[k].IsSpace) return flow[k];
            return null;
        }
    }

    [GeneratedRegex("<text([^>]*)>([^<]*)</text>")]
    private static partial Regex SvgText();

    /// <summary>A list of glyph positions (x="0, 3.75, 11.25, "): its first position.</summary>
    [GeneratedRegex("\\b(x|y)=\"\\s*([-0-9.e]+)[^\"]*\"")]
    private static partial Regex GlyphPositions();

    /// <summary>A rect with neither fill nor stroke that is not a clip path's shape.</summary>
    [GeneratedRegex("(?<!<clipPath id=\"[^\"]*\">)<rect(?![^>]*\\b(fill|stroke)=)[^>]*/>")]
    private static partial Regex UnpaintedRect();

    /// <summary>An id, or a reference to one (url(#…), href="#…"), in Skia's SVG.</summary>
    [GeneratedRegex("(id=\"|url\\(#|href=\"#)([^\")]+)")]
    private static partial Regex SvgId();

    private static string Number(float value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Text content: &amp;, &lt; and &gt; escaped; everything else (Japanese included) as it is.</summary>
    private static string Text(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Attr(string text) => Text(text).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>Text whose line breaks (a cell's lines, a two-line title) are kept.</summary>
    private static string Lines(string text) => string.Join("<br>", text.Split('\n').Select(Text));

    /// <summary>A formula in MathML: letters as identifiers, digits as numbers, words as text, the rest as operators.</summary>
    private static string MathMl(MathNode node) => node switch
    {
        MathRow row => "<mrow>" + string.Concat(row.Items.Select(MathMl)) + "</mrow>",
        MathSub sub => $"<msub>{Group(sub.Base)}{Group(sub.Index)}</msub>",
        MathSup sup => $"<msup>{Group(sup.Base)}{Group(sup.Exponent)}</msup>",
        MathFrac frac => $"<mfrac>{Group(frac.Numerator)}{Group(frac.Denominator)}</mfrac>",
        MathFence fence => $"<mrow><mo fence=\"true\" stretchy=\"true\">{Text(fence.Open)}</mo>{MathMl(fence.Inner)}<mo fence=\"true\" stretchy=\"true\">{Text(fence.Close)}</mo></mrow>",
        MathText text => Tokens(text.Text),
        _ => "",
    };

    private static string Group(MathNode node) => node is MathRow ? MathMl(node) : $"<mrow>{MathMl(node)}</mrow>";

    private static string Tokens(string text)
    {
        var output = new StringBuilder();
        foreach (Match m in MathToken().Matches(text))
        {
            var t = Text(m.Value);
            output.Append(m.Groups["n"].Success ? $"<mn>{t}</mn>"
                : m.Groups["i"].Success ? (m.Value.Length == 1 ? $"<mi>{t}</mi>" : $"<mi mathvariant=\"normal\">{t}</mi>")
                : m.Groups["w"].Success ? $"<mtext>{t}</mtext>"
                : $"<mo>{t}</mo>");
        }
        return output.ToString();
    }

    [GeneratedRegex(@"(?<n>[0-9]+(\.[0-9]+)?)|(?<i>[A-Za-z\p{IsGreek}]+)|(?<w>[\p{IsCJKUnifiedIdeographs}\p{IsHiragana}\p{IsKatakana}ー]+)|(?<o>[^\s0-9A-Za-z\p{IsGreek}])")]
    private static partial Regex MathToken();
}
