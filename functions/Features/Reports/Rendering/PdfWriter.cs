using System.Globalization;
using System.Text;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

public sealed record PageGeometry(float Width, float Height, float Margin, float HeaderHeight, float FooterHeight)
{
    /// <summary>A4 in PDF points.</summary>
    public static readonly PageGeometry A4 = new(595.28f, 841.89f, 56f, 24f, 24f);

    public float ContentWidth => Width - 2 * Margin;
    public float ContentHeight => Height - 2 * Margin - HeaderHeight - FooterHeight;
    public float ContentTop => Margin + HeaderHeight;
}

/// <summary>What the document says about itself: the Info dictionary, the XMP packet, the language and the outline.</summary>
public sealed record PdfInfo(string Title, string Author, string Subject, DateTimeOffset Created, string Keywords, string Language = "ja-JP");

/// <summary>One entry of the outline (bookmarks): a heading's title and named destination, with its sub-entries.</summary>
public sealed record OutlineEntry(string Title, string Destination, IReadOnlyList<OutlineEntry> Children);

/// <summary>
/// Draws laid-out pages into a PDF with Skia. Page decoration (running header, page numbers) is a callback. A first
/// pass draws every page into nothing and records the characters drawn; the second draws for real with faces holding
/// exactly those characters.
/// </summary>
public static class PdfWriter
{
    public static void DrawPages(RenderContext ctx, SKCanvas canvas, PageLayout page, int number, int total, PageGeometry geometry,
        Action<RenderContext, SKCanvas, int, int> decorate)
    {
        decorate(ctx, canvas, number, total);
        foreach (var placed in page.Items)
        {
            canvas.Save();
            placed.Element.Draw(ctx, canvas, geometry.Margin, geometry.ContentTop + placed.Y, geometry.ContentWidth);
            canvas.Restore();
        }
    }

    /// <summary>Every character the pages draw, by face and weight.</summary>
    public static GlyphCollector Collect(RenderContext collecting, IReadOnlyList<PageLayout> pages, PageGeometry geometry,
        Action<RenderContext, SKCanvas, int, int> decorate)
    {
        using var nothing = new SKNoDrawCanvas((int)Math.Ceiling(geometry.Width), (int)Math.Ceiling(geometry.Height));
        for (var i = 0; i < pages.Count; i++) DrawPages(collecting, nothing, pages[i], i + 1, pages.Count, geometry, decorate);
        return collecting.Collector!;
    }

    public static byte[] Write(RenderContext ctx, IReadOnlyList<PageLayout> pages, PageGeometry geometry, PdfInfo info,
        Action<RenderContext, SKCanvas, int, int> decorate)
    {
        using var stream = new MemoryStream();
        // Only what does not depend on the machine: the dates go into the Info dictionary PdfFinisher writes, as
        // SkiaSharp derives a time-zone offset from the process's local zone (nine hours off under TZ=Asia/Tokyo).
        var metadata = new SKDocumentPdfMetadata
        {
            Creator = "Reporting (第7期科学技術・イノベーション基本計画 フォローアップ)",
            Producer = "Reporting / SkiaSharp",
            RasterDpi = 300,
            PdfA = false,
        };
        using (var document = SKDocument.CreatePdf(stream, metadata))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var canvas = document.BeginPage(geometry.Width, geometry.Height);
                DrawPages(ctx, canvas, pages[i], i + 1, pages.Count, geometry, decorate);
                document.EndPage();
            }
            document.Close();
        }
        return stream.ToArray();
    }
}

/// <summary>
/// Completes Skia's PDF with what its writer cannot express, as one incremental update appended to the file (the bytes
/// Skia wrote are kept as they are): the outline (bookmarks) of every chapter, section and appendix, the document
/// language (/Lang ja-JP), an XMP metadata packet, the Info dictionary with dates in UTC, and a viewer preference to
/// show the title rather than the file name. Everything written is derived from its arguments, so the same snapshot
/// still gives the same bytes.
/// </summary>
public static class PdfFinisher
{
    public static byte[] Finish(byte[] pdf, PdfInfo info, IReadOnlyList<OutlineEntry> outline)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var startxref = long.Parse(Last(text, @"startxref\s+(\d+)"), CultureInfo.InvariantCulture);
        var size = int.Parse(Last(text, @"/Size (\d+)"), CultureInfo.InvariantCulture);
        var root = int.Parse(Last(text, @"/Root (\d+) 0 R"), CultureInfo.InvariantCulture);
        var catalog = System.Text.RegularExpressions.Regex.Match(text, $@"(?s)\n{root} 0 obj\s*<<(.*?)>>\s*endobj");
        if (!catalog.Success) throw new InvalidDataException("The PDF's catalog was not found.");

        var objects = new SortedDictionary<int, string>();
        var next = size;
        int Add(string body)
        {
            objects[next] = body;
            return next++;
        }

        var infoRef = Add($"<</Title {Utf16(info.Title)}\n/Author {Utf16(info.Author)}\n/Subject {Utf16(info.Subject)}\n/Keywords {Utf16(info.Keywords)}\n" +
            $"/Creator {Utf16("Reporting (第7期科学技術・イノベーション基本計画 フォローアップ)")}\n/Producer (Reporting / SkiaSharp)\n" +
            $"/CreationDate ({PdfDate(info.Created)})\n/ModDate ({PdfDate(info.Created)})>>");

        var xmp = Xmp(info);
        var metadataRef = Add($"<</Type /Metadata\n/Subtype /XML\n/Length {Encoding.UTF8.GetByteCount(xmp)}>> stream\n{Latin1OfUtf8(xmp)}\nendstream");

        var outlineRef = outline.Count == 0 ? (int?)null : WriteOutline(outline, Add, objects);

        var entries = catalog.Groups[1].Value.TrimEnd();
        var newCatalog = $"<<{entries}\n/Lang ({info.Language})\n/Metadata {metadataRef} 0 R\n/ViewerPreferences <</DisplayDocTitle true>>" +
            (outlineRef is { } o ? $"\n/Outlines {o} 0 R\n/PageMode /UseOutlines" : "") + ">>";
        objects[root] = newCatalog;

        var update = new StringBuilder();
        var offset = pdf.LongLength;
        if (!text.EndsWith('\n')) update.Append('\n');
        var offsets = new SortedDictionary<int, long>();
        foreach (var (number, body) in objects)
        {
            offsets[number] = offset + Encoding.Latin1.GetByteCount(update.ToString());
            update.Append(number).Append(" 0 obj\n").Append(body).Append("\nendobj\n");
        }
        var xref = offset + Encoding.Latin1.GetByteCount(update.ToString());
        update.Append("xref\n");
        // One subsection per run of consecutive object numbers.
        var numbers = offsets.Keys.ToList();
        for (var i = 0; i < numbers.Count;)
        {
            var j = i;
            while (j + 1 < numbers.Count && numbers[j + 1] == numbers[j] + 1) j++;
            update.Append(numbers[i]).Append(' ').Append(j - i + 1).Append('\n');
            for (var k = i; k <= j; k++) update.Append(offsets[numbers[k]].ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
            i = j + 1;
        }
        update.Append($"trailer\n<</Size {next}\n/Root {root} 0 R\n/Info {infoRef} 0 R\n/Prev {startxref}>>\nstartxref\n{xref}\n%%EOF\n");
        return [.. pdf, .. Encoding.Latin1.GetBytes(update.ToString())];
    }

    private static int WriteOutline(IReadOnlyList<OutlineEntry> entries, Func<string, int> add, SortedDictionary<int, string> objects)
    {
        // Numbers first (an entry refers to its parent, siblings and children), bodies after.
        var rootRef = add("");
        var placeholders = new Dictionary<OutlineEntry, int>();
        void Reserve(IReadOnlyList<OutlineEntry> level)
        {
            foreach (var e in level)
            {
                placeholders[e] = add("");
                Reserve(e.Children);
            }
        }
        Reserve(entries);
        int Count(IReadOnlyList<OutlineEntry> level) => level.Sum(e => 1 + Count(e.Children));
        void Fill(IReadOnlyList<OutlineEntry> level, int parent)
        {
            for (var i = 0; i < level.Count; i++)
            {
                var e = level[i];
                var body = new StringBuilder($"<</Title {Utf16(e.Title)}\n/Parent {parent} 0 R\n/Dest /{e.Destination}");
                if (i > 0) body.Append($"\n/Prev {placeholders[level[i - 1]]} 0 R");
                if (i < level.Count - 1) body.Append($"\n/Next {placeholders[level[i + 1]]} 0 R");
                if (e.Children.Count > 0)
                {
                    // Chapters open, so the indicators are one click away.
                    body.Append($"\n/First {placeholders[e.Children[0]]} 0 R\n/Last {placeholders[e.Children[^1]]} 0 R\n/Count {Count(e.Children)}");
                    Fill(e.Children, placeholders[e]);
                }
                objects[placeholders[e]] = body.Append(">>").ToString();
            }
        }
        Fill(entries, rootRef);
        objects[rootRef] = $"<</Type /Outlines\n/First {placeholders[entries[0]]} 0 R\n/Last {placeholders[entries[^1]]} 0 R\n/Count {Count(entries)}>>";
        return rootRef;
    }

    private static string Last(string text, string pattern) =>
        System.Text.RegularExpressions.Regex.Matches(text, pattern) is { Count: > 0 } m ? m[^1].Groups[1].Value
        : throw new InvalidDataException($"The PDF has no {pattern}.");

    /// <summary>A PDF text string in UTF-16BE with its byte-order mark, as hex: any Japanese text, no escaping needed.</summary>
    private static string Utf16(string text) => "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text)) + ">";

    private static string PdfDate(DateTimeOffset at) => "D:" + at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";

    /// <summary>The UTF-8 bytes of a text, carried through the Latin-1 string this writer builds the file in.</summary>
    private static string Latin1OfUtf8(string text) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(text));

    private static string Xml(string text) => System.Security.SecurityElement.Escape(text) ?? "";

    private static string Xmp(PdfInfo info)
    {
        var date = info.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"""
            <?xpacket begin="{'\uFEFF'}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
               <dc:format>application/pdf</dc:format>
               <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{Xml(info.Title)}</rdf:li><rdf:li xml:lang="{info.Language}">{Xml(info.Title)}</rdf:li></rdf:Alt></dc:title>
               <dc:creator><rdf:Seq><rdf:li>{Xml(info.Author)}</rdf:li></rdf:Seq></dc:creator>
               <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{Xml(info.Subject)}</rdf:li></rdf:Alt></dc:description>
               <dc:language><rdf:Bag><rdf:li>{info.Language}</rdf:li></rdf:Bag></dc:language>
               <xmp:CreateDate>{date}</xmp:CreateDate>
               <xmp:ModifyDate>{date}</xmp:ModifyDate>
               <xmp:MetadataDate>{date}</xmp:MetadataDate>
               <xmp:CreatorTool>Reporting</xmp:CreatorTool>
               <pdf:Producer>Reporting / SkiaSharp</pdf:Producer>
               <pdf:Keywords>{Xml(info.Keywords)}</pdf:Keywords>
              </rdf:Description>
             </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="r"?>
            """;
    }
}
