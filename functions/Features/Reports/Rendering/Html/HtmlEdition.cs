using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// The report's accessible edition: the same document model as the PDF (<see cref="ReportModel"/>), written as HTML
/// node by node instead of laid out on pages — one composition, two outputs. Written for JIS X 8341-3 / WCAG 2.1 AA:
/// <c>lang="ja"</c>; a skip link and landmarks; the cover's title as the one h1, chapters as h2, sections as h3; the
/// contents as a list of links; every numbered table a real &lt;table&gt; with its caption, column and row headers, and
/// its 注）/資料： lines after it; every chart inline SVG (the drawing the PDF places on its page) named by its caption,
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

    public static byte[] Write(ReportModel model, RenderContext ctx, float width)
    {
        var html = new Writer(ctx, width);
        html.Document(model);
        return Encoding.UTF8.GetBytes(html.ToString());
    }

    /// <summary>Writes the model node by node: each kind of node has one way of being written, wherever it is.</summary>
    private sealed class Writer(RenderContext ctx, float width)
    {
        private readonly StringBuilder html = new();
        private int generated;

        public override string ToString() => html.ToString();

        public void Document(ReportModel model)
        {
            html.Append("<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n")
                .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // frame-ancestors is ignored in a meta element: the header the API sends carries it.
                .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(Attr(ContentSecurityPolicy.Replace("; frame-ancestors 'none'", "", StringComparison.Ordinal))).Append("\">\n")
                .Append("<title>").Append(Text(model.Title)).Append("</title>\n")
                .Append("<meta name=\"author\" content=\"").Append(Attr(model.Author)).Append("\">\n")
                .Append("<meta name=\"description\" content=\"").Append(Attr(model.Subject)).Append("\">\n")
                .Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n")
                .Append("<a class=\"skip\" href=\"#main\">本文へ移動</a>\n");

            var cover = model.Cover;
            html.Append("<header class=\"cover\">\n<h1>").Append(string.Join("<br>", cover.TitleLines.Select(Text))).Append("</h1>\n")
                .Append("<p class=\"subtitle\">").Append(Text(cover.Year)).Append("</p>\n")
                .Append("<p class=\"subtitle\">").Append(Text(cover.Subtitle)).Append("</p>\n")
                .Append("<p class=\"meta\">").Append(Text(cover.Publisher)).Append("</p>\n")
                .Append("<p class=\"meta\">").Append(Text(cover.DataDate)).Append("</p>\n")
                .Append("<p class=\"meta fingerprint\">").Append(Text(cover.Fingerprint)).Append("</p>\n")
                .Append("</header>\n");

            Contents(model);
            html.Append("<main id=\"main\">\n");
            foreach (var chapter in model.Chapters)
            {
                html.Append("<section aria-labelledby=\"").Append(Attr(chapter.Anchor)).Append("\">\n<h2 id=\"").Append(Attr(chapter.Anchor)).Append("\">")
                    .Append(Text(chapter.Title)).Append("</h2>\n");
                foreach (var content in chapter.Body) Content(content);
                html.Append("</section>\n");
            }
            html.Append("</main>\n");
            html.Append("<footer>\n<p>").Append(Text(model.Author)).Append("　").Append(Text(model.Title)).Append("</p>\n")
                .Append("<p>このHTML版は、PDF版と同じデータ（スナップショット SHA-256：<span class=\"fingerprint\">").Append(Text(model.SnapshotSha256))
                .Append("</span>）から作成した。</p>\n</footer>\n</body>\n</html>\n");
        }

        /// <summary>The contents: every chapter and each anchored section, as nested lists of links.</summary>
        private void Contents(ReportModel model)
        {
            html.Append("<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">").Append(Text(model.ContentsTitle)).Append("</h2>\n<ol>\n");
            foreach (var chapter in model.Chapters)
            {
                html.Append("<li>").Append(Link(chapter.Anchor, chapter.Title));
                var sections = chapter.Body.OfType<Section>().Where(s => s.Anchor is not null).ToList();
                if (sections.Count > 0)
                {
                    html.Append("\n<ol>\n");
                    foreach (var section in sections) html.Append("<li>").Append(Link(section.Anchor!, section.Title)).Append("</li>\n");
                    html.Append("</ol>");
                }
                html.Append("</li>\n");
            }
            html.Append("</ol>\n</nav>\n");
        }

        private static string Link(string anchor, string text) => $"<a href=\"#{Attr(anchor)}\">{Text(text)}</a>";

        private void Content(Content content)
        {
            switch (content)
            {
                case TextParagraph p:
                    html.Append("<p>").Append(Lines(p.Text)).Append("</p>\n");
                    break;
                case Section s:
                {
                    var id = s.Anchor ?? $"section-{++generated}";
                    html.Append("<section aria-labelledby=\"").Append(Attr(id)).Append("\">\n<h3 id=\"").Append(Attr(id)).Append("\">").Append(Text(s.Title)).Append("</h3>\n");
                    foreach (var inner in s.Body) Content(inner);
                    html.Append("</section>\n");
                    break;
                }
                case NumberedTable t:
                    Table(t.Table, t.Anchor, $"{t.Number}　{t.Title}");
                    Notes(t.Notes, t.Legend);
                    break;
                case NumberedFigure f:
                    Figure(f);
                    break;
                case DisplayFormula f:
                    html.Append("<div class=\"formula\"><math display=\"block\">").Append(MathMl(f.Expression)).Append("</math><span>")
                        .Append(Text(f.Number)).Append("</span></div>\n");
                    break;
                case BackLink link:
                    html.Append("<p class=\"back\"><a href=\"#").Append(Attr(link.Anchor)).Append("\">").Append(Text(link.Text)).Append("</a></p>\n");
                    break;
            }
        }

        /// <summary>The 注）/資料： lines under a table or figure, after its legend.</summary>
        private void Notes(IReadOnlyList<string> notes, SymbolLegend? legend = null)
        {
            var present = notes.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
            if (present.Count == 0 && legend is null) return;
            html.Append("<div class=\"notes\">\n");
            if (legend is not null) Legend(legend);
            foreach (var note in present) html.Append("<p class=\"note\">").Append(Lines(note)).Append("</p>\n");
            html.Append("</div>\n");
        }

        private void Legend(SymbolLegend legend)
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

        private void Table(TableContent table, string id, string caption, string? cssClass = null)
        {
            var rowHeader = table.RowHeaderColumn;
            // A wide table scrolls sideways on a small screen: the scrolling region is named and reachable by keyboard.
            html.Append("<div class=\"table\" role=\"region\" aria-labelledby=\"").Append(id).Append("-caption\" tabindex=\"0\">\n")
                .Append("<table id=\"").Append(id).Append('"').Append(cssClass is null ? "" : $" class=\"{cssClass}\"").Append(">\n")
                .Append("<caption id=\"").Append(id).Append("-caption\">").Append(Text(caption)).Append("</caption>\n");
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
            var links = table.Links ?? [];
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var row = table.Rows[r];
                html.Append("<tr>");
                for (var c = 0; c < table.Columns.Count; c++)
                {
                    var cell = c < row.Count ? row[c] : "";
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

        /// <summary>The chart as the PDF draws it (the same drawing, as SVG), named, described, and followed by its data.</summary>
        private void Figure(NumberedFigure figure)
        {
            var id = figure.Anchor;
            var caption = $"{figure.Number}　{figure.Title}";
            var drawing = figure.Picture.DrawingAt(ctx, width);
            html.Append("<figure id=\"").Append(id).Append("\" aria-labelledby=\"").Append(id).Append("-caption\">\n")
                .Append("<figcaption id=\"").Append(id).Append("-caption\">").Append(Text(caption)).Append("</figcaption>\n");
            html.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"").Append(id).Append("-title ").Append(id).Append("-desc\" viewBox=\"0 0 ")
                .Append(Number(width)).Append(' ').Append(Number(drawing.Height)).Append("\" width=\"").Append(Number(width)).Append("\" height=\"").Append(Number(drawing.Height)).Append("\">")
                .Append("<title id=\"").Append(id).Append("-title\">").Append(Text(caption)).Append("</title>")
                .Append("<desc id=\"").Append(id).Append("-desc\">").Append(Text(figure.Description)).Append("</desc>")
                .Append(drawing.ToSvg()).Append("</svg>\n");
            if (figure.Data is { } data)
            {
                html.Append("<details><summary>").Append(Text(figure.Number)).Append("のデータ（表）</summary>\n");
                Table(data, $"{id}-data", $"{figure.Number}のデータ", "data");
                html.Append("</details>\n");
            }
            Notes(figure.Notes);
            html.Append("</figure>\n");
        }
    }

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
