namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// The report as a document says what it is, before any page exists: a cover, chapters of sections, paragraphs,
/// numbered tables and figures with their notes, formulas, a legend, links. Composed once from the snapshot
/// (<see cref="ReportComposer"/>); the PDF maps it to laid-out pages (<see cref="PdfFlow"/>) and the HTML edition writes
/// it node by node (<see cref="HtmlEdition"/>), so neither edition has to guess what a thing is from where it sits.
/// </summary>
public sealed record ReportModel(
    string Title,
    string Author,
    string Subject,
    DateTimeOffset Created,
    string SnapshotSha256,
    CoverPage Cover,
    string ContentsTitle,
    IReadOnlyList<Chapter> Chapters);

/// <summary>The cover: the title (its lines as set), the year, the subject, the issuing body, the data date, the fingerprint.</summary>
public sealed record CoverPage(IReadOnlyList<string> TitleLines, string Year, string Subtitle, string Publisher, string DataDate, string Fingerprint);

/// <summary>A chapter (the summary, one per group of the annex, an appendix): it starts a page and is listed in the contents.</summary>
public sealed record Chapter(string Anchor, string Title, IReadOnlyList<Content> Body);

/// <summary>What a chapter or section holds.</summary>
public abstract record Content;

/// <summary>
/// A section under a chapter. With an anchor it is listed in the contents and the outline (an indicator); one that is
/// <paramref name="KeepTogether"/> is kept on one page where it fits.
/// </summary>
public sealed record Section(string? Anchor, string Title, IReadOnlyList<Content> Body, bool KeepTogether = false) : Content;

/// <summary>A paragraph of body text.</summary>
public sealed record TextParagraph(string Text) : Content;

/// <summary>
/// A numbered table (表1-1): caption above, the table, an optional legend, and its 注）/資料： lines below. A table
/// <paramref name="KeepTogether"/> stays on one page with its caption and notes.
/// </summary>
public sealed record NumberedTable(string Number, string Title, TableContent Table, IReadOnlyList<string> Notes,
    SymbolLegend? Legend = null, bool KeepTogether = false) : Content
{
    public string Anchor => Caption.AnchorOf(Number);
}

/// <summary>
/// A numbered figure (図1-1): caption, the picture (drawn once, used by both editions), what it shows in words, the
/// figures it was drawn from, and its notes.
/// </summary>
public sealed record NumberedFigure(string Number, string Title, Picture Picture, string Description, TableContent? Data, IReadOnlyList<string> Notes) : Content
{
    public string Anchor => Caption.AnchorOf(Number);

    /// <summary>What a reader who cannot see the picture is told: its description, then its figures.</summary>
    public string AlternativeText => Data is null ? Description
        : Description + "　データ：" + string.Join("。", Data.Rows.Select(row =>
            string.Join("、", row.Select((cell, c) => c == 0 ? cell : cell.Length == 0 ? null : $"{Data.Columns[c].Title} {cell}").OfType<string>()))) + "。";
}

/// <summary>A displayed formula with its number (式(1)).</summary>
public sealed record DisplayFormula(MathNode Expression, string Number) : Content;

/// <summary>A legend of symbols (評価記号：◎ 目標達成 …) and a sentence after it.</summary>
public sealed record SymbolLegend(string Title, IReadOnlyList<(string Symbol, string Meaning)> Entries, string After = "")
{
    /// <summary>The legend as one line of text, as the PDF prints it.</summary>
    public string Text => $"{Title}：{string.Join("　", Entries.Select(e => $"{e.Symbol} {e.Meaning}"))}。{After}";
}

/// <summary>A link that helps a reader move about a screen (back to the summary table); a printed page has no use for it.</summary>
public sealed record BackLink(string Text, string Anchor) : Content;

/// <summary>
/// A table's content: columns, rows, and for each row the anchor its cell in <paramref name="LinkColumn"/> links to.
/// </summary>
public sealed record TableContent(IReadOnlyList<Column> Columns, IReadOnlyList<IReadOnlyList<string>> Rows,
    IReadOnlyList<string?>? Links = null, int LinkColumn = 0, bool Dense = false)
{
    /// <summary>The column whose cell names its row (a row header for screen readers): the linking column, else the first.</summary>
    public int RowHeaderColumn => Links?.Any(l => l is not null) == true ? LinkColumn : 0;
}
