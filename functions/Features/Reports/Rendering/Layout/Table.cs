namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// A table column. A <paramref name="NoWrap"/> column (a status, a number with its unit) is as wide as its widest line,
/// so its content never breaks inside a word or a number; the other columns share the rest of the width by weight.
/// </summary>
public sealed record Column(string Title, float Weight, Align Align = Align.Left, bool NoWrap = false);

/// <summary>
/// A table whose header row is repeated on every page it crosses. It splits between rows, never leaving a single row
/// on either side; a row taller than a page is split between lines. The layout of its rows (column widths, wrapped
/// lines, heights and their running sums) is computed once per width and shared by every part of the table, so
/// measuring a part and finding where it splits cost a lookup and a binary search, not a pass over the rows.
/// </summary>
public sealed class Table : Element
{
    private const float Padding = 3f;

    /// <summary>A table with at most this many rows is moved whole to the next page rather than split.</summary>
    private const int KeepWholeRows = 4;

    private readonly Shape shape;

    /// <summary>The rows this part shows: from row <see cref="start"/> (skipping its first <see cref="startLine"/> lines) to <see cref="end"/>.</summary>
    private readonly int start;
    private readonly int startLine;
    private readonly int end;

    /// <summary>When set, this part ends inside row <see cref="end"/> − 1, after this many of its lines.</summary>
    private readonly int? endLine;

    /// <param name="links">For each row, the anchor its cell in <paramref name="linkColumn"/> links to (or null): a link
    /// annotation in the PDF, an &lt;a&gt; in the HTML edition.</param>
    /// <param name="tag">The table's Table structure element (its Caption already added): the table adds its header
    /// cells, rows and cells under it, shared by every part of the table; <paramref name="rowHeaderColumn"/> is the
    /// column whose cells head their rows.</param>
    public Table(IReadOnlyList<Column> columns, IReadOnlyList<IReadOnlyList<string>> rows, TextStyle? text = null, TextStyle? header = null,
        IReadOnlyList<string?>? links = null, int linkColumn = 0, StructElement? tag = null, int rowHeaderColumn = 0)
        : this(new Shape(columns, rows, text ?? TextStyle.TableText, header ?? TextStyle.TableHeader, links, linkColumn,
            tag is null ? null : new TableTags(tag, columns.Count, rows.Count, rowHeaderColumn, links, linkColumn)), 0, 0, rows.Count, null)
    {
    }

    private Table(Shape shape, int start, int startLine, int end, int? endLine)
    {
        this.shape = shape;
        this.start = start;
        this.startLine = startLine;
        this.end = end;
        this.endLine = endLine;
    }

    /// <summary>The rows this part of the table shows (a row split across pages appears in both parts).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Rows => shape.Rows.Skip(start).Take(end - start).ToList();

    public IReadOnlyList<Column> Columns => shape.Columns;

    /// <summary>The anchor each row of <see cref="Rows"/> links to from its cell in <see cref="LinkColumn"/>, if any.</summary>
    public IReadOnlyList<string?> Links => shape.Links is { } links ? links.Skip(start).Take(end - start).ToList() : [];

    public int LinkColumn => shape.LinkColumn;

    /// <summary>The column widths at a table width (what the tests check of the layout).</summary>
    internal IReadOnlyList<float> WidthsAt(RenderContext ctx, float width)
    {
        shape.Prepare(ctx, width);
        return shape.Widths;
    }

    /// <summary>The lines a cell wraps to at a table width.</summary>
    internal IReadOnlyList<string> LinesAt(RenderContext ctx, float width, int row, int column)
    {
        shape.Prepare(ctx, width);
        return shape.Lines[row][column];
    }

    /// <summary>Whether this part begins with the rest of a row split on the page before.</summary>
    public bool ContinuesARow => startLine > 0;

    /// <summary>Whether this part ends partway through its last row.</summary>
    public bool EndsInsideARow => endLine is not null;

    /// <summary>Column widths, wrapped lines and row heights for one width: computed once, shared by all parts.</summary>
    private sealed class Shape(IReadOnlyList<Column> columns, IReadOnlyList<IReadOnlyList<string>> rows, TextStyle text, TextStyle header,
        IReadOnlyList<string?>? links, int linkColumn, TableTags? tags)
    {
        public TableTags? Tags => tags;
        public IReadOnlyList<string?>? Links => links;
        public int LinkColumn => linkColumn;
        public IReadOnlyList<Column> Columns => columns;
        public IReadOnlyList<IReadOnlyList<string>> Rows => rows;
        public TextStyle Text => text;
        public TextStyle Header => header;

        public float Width = float.NaN;
        public float[] Widths = [];
        public IReadOnlyList<string>[] HeaderLines = [];
        public float HeaderHeight;
        public IReadOnlyList<string>[][] Lines = [];
        public int[] LineCount = [];
        public float LineHeight;

        /// <summary>Prefix[i] = height of rows 0..i−1.</summary>
        public float[] Prefix = [];

        public void Prepare(RenderContext ctx, float width)
        {
            if (Width == width) return;
            Widths = ColumnWidths(ctx, width);
            HeaderLines = columns.Select((c, i) => ctx.Wrap(c.Title, header, Widths[i] - 2 * Padding)).ToArray();
            HeaderHeight = HeaderLines.Max(l => l.Count) * ctx.LineHeight(header) + 2 * Padding;
            LineHeight = ctx.LineHeight(text);
            Lines = new IReadOnlyList<string>[rows.Count][];
            LineCount = new int[rows.Count];
            Prefix = new float[rows.Count + 1];
            for (var r = 0; r < rows.Count; r++)
            {
                Lines[r] = new IReadOnlyList<string>[columns.Count];
                for (var c = 0; c < columns.Count; c++) Lines[r][c] = ctx.Wrap(c < rows[r].Count ? rows[r][c] : "", text, Widths[c] - 2 * Padding);
                LineCount[r] = Math.Max(1, Lines[r].Max(l => l.Count));
                Prefix[r + 1] = Prefix[r] + LineCount[r] * LineHeight + 2 * Padding;
            }
            Width = width;
        }

        /// <summary>
        /// Each no-wrap column gets its widest line (header included); the others share what is left by weight. When the
        /// no-wrap columns would leave the others less than a third of their share, the widest no-wrap column wider than
        /// its own share wraps after all (an agency name of 100 characters), one at a time; only when none is, all of
        /// them scale down.
        /// </summary>
        private float[] ColumnWidths(RenderContext ctx, float width)
        {
            var noWrap = columns.Select(c => c.NoWrap).ToArray();
            var natural = columns.Select((c, i) => !c.NoWrap ? 0f :
                rows.Select(r => i < r.Count ? r[i] : "").Select(cell => (cell, text)).Append((c.Title, header))
                    .SelectMany(p => p.Item1.Split('\n').Select(line => ctx.Measure(line, p.Item2)))
                    .DefaultIfEmpty(0).Max() + 2 * Padding + 0.5f).ToArray();
            var totalWeight = columns.Sum(c => c.Weight);
            while (true)
            {
                var fixedTotal = natural.Where((_, i) => noWrap[i]).Sum();
                var flexible = columns.Where((_, i) => !noWrap[i]).Sum(c => c.Weight);
                var rest = width - fixedTotal;
                var minimumRest = flexible > 0 ? width * flexible / totalWeight / 3 : 0;
                if (rest >= minimumRest || fixedTotal <= 0)
                {
                    var widths = columns.Select((c, i) => noWrap[i] ? natural[i] : flexible > 0 ? rest * c.Weight / flexible : 0).ToArray();
                    if (flexible == 0)
                    {
                        var spare = (width - widths.Sum()) / widths.Length;
                        widths = widths.Select(w => w + spare).ToArray();
                    }
                    else
                    {
                        FitToContent(ctx, widths, noWrap);
                    }
                    return widths;
                }
                var widest = Enumerable.Range(0, columns.Count)
                    .Where(i => noWrap[i] && natural[i] > width * columns[i].Weight / totalWeight)
                    .OrderByDescending(i => natural[i]).Select(i => (int?)i).FirstOrDefault();
                if (widest is { } w)
                {
                    noWrap[w] = false;
                    continue;
                }
                var scale = (width - minimumRest) / fixedTotal;
                return columns.Select((c, i) => noWrap[i] ? natural[i] * scale : rest > 0 ? minimumRest * c.Weight / flexible : 0).ToArray();
            }
        }

        /// <summary>
        /// The wrapping columns' widths from their content, starting from their shares by weight: a column whose content
        /// (header included) is narrower than its share gives the rest to the others — an empty column keeps only what
        /// its header needs — and a column narrower than its longest word (a user name, a number with its unit) takes
        /// what it needs from columns with room to spare, so a short Latin word is never broken and no line starts with
        /// punctuation 禁則処理 keeps with the text before it. A word wider than a quarter of the wrapping columns (a
        /// 100-character identifier) still breaks: the box comes first.
        /// </summary>
        private void FitToContent(RenderContext ctx, float[] widths, bool[] noWrap)
        {
            var flexible = Enumerable.Range(0, columns.Count).Where(i => !noWrap[i]).ToList();
            var total = flexible.Sum(i => widths[i]);
            var most = new float[columns.Count];
            var least = new float[columns.Count];
            // A piece wider than a quarter of the wrapping columns breaks anyway (a 100-character identifier): it sets no
            // minimum, so it cannot starve the other columns.
            var cap = total / 4;
            foreach (var i in flexible)
            {
                var (longestLine, longestWord) = Extent(ctx, columns[i].Title, header, cap);
                foreach (var row in rows)
                {
                    var (line, word) = Extent(ctx, i < row.Count ? row[i] : "", text, cap);
                    longestLine = Math.Max(longestLine, line);
                    longestWord = Math.Max(longestWord, word);
                }
                most[i] = longestLine + 2 * Padding + 0.5f;
                least[i] = Math.Min(longestWord + 2 * Padding + 0.5f, most[i]);
            }

            // Columns with less content than their share keep only what it needs; the others share the rest by weight.
            var capped = new HashSet<int>();
            while (true)
            {
                var over = flexible.Where(i => !capped.Contains(i) && widths[i] > most[i]).ToList();
                if (over.Count == 0) break;
                foreach (var i in over) capped.Add(i);
                var open = flexible.Where(i => !capped.Contains(i)).ToList();
                var surplus = over.Sum(i => widths[i] - most[i]);
                foreach (var i in over) widths[i] = most[i];
                if (open.Count == 0)
                {
                    // Everything fits on one line: the table still spans its width, the spare in proportion to content.
                    var content = flexible.Sum(i => most[i]);
                    foreach (var i in flexible) widths[i] += surplus * most[i] / content;
                    return;
                }
                var weight = open.Sum(i => columns[i].Weight);
                foreach (var i in open) widths[i] += surplus * columns[i].Weight / weight;
            }

            // Columns narrower than their longest word take it from columns wider than theirs.
            var need = flexible.Sum(i => Math.Max(0, least[i] - widths[i]));
            if (need <= 0) return;
            var slack = flexible.Sum(i => Math.Max(0, widths[i] - least[i]));
            if (slack <= 0) return;
            var share = Math.Min(1, slack / need);
            var take = Math.Min(need, slack) / slack;
            foreach (var i in flexible)
            {
                widths[i] = widths[i] < least[i]
                    ? widths[i] + (least[i] - widths[i]) * share
                    : widths[i] - (widths[i] - least[i]) * take;
            }
            System.Diagnostics.Debug.Assert(Math.Abs(flexible.Sum(i => widths[i]) - total) < 0.01f);
        }

        /// <summary>The widest line of a cell unwrapped, and its widest piece no break may divide, up to <paramref name="cap"/>.</summary>
        private static (float Line, float Word) Extent(RenderContext ctx, string cell, TextStyle style, float cap)
        {
            float line = 0, word = 0;
            foreach (var l in cell.Split('\n'))
            {
                line = Math.Max(line, ctx.Measure(l, style));
                foreach (var piece in LineBreaker.Clusters(l))
                {
                    if (piece.Length <= 1) continue;
                    var w = ctx.Measure(piece, style);
                    if (w <= cap) word = Math.Max(word, w);
                }
            }
            return (line, word);
        }

        public float RowHeight(int row, int fromLine, int toLine) => (toLine - fromLine) * LineHeight + 2 * Padding;
    }

    private int LastRowLines => endLine ?? shape.LineCount[end - 1];

    public override float Measure(RenderContext ctx, float width)
    {
        shape.Prepare(ctx, width);
        if (end <= start) return shape.HeaderHeight;
        if (end - start == 1) return shape.HeaderHeight + shape.RowHeight(start, startLine, LastRowLines);
        var first = shape.RowHeight(start, startLine, shape.LineCount[start]);
        var middle = shape.Prefix[end - 1] - shape.Prefix[start + 1];
        var last = shape.RowHeight(end - 1, 0, LastRowLines);
        return shape.HeaderHeight + first + middle + last;
    }

    public override (Element Head, Element Tail)? Split(RenderContext ctx, float width, float available, bool pageTop)
    {
        shape.Prepare(ctx, width);
        var rows = end - start;
        var room = available - shape.HeaderHeight;
        if (rows <= 0 || room <= 0) return null;
        // A short table moves whole rather than leave a row or two behind.
        if (!pageTop && MovesWhole(ctx, width)) return null;

        // The first row may be the rest of a row split on the previous page.
        var firstHeight = shape.RowHeight(start, startLine, shape.LineCount[start]);
        if (end - start == 1 && endLine is not null) firstHeight = shape.RowHeight(start, startLine, LastRowLines);
        if (firstHeight > room)
        {
            // Not even the first row: wait for a new page if it fits on one, else split it between lines here.
            if (!pageTop && !TallerThanAPage(ctx, firstHeight)) return null;
            return SplitRow(start, startLine, room, pageTop);
        }

        // Whole rows that fit after the first: the last index k with Prefix[k] − Prefix[start + 1] ≤ room − first.
        var budget = room - firstHeight;
        var limit = endLine is null ? end : end - 1; // a trailing partial row is not a whole row
        var lo = start + 1;
        var hi = limit;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (shape.Prefix[mid] - shape.Prefix[start + 1] <= budget) lo = mid; else hi = mid - 1;
        }
        var fitEnd = lo; // rows start .. fitEnd−1 fit whole
        if (fitEnd >= end && endLine is null) return null; // everything fits: nothing to split
        if (fitEnd < end)
        {
            var nextHeight = shape.RowHeight(fitEnd, 0, fitEnd == end - 1 ? LastRowLines : shape.LineCount[fitEnd]);
            if (TallerThanAPage(ctx, nextHeight))
            {
                // The next row could never fit on a page: start it here, in the room left.
                var left = budget - (shape.Prefix[fitEnd] - shape.Prefix[start + 1]);
                var lines = (int)((left - 2 * Padding) / shape.LineHeight);
                if (lines >= 2) return Cut(fitEnd, lines);
            }
        }
        // No widows or orphans: keep at least two rows on each side when the table has them.
        var head = fitEnd - start;
        var tail = end - fitEnd;
        if (tail == 1 && head > 2) fitEnd--;
        else if (tail == 1 && !pageTop) return null;
        if (fitEnd - start < 2 && rows >= 4 && !pageTop) return null;
        if (fitEnd <= start) return pageTop ? SplitRow(start, startLine, room, true) : null;
        return (new Table(shape, start, startLine, fitEnd, null), new Table(shape, fitEnd, 0, end, endLine));

        (Element, Element)? Cut(int row, int lines) =>
            (new Table(shape, start, startLine, row + 1, lines), new Table(shape, row, lines, end, endLine));
    }

    /// <summary>
    /// A whole table of a few rows, or no taller than a third of a page, is never split except at a page top — provided
    /// it fits on a page at all: a table of three rows each half a page tall must split wherever it starts.
    /// </summary>
    private bool MovesWhole(RenderContext ctx, float width)
    {
        if (start != 0 || startLine != 0 || endLine is not null) return false;
        var height = Measure(ctx, width);
        return height <= ctx.PageHeight && (end - start <= KeepWholeRows || height <= ctx.PageHeight / 3);
    }

    /// <summary>The whole table when it moves whole; else its header and first two rows (two lines of a very tall row).</summary>
    public override float Lead(RenderContext ctx, float width)
    {
        shape.Prepare(ctx, width);
        if (end <= start || MovesWhole(ctx, width)) return Measure(ctx, width);
        var first = shape.RowHeight(start, startLine, end - start == 1 ? LastRowLines : shape.LineCount[start]);
        if (TallerThanAPage(ctx, first)) return shape.HeaderHeight + shape.RowHeight(start, 0, 2);
        var second = end - start > 1 ? shape.RowHeight(start + 1, 0, end - start == 2 ? LastRowLines : shape.LineCount[start + 1]) : 0;
        return Math.Min(Measure(ctx, width), shape.HeaderHeight + first + second);
    }

    /// <summary>A row that would fill most of a page is the only thing ever split mid-row.</summary>
    private static bool TallerThanAPage(RenderContext ctx, float height) => height > ctx.PageHeight * 0.85f;

    private (Element, Element)? SplitRow(int row, int fromLine, float room, bool pageTop)
    {
        var total = row == end - 1 ? LastRowLines : shape.LineCount[row];
        var lines = Math.Min((int)((room - 2 * Padding) / shape.LineHeight), total - fromLine - 1);
        if (lines < 1) return null;
        if (lines < 2 && !pageTop) return null;
        return (new Table(shape, start, startLine, row + 1, fromLine + lines), new Table(shape, row, fromLine + lines, end, endLine));
    }

    public override void Draw(RenderContext ctx, Canvas canvas, float x, float y, float width)
    {
        shape.Prepare(ctx, width);
        var widths = shape.Widths;
        var grid = new Stroke(0xFF8FA3B8, 0.5f);
        var tags = shape.Tags;
        var top = y;

        void DrawRow(IReadOnlyList<string>[] cells, int fromLine, int toLine, TextStyle style, float lineHeight, bool isHeader, int row)
        {
            var h = (toLine - fromLine) * lineHeight + 2 * Padding;
            var link = !isHeader && shape.Links is { } links && row < links.Count ? links[row] : null;
            if (isHeader)
            {
                canvas.BeginArtifact(ArtifactKind.Layout);
                canvas.Rect(x, top, width, h, 0xFFDCE6F1, null);
                canvas.EndArtifact();
            }
            // The header row belongs to the table where it first appears; on the pages the table continues on it is
            // repeated for the eye, and a reader that follows the structure has already met it.
            var repeated = isHeader && (start > 0 || startLine > 0);
            if (repeated) canvas.BeginArtifact(ArtifactKind.Repeated);
            var cx = x;
            for (var i = 0; i < widths.Length; i++)
            {
                var cellTag = repeated || tags is null ? null : isHeader ? tags.HeaderCells[i] : tags.Cells[row][i];
                var linkTag = !isHeader && i == shape.LinkColumn && link is not null ? tags?.Links[row] : null;
                if (cellTag is not null) canvas.BeginTag(linkTag ?? cellTag);
                var lineTop = top + Padding;
                var align = isHeader ? Align.Center : shape.Columns[i].Align;
                foreach (var line in cells[i].Skip(fromLine).Take(toLine - fromLine))
                {
                    ctx.DrawLine(canvas, line, style, cx + Padding, lineTop, widths[i] - 2 * Padding, align);
                    lineTop += lineHeight;
                }
                if (link is not null && i == shape.LinkColumn)
                {
                    canvas.Link(cx, top, widths[i], h, link, string.Join("", cells[i]), linkTag);
                }
                if (cellTag is not null) canvas.EndTag();
                cx += widths[i];
            }
            if (repeated) canvas.EndArtifact();
            canvas.BeginArtifact(ArtifactKind.Layout);
            cx = x;
            for (var i = 0; i < widths.Length; i++)
            {
                canvas.Rect(cx, top, widths[i], h, null, grid);
                cx += widths[i];
            }
            canvas.EndArtifact();
            top += h;
        }

        DrawRow(shape.HeaderLines, 0, shape.HeaderLines.Max(l => l.Count), shape.Header, ctx.LineHeight(shape.Header), isHeader: true, -1);
        for (var r = start; r < end; r++)
        {
            var from = r == start ? startLine : 0;
            var to = r == end - 1 ? LastRowLines : shape.LineCount[r];
            DrawRow(shape.Lines[r], from, to, shape.Text, shape.LineHeight, isHeader: false, r);
        }
    }
}

/// <summary>
/// A table's structure elements: Table → THead → TR → TH (scope column), TBody → TR → TH (scope row, the column that
/// names the row) and TD, and a Link inside the cell that links. Made with the table, before it is laid out, so every
/// part of a table split across pages fills the same elements.
/// </summary>
public sealed class TableTags
{
    public StructElement Table { get; }
    public IReadOnlyList<StructElement> HeaderCells { get; }
    public IReadOnlyList<IReadOnlyList<StructElement>> Cells { get; }
    public IReadOnlyList<StructElement?> Links { get; }

    /// <param name="table">The Table element, its Caption (if any) already added.</param>
    internal TableTags(StructElement table, int columns, int rows, int rowHeaderColumn, IReadOnlyList<string?>? links, int linkColumn)
    {
        Table = table;
        var head = table.Add(StructType.THead).Add(StructType.TR);
        HeaderCells = Enumerable.Range(0, columns).Select(_ => head.Add(StructType.TH, scope: HeaderScope.Column)).ToList();
        var body = table.Add(StructType.TBody);
        var cells = new List<IReadOnlyList<StructElement>>();
        var linkTags = new List<StructElement?>();
        for (var r = 0; r < rows; r++)
        {
            var tr = body.Add(StructType.TR);
            var row = Enumerable.Range(0, columns)
                .Select(c => c == rowHeaderColumn ? tr.Add(StructType.TH, scope: HeaderScope.Row) : tr.Add(StructType.TD)).ToList();
            cells.Add(row);
            linkTags.Add(links is not null && r < links.Count && links[r] is not null ? row[linkColumn].Add(StructType.Link) : null);
        }
        Cells = cells;
        Links = linkTags;
    }
}
