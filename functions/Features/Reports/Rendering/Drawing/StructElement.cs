namespace Reporting.Features.Reports.Rendering;

/// <summary>The standard structure types (ISO 32000-1, 14.8.4) the report uses.</summary>
public enum StructType
{
    Document, Sect, Div, H1, H2, H3, P, L, LI, Lbl, LBody, Table, THead, TBody, TR, TH, TD, Figure, Formula, Caption, Note, Link,
}

/// <summary>Which cells a table header cell heads.</summary>
public enum HeaderScope { Column, Row }

/// <summary>
/// A node of the tagged PDF's structure tree: what a piece of the report is, in reading order. Built with the layout
/// elements, before anything is drawn (children in document order); the drawing adds, to each element, the marked
/// content and annotations drawn for it, page by page.
/// </summary>
public sealed class StructElement(StructType type, StructElement? parent)
{
    private readonly List<object> kids = [];

    public StructType Type => type;
    public StructElement? Parent => parent;

    /// <summary>Child elements, <see cref="MarkedContent"/> and <see cref="AnnotationRef"/>s, in reading order.</summary>
    public IReadOnlyList<object> Kids => kids;

    /// <summary>The replacement text of a figure or formula (what a screen reader says instead of the drawing).</summary>
    public string? Alt { get; init; }

    public HeaderScope? Scope { get; init; }

    /// <summary>The figure's box on its page in PDF user space (x1, y1, x2, y2), set when it is drawn.</summary>
    public (int Page, float X1, float Y1, float X2, float Y2)? BBox { get; set; }

    public StructElement Add(StructType childType, string? alt = null, HeaderScope? scope = null)
    {
        var child = new StructElement(childType, this) { Alt = alt, Scope = scope };
        kids.Add(child);
        return child;
    }

    internal void AddContent(object content) => kids.Add(content);

    /// <summary>Whether anything was drawn for this element or its descendants.</summary>
    public bool HasContent => kids.Any(k => k is not StructElement e || e.HasContent);

    public IEnumerable<StructElement> Descendants() => kids.OfType<StructElement>().SelectMany(k => k.Descendants().Prepend(k));

    /// <summary>A marked-content sequence on a page (page index from 0, MCID).</summary>
    public sealed record MarkedContent(int Page, int Mcid);

    /// <summary>An annotation (a link) belonging to the element.</summary>
    public sealed record AnnotationRef(int Page, int Index);
}
