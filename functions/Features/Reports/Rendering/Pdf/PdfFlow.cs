namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// The PDF edition's theme and mapping: each node of the <see cref="ReportModel"/> becomes laid-out elements — styles,
/// the space between things, page breaks, what is kept together and with what follows — and, alongside, the structure
/// element that says what it is (the tagged PDF's tree, in reading order). Nothing here decides content.
/// </summary>
public static class PdfFlow
{
    private static readonly TextStyle CoverTitle = new(24f, Bold: true, Color: 0xFF1F4E79, LineHeight: 1.6f);
    private static readonly TextStyle CoverYear = new(18f, Bold: true, LineHeight: 1.6f);
    private static readonly TextStyle CoverText = new(12f, LineHeight: 1.6f);
    private static readonly TextStyle ChapterStyle = new(15f, Bold: true, Color: 0xFF1F4E79);
    private static readonly TextStyle SectionStyle = new(12f, Bold: true, Color: 0xFF1F4E79);
    private static readonly TextStyle Running = new(7.5f, Color: 0xFF666666);
    private static readonly TextStyle Tiny = new(6.5f, Color: 0xFF666666);
    private static readonly TextStyle Dense = new(7.5f, LineHeight: 1.3f);
    private static readonly TextStyle DenseHeader = new(7.5f, Bold: true, LineHeight: 1.3f);

    /// <summary>The page flow, the outline (the headings the contents page lists) and the root of the structure tree.</summary>
    public sealed record Mapped(IReadOnlyList<Element> Flow, IReadOnlyList<OutlineEntry> Outline, StructElement Document);

    public static Mapped Map(ReportModel model)
    {
        var document = new StructElement(StructType.Document, null);
        var flow = new List<Element>();

        // The cover.
        var cover = document.Add(StructType.Sect);
        flow.AddRange(
        [
            new Spacer(170),
            new Paragraph(string.Join('\n', model.Cover.TitleLines), CoverTitle, Align.Center, tag: cover.Add(StructType.H1)),
            new Spacer(28),
            new Paragraph(model.Cover.Year, CoverYear, Align.Center, tag: cover.Add(StructType.P)),
            new Spacer(16),
            new Paragraph(model.Cover.Subtitle, CoverText, Align.Center, tag: cover.Add(StructType.P)),
            new Spacer(230),
            new Paragraph(model.Cover.Publisher, CoverText, Align.Center, tag: cover.Add(StructType.P)),
            new Paragraph(model.Cover.DataDate, CoverText, Align.Center, tag: cover.Add(StructType.P)),
            new Spacer(40),
            new Paragraph(model.Cover.Fingerprint, Tiny, Align.Center, tag: cover.Add(StructType.P)),
            new PageBreak(),
        ]);

        // The contents: its structure (a list of links) comes before the chapters in reading order, its entries need
        // the chapters' headings (their page numbers): the tags first, the elements once the headings exist.
        var contents = document.Add(StructType.Sect);
        var contentsHeading = new Heading(model.ContentsTitle, ChapterStyle, tag: contents.Add(StructType.H2));
        var list = contents.Add(StructType.L);
        var entryTags = new List<(StructElement Chapter, IReadOnlyList<StructElement> Sections)>();
        foreach (var chapter in model.Chapters)
        {
            var item = list.Add(StructType.LI).Add(StructType.LBody);
            var link = item.Add(StructType.Link);
            var anchored = chapter.Body.OfType<Section>().Where(s => s.Anchor is not null).ToList();
            var sub = anchored.Count == 0 ? null : item.Add(StructType.L);
            entryTags.Add((link, anchored.Select(_ => sub!.Add(StructType.LI).Add(StructType.LBody).Add(StructType.Link)).ToList()));
        }

        var chapterFlows = new List<Element>();
        var toc = new List<Element> { contentsHeading, new Spacer(8) };
        var outline = new List<OutlineEntry>();
        for (var c = 0; c < model.Chapters.Count; c++)
        {
            var chapter = model.Chapters[c];
            var sect = document.Add(StructType.Sect);
            var heading = new Heading(chapter.Title, ChapterStyle, chapter.Anchor, tag: sect.Add(StructType.H2));
            chapterFlows.Add(heading);
            chapterFlows.Add(new Spacer(chapter.Body.FirstOrDefault() is Section ? 8 : 6));
            var sections = new List<Heading>();
            chapterFlows.AddRange(Body(chapter.Body, sect, sections));
            chapterFlows.Add(new PageBreak());

            toc.Add(new TocEntry(heading, 0, entryTags[c].Chapter));
            for (var s = 0; s < sections.Count; s++) toc.Add(new TocEntry(sections[s], 1, entryTags[c].Sections[s]));
            outline.Add(new OutlineEntry(chapter.Title, chapter.Anchor, sections.Select(h => new OutlineEntry(h.Text, h.Anchor!, [])).ToList()));
        }
        toc.Add(new PageBreak());
        flow.AddRange(toc);
        flow.AddRange(chapterFlows);
        return new Mapped(flow, outline, document);
    }

    /// <summary>A chapter's or section's content, with the space between its parts; anchored section headings are collected.</summary>
    private static List<Element> Body(IReadOnlyList<Content> body, StructElement parent, List<Heading> anchored)
    {
        var flow = new List<Element>();
        Content? previous = null;
        foreach (var content in body)
        {
            if (content is BackLink) continue; // a screen's aid: the printed page has no use for it
            if (previous is not null) flow.Add(new Spacer(Gap(previous, content)));
            switch (content)
            {
                case TextParagraph p:
                    flow.Add(new Paragraph(p.Text, TextStyle.Body, tag: parent.Add(StructType.P)));
                    break;
                case DisplayFormula f:
                    flow.Add(new Formula(f.Expression, f.Number, tag: parent.Add(StructType.Formula, alt: $"式{f.Number}：{Formula.Linear(f.Expression)}")));
                    break;
                case NumberedTable t:
                    flow.AddRange(Table(t, parent));
                    break;
                case NumberedFigure f:
                    flow.Add(Figure(f, parent));
                    break;
                case Section s:
                {
                    var sect = parent.Add(StructType.Sect);
                    var heading = new Heading(s.Title, SectionStyle, s.Anchor, tag: sect.Add(StructType.H3));
                    if (s.Anchor is not null) anchored.Add(heading);
                    List<Element> elements = [heading, new Spacer(4), .. Body(s.Body, sect, anchored)];
                    if (s.KeepTogether) flow.Add(new Block(elements));
                    else flow.AddRange(elements);
                    break;
                }
            }
            previous = content;
        }
        return flow;
    }

    private static float Gap(Content previous, Content next) => (previous, next) switch
    {
        (Section { KeepTogether: true }, Section { KeepTogether: true }) => 14,
        (_, Section) => 10,
        (DisplayFormula, _) => 2,
        (TextParagraph, TextParagraph or DisplayFormula) => 5,
        (_, NumberedTable or NumberedFigure) => 8,
        _ => 6,
    };

    /// <summary>Caption, table, legend and notes: the Table element holds its Caption; the notes follow it.</summary>
    private static IEnumerable<Element> Table(NumberedTable t, StructElement parent)
    {
        var tag = parent.Add(StructType.Table);
        var caption = new Caption(t.Number, t.Title, tag.Add(StructType.Caption));
        var content = t.Table;
        var table = new Table(content.Columns, content.Rows, content.Dense ? Dense : null, content.Dense ? DenseHeader : null, content.Links, content.LinkColumn,
            tag, content.RowHeaderColumn);
        List<Element> elements = [caption, new Spacer(3), table];
        if (t.Legend is { } legend)
        {
            elements.Add(new Spacer(2));
            elements.Add(new Paragraph(legend.Text, TextStyle.Note, tag: parent.Add(StructType.P)));
        }
        elements.AddRange(Notes(t.Notes, parent, spaced: t.Legend is null));
        return t.KeepTogether ? [new Block(elements)] : elements;
    }

    /// <summary>Caption, picture and notes, kept together: a Div holding the Caption, the Figure (with its alternative text) and the Notes.</summary>
    private static Block Figure(NumberedFigure f, StructElement parent)
    {
        var div = parent.Add(StructType.Div);
        var caption = new Caption(f.Number, f.Title, div.Add(StructType.Caption));
        var figure = new Figure(f.Picture, div.Add(StructType.Figure, alt: f.AlternativeText));
        return new Block([caption, new Spacer(3), figure, .. Notes(f.Notes, div, spaced: true)]);
    }

    private static IEnumerable<Element> Notes(IReadOnlyList<string> notes, StructElement parent, bool spaced)
    {
        var present = notes.Where(n => !string.IsNullOrWhiteSpace(n)).ToList();
        if (present.Count == 0) yield break;
        if (spaced) yield return new Spacer(2);
        foreach (var note in present) yield return new Paragraph(note, TextStyle.Note, tag: parent.Add(StructType.Note));
    }

    /// <summary>The running header and the page number, as page furniture (artifacts); the cover has neither.</summary>
    public static void Decorate(RenderContext ctx, Canvas canvas, PageGeometry page, string header, int number, int total)
    {
        if (number == 1) return;
        canvas.BeginArtifact(ArtifactKind.Header);
        ctx.DrawLine(canvas, header, Running, page.Margin, page.Margin, page.ContentWidth);
        canvas.Line(page.Margin, page.Margin + page.HeaderHeight - 8, page.Width - page.Margin, page.Margin + page.HeaderHeight - 8, new Stroke(0xFFB0B0B0, 0.5f));
        canvas.EndArtifact();
        canvas.BeginArtifact(ArtifactKind.Footer);
        ctx.DrawLine(canvas, $"{number} / {total}", Running, page.Margin, page.Height - page.Margin - 10, page.ContentWidth, Align.Center);
        canvas.EndArtifact();
    }
}
