using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// Writes the tagged PDF (PDF 1.7, PDF/UA-1): pages drawn by <see cref="PdfPageCanvas"/>, the subset faces embedded as
/// CID fonts (Identity-H, the HarfBuzz subset as FontFile2, widths from the faces, a ToUnicode map from the very
/// characters drawn), the structure tree with its parent tree, link annotations in the tree, named destinations, the
/// outline, the Info dictionary and an XMP packet declaring PDF/UA-1. The many small structure elements go into
/// compressed object streams. Everything written derives from what was drawn, in order: the same document gives the
/// same bytes.
/// </summary>
internal sealed class PdfDocumentBuilder(IReadOnlyDictionary<SKTypeface, byte[]> programs)
{
    private readonly Dictionary<SKTypeface, PdfFont> fonts = new(ReferenceEqualityComparer.Instance);
    private readonly List<Page> pages = [];
    private readonly List<LinkAnnotation> links = [];
    private List<int> pageLinks = [];
    private readonly SortedDictionary<string, (int Page, float X, float Y)> destinations = new(StringComparer.Ordinal);

    private sealed record Page(byte[] Content, IReadOnlyList<StructElement> Owners, List<int> Links);

    private sealed record LinkAnnotation(float X1, float Y1, float X2, float Y2, string Destination, string Description);

    /// <summary>A face as a PDF font: its resource name and the glyphs used, with the characters each stands for.</summary>
    internal sealed class PdfFont(string resource, SKTypeface face, byte[] program)
    {
        public string Resource => resource;
        public SKTypeface Face => face;
        public byte[] Program => program;
        public SortedDictionary<ushort, int> Glyphs { get; } = [];

        public void Use(ushort glyph, int codepoint) => Glyphs.TryAdd(glyph, codepoint);
    }

    public PdfFont Font(SKTypeface face)
    {
        if (!fonts.TryGetValue(face, out var font))
        {
            var program = programs.TryGetValue(face, out var bytes) ? bytes
                : throw new InvalidOperationException($"No embeddable font program for {face.FamilyName}: the pages must be drawn with the subset faces.");
            fonts[face] = font = new PdfFont($"F{fonts.Count + 1}", face, program);
        }
        return font;
    }

    public PdfPageCanvas BeginPage(RenderContext ctx, PageGeometry geometry) => new(this, ctx, pages.Count, geometry);

    public void EndPage(PdfPageCanvas canvas)
    {
        pages.Add(new Page(canvas.Finish(), canvas.Owners.ToList(), pageLinks));
        pageLinks = [];
    }

    public int AddLink(PageGeometry geometry, float x, float y, float width, float height, string destination, string description)
    {
        links.Add(new LinkAnnotation(x, geometry.Height - (y + height), x + width, geometry.Height - y, destination, description));
        pageLinks.Add(links.Count - 1);
        return links.Count - 1;
    }

    public void AddDestination(string name, int page, float x, float y) => destinations.TryAdd(name, (page, x, y));

    public byte[] Write(PdfInfo info, IReadOnlyList<OutlineEntry> outline, StructElement document, PageGeometry geometry)
    {
        var w = new ObjectWriter();
        var catalog = w.Reserve();
        var pageTree = w.Reserve();
        var resources = w.Reserve();
        var pageRefs = pages.Select(_ => w.Reserve()).ToList();
        var linkRefs = links.Select(_ => w.Reserve()).ToList();

        // Fonts.
        var fontRefs = new List<(string Resource, int Ref)>();
        foreach (var font in fonts.Values) fontRefs.Add((font.Resource, WriteFont(w, font)));
        w.Set(resources, $"<</Font <<{string.Concat(fontRefs.Select(f => $"/{f.Resource} {f.Ref} 0 R"))}>>>>");

        // The structure tree: numbers for every element first (an element names its parent and its kids).
        var elements = document.Descendants().Prepend(document).Where(Kept).ToList();
        var elementRefs = new Dictionary<StructElement, int>(ReferenceEqualityComparer.Instance);
        foreach (var e in elements) elementRefs[e] = w.Reserve(compressed: true);
        var treeRoot = w.Reserve();
        var parentTree = w.Reserve(compressed: true);
        var annotationOwner = new Dictionary<int, StructElement>();
        var notes = 0;
        foreach (var e in elements)
        {
            var body = new StringBuilder("<</Type /StructElem /S /").Append(e.Type)
                .Append(" /P ").Append(e.Parent is null ? treeRoot : elementRefs[e.Parent]).Append(" 0 R");
            var firstPage = e.Kids.Select(k => k switch { StructElement.MarkedContent m => (int?)m.Page, _ => null }).FirstOrDefault(p => p is not null);
            if (firstPage is { } fp) body.Append(" /Pg ").Append(pageRefs[fp]).Append(" 0 R");
            var kids = new List<string>();
            foreach (var kid in e.Kids)
            {
                switch (kid)
                {
                    case StructElement child when elementRefs.TryGetValue(child, out var r):
                        kids.Add($"{r} 0 R");
                        break;
                    case StructElement.MarkedContent m:
                        kids.Add(m.Page == firstPage ? m.Mcid.ToString(CultureInfo.InvariantCulture) : $"<</Type /MCR /Pg {pageRefs[m.Page]} 0 R /MCID {m.Mcid}>>");
                        break;
                    case StructElement.AnnotationRef a:
                        annotationOwner[a.Index] = e;
                        kids.Add($"<</Type /OBJR /Obj {linkRefs[a.Index]} 0 R /Pg {pageRefs[a.Page]} 0 R>>");
                        break;
                }
            }
            if (kids.Count == 1) body.Append(" /K ").Append(kids[0]);
            else if (kids.Count > 1) body.Append(" /K [").Append(string.Join(' ', kids)).Append(']');
            if (e.Alt is { } alt) body.Append(" /Alt ").Append(Utf16(alt));
            if (e.Type == StructType.Note) body.Append(" /ID (note-").Append(++notes).Append(')');
            if (e.Scope is { } scope) body.Append(" /A <</O /Table /Scope /").Append(scope).Append(">>");
            if (e.BBox is { } box)
            {
                body.Append(" /A <</O /Layout /Placement /Block /BBox [").Append(N(box.X1)).Append(' ').Append(N(box.Y1)).Append(' ')
                    .Append(N(box.X2)).Append(' ').Append(N(box.Y2)).Append("]>>");
            }
            w.Set(elementRefs[e], body.Append(">>").ToString());
        }
        w.Set(treeRoot, $"<</Type /StructTreeRoot /K {elementRefs[document]} 0 R /ParentTree {parentTree} 0 R /ParentTreeNextKey {pages.Count + links.Count}>>");
        var nums = new StringBuilder();
        for (var p = 0; p < pages.Count; p++)
        {
            nums.Append(p).Append(" [").Append(string.Join(' ', pages[p].Owners.Select(o => $"{elementRefs[o]} 0 R"))).Append("] ");
        }
        for (var l = 0; l < links.Count; l++)
        {
            if (annotationOwner.TryGetValue(l, out var owner)) nums.Append(pages.Count + l).Append(' ').Append(elementRefs[owner]).Append(" 0 R ");
        }
        w.Set(parentTree, $"<</Nums [{nums.ToString().TrimEnd()}]>>");

        // Pages, their content and their links.
        var mediaBox = $"[0 0 {N(geometry.Width)} {N(geometry.Height)}]";
        for (var p = 0; p < pages.Count; p++)
        {
            var content = w.Stream("", pages[p].Content);
            var annots = pages[p].Links.Count == 0 ? "" : $" /Annots [{string.Join(' ', pages[p].Links.Select(l => $"{linkRefs[l]} 0 R"))}]";
            w.Set(pageRefs[p], $"<</Type /Page /Parent {pageTree} 0 R /MediaBox {mediaBox} /Resources {resources} 0 R /Contents {content} 0 R /StructParents {p} /Tabs /S{annots}>>");
        }
        w.Set(pageTree, $"<</Type /Pages /Kids [{string.Join(' ', pageRefs.Select(r => $"{r} 0 R"))}] /Count {pages.Count}>>");
        for (var l = 0; l < links.Count; l++)
        {
            var link = links[l];
            var parent = annotationOwner.ContainsKey(l) ? $" /StructParent {pages.Count + l}" : "";
            w.Set(linkRefs[l], $"<</Type /Annot /Subtype /Link /Rect [{N(link.X1)} {N(link.Y1)} {N(link.X2)} {N(link.Y2)}] /Border [0 0 0] /F 4 " +
                $"/Dest {Literal(link.Destination)} /Contents {Utf16(link.Description)}{parent}>>");
        }

        var names = string.Join(' ', destinations.Select(d => $"{Literal(d.Key)} [{pageRefs[d.Value.Page]} 0 R /XYZ {N(d.Value.X)} {N(d.Value.Y)} 0]"));
        var outlineRef = outline.Count == 0 ? (int?)null : WriteOutline(w, outline);
        var xmp = Encoding.UTF8.GetBytes(Xmp(info));
        var metadata = w.Stream("/Type /Metadata /Subtype /XML", xmp, compress: false);
        var infoRef = w.Add($"<</Title {Utf16(info.Title)} /Author {Utf16(info.Author)} /Subject {Utf16(info.Subject)} /Keywords {Utf16(info.Keywords)} " +
            $"/Creator {Utf16(Creator)} /Producer (Reporting) /CreationDate ({PdfDate(info.Created)}) /ModDate ({PdfDate(info.Created)})>>");
        w.Set(catalog, $"<</Type /Catalog /Pages {pageTree} 0 R /StructTreeRoot {treeRoot} 0 R /MarkInfo <</Marked true>> /Lang ({info.Language}) " +
            $"/Metadata {metadata} 0 R /ViewerPreferences <</DisplayDocTitle true>> /Names <</Dests <</Names [{names}]>>>>" +
            (outlineRef is { } o ? $" /Outlines {o} 0 R /PageMode /UseOutlines" : "") + ">>");
        return w.Finish(catalog, infoRef);
    }

    /// <summary>Table parts are kept even when empty (an empty cell is still a cell); other elements only with content.</summary>
    private static bool Kept(StructElement e) =>
        e.Type is StructType.Document or StructType.TR or StructType.TH or StructType.TD or StructType.THead or StructType.TBody || e.HasContent;

    private const string Creator = "Reporting (第7期科学技術・イノベーション基本計画 フォローアップ)";

    private static int WriteFont(ObjectWriter w, PdfFont font)
    {
        var face = font.Face;
        var bold = face.FontWeight >= 600;
        var name = face.FamilyName.Replace(" ", "", StringComparison.Ordinal) + (bold ? "-Bold" : "-Regular");
        // A subset's tag: six capitals derived from what it holds, so the same subset is always named the same.
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(name + string.Join(',', font.Glyphs.Keys)));
        var tag = new string(digest.Take(6).Select(b => (char)('A' + b % 26)).ToArray());
        var baseFont = $"{tag}+{name}";
        using var metrics = new SKFont(face, 1000) { LinearMetrics = true, Subpixel = true, Hinting = SKFontHinting.None };
        var m = metrics.Metrics;
        var program = w.Stream($"/Length1 {font.Program.Length}", font.Program);
        var descriptor = w.Add($"<</Type /FontDescriptor /FontName /{baseFont} /Flags 4 /FontBBox [{N(m.XMin)} {N(-m.Bottom)} {N(m.XMax)} {N(-m.Top)}] " +
            $"/ItalicAngle 0 /Ascent {N(-m.Ascent)} /Descent {N(-m.Descent)} /CapHeight {N(m.CapHeight)} /StemV {(bold ? 120 : 80)} /FontFile2 {program} 0 R>>");
        var glyphs = font.Glyphs.Keys.ToArray();
        var widths = metrics.GetGlyphWidths(glyphs);
        var w2 = new StringBuilder();
        for (var i = 0; i < glyphs.Length;)
        {
            var j = i;
            while (j + 1 < glyphs.Length && glyphs[j + 1] == glyphs[j] + 1) j++;
            w2.Append(glyphs[i]).Append(" [").Append(string.Join(' ', Enumerable.Range(i, j - i + 1).Select(k => N(widths[k])))).Append("] ");
            i = j + 1;
        }
        var cid = w.Add($"<</Type /Font /Subtype /CIDFontType2 /BaseFont /{baseFont} /CIDSystemInfo <</Registry (Adobe) /Ordering (Identity) /Supplement 0>> " +
            $"/FontDescriptor {descriptor} 0 R /DW 1000 /W [{w2.ToString().TrimEnd()}] /CIDToGIDMap /Identity>>");
        var toUnicode = w.Stream("", Encoding.ASCII.GetBytes(ToUnicode(font.Glyphs)));
        return w.Add($"<</Type /Font /Subtype /Type0 /BaseFont /{baseFont} /Encoding /Identity-H /DescendantFonts [{cid} 0 R] /ToUnicode {toUnicode} 0 R>>");
    }

    /// <summary>The map from each glyph to the character it was drawn for (UTF-16BE, surrogate pairs for 𠮷).</summary>
    private static string ToUnicode(SortedDictionary<ushort, int> glyphs)
    {
        var cmap = new StringBuilder("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
            "/CIDSystemInfo <</Registry (Adobe) /Ordering (UCS) /Supplement 0>> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
        foreach (var chunk in glyphs.Chunk(100))
        {
            cmap.Append(chunk.Length).Append(" beginbfchar\n");
            foreach (var (glyph, cp) in chunk)
            {
                cmap.Append('<').Append(glyph.ToString("X4", CultureInfo.InvariantCulture)).Append("> <")
                    .Append(Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(char.ConvertFromUtf32(cp)))).Append(">\n");
            }
            cmap.Append("endbfchar\n");
        }
        return cmap.Append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").ToString();
    }

    private static int WriteOutline(ObjectWriter w, IReadOnlyList<OutlineEntry> entries)
    {
        // Numbers first (an entry refers to its parent, siblings and children), bodies after.
        var root = w.Reserve();
        var refs = new Dictionary<OutlineEntry, int>(ReferenceEqualityComparer.Instance);
        void Reserve(IReadOnlyList<OutlineEntry> level)
        {
            foreach (var e in level)
            {
                refs[e] = w.Reserve();
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
                var body = new StringBuilder($"<</Title {Utf16(e.Title)} /Parent {parent} 0 R /Dest {Literal(e.Destination)}");
                if (i > 0) body.Append($" /Prev {refs[level[i - 1]]} 0 R");
                if (i < level.Count - 1) body.Append($" /Next {refs[level[i + 1]]} 0 R");
                if (e.Children.Count > 0)
                {
                    // Chapters open, so the indicators are one click away.
                    body.Append($" /First {refs[e.Children[0]]} 0 R /Last {refs[e.Children[^1]]} 0 R /Count {Count(e.Children)}");
                    Fill(e.Children, refs[e]);
                }
                w.Set(refs[e], body.Append(">>").ToString());
            }
        }
        Fill(entries, root);
        w.Set(root, $"<</Type /Outlines /First {refs[entries[0]]} 0 R /Last {refs[entries[^1]]} 0 R /Count {Count(entries)}>>");
        return root;
    }

    private static string N(float value) => PdfPageCanvas.N(value);

    /// <summary>A PDF text string in UTF-16BE with its byte-order mark, as hex: any Japanese text, no escaping needed.</summary>
    private static string Utf16(string text) => "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text)) + ">";

    /// <summary>An ASCII string (a destination name) as a literal string.</summary>
    private static string Literal(string text) => "(" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("(", "\\(", StringComparison.Ordinal).Replace(")", "\\)", StringComparison.Ordinal) + ")";

    private static string PdfDate(DateTimeOffset at) => "D:" + at.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";

    private static string Xml(string text) => System.Security.SecurityElement.Escape(text) ?? "";

    private static string Xmp(PdfInfo info)
    {
        var date = info.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"""
            <?xpacket begin="{'\uFEFF'}" id="W5M0MpCehiHzreSzNTczkc9d"?>
            <x:xmpmeta xmlns:x="adobe:ns:meta/">
             <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
              <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
               <dc:format>application/pdf</dc:format>
               <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{Xml(info.Title)}</rdf:li><rdf:li xml:lang="{info.Language}">{Xml(info.Title)}</rdf:li></rdf:Alt></dc:title>
               <dc:creator><rdf:Seq><rdf:li>{Xml(info.Author)}</rdf:li></rdf:Seq></dc:creator>
               <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{Xml(info.Subject)}</rdf:li></rdf:Alt></dc:description>
               <dc:language><rdf:Bag><rdf:li>{info.Language}</rdf:li></rdf:Bag></dc:language>
               <xmp:CreateDate>{date}</xmp:CreateDate>
               <xmp:ModifyDate>{date}</xmp:ModifyDate>
               <xmp:MetadataDate>{date}</xmp:MetadataDate>
               <xmp:CreatorTool>Reporting</xmp:CreatorTool>
               <pdf:Producer>Reporting</pdf:Producer>
               <pdf:Keywords>{Xml(info.Keywords)}</pdf:Keywords>
               <pdfuaid:part>1</pdfuaid:part>
              </rdf:Description>
             </rdf:RDF>
            </x:xmpmeta>
            <?xpacket end="r"?>
            """;
    }

    /// <summary>
    /// Numbers objects, writes them, and ends the file with a cross-reference stream. Objects marked compressed (the
    /// structure elements and the parent tree: thousands of small dictionaries) are packed into object streams.
    /// </summary>
    private sealed class ObjectWriter
    {
        private readonly List<(byte[]? Body, bool Compressed)> objects = [];

        public int Reserve(bool compressed = false)
        {
            objects.Add((null, compressed));
            return objects.Count;
        }

        public void Set(int number, string body) => objects[number - 1] = (Encoding.Latin1.GetBytes(body), objects[number - 1].Compressed);

        public int Add(string body)
        {
            var number = Reserve();
            Set(number, body);
            return number;
        }

        public int Stream(string dictionary, byte[] data, bool compress = true)
        {
            var payload = compress ? Deflate(data) : data;
            var head = Encoding.Latin1.GetBytes($"<<{dictionary}{(dictionary.Length > 0 ? " " : "")}/Length {payload.Length}{(compress ? " /Filter /FlateDecode" : "")}>>\nstream\n");
            var number = Reserve();
            objects[number - 1] = ([.. head, .. payload, .. "\nendstream"u8], false);
            return number;
        }

        private static byte[] Deflate(byte[] data)
        {
            using var output = new MemoryStream();
            using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(data);
            return output.ToArray();
        }

        public byte[] Finish(int root, int info)
        {
            if (objects.Any(o => o.Body is null)) throw new InvalidOperationException("An object was reserved and never written.");
            // Pack the compressed objects, 200 to a stream.
            var packed = objects.Select((o, i) => (Number: i + 1, o.Body, o.Compressed)).Where(o => o.Compressed).ToList();
            var location = new Dictionary<int, (int Stream, int Index)>();
            foreach (var group in packed.Chunk(200))
            {
                var header = new StringBuilder();
                var body = new MemoryStream();
                for (var k = 0; k < group.Length; k++)
                {
                    header.Append(group[k].Number).Append(' ').Append(body.Length).Append(' ');
                    body.Write(group[k].Body!);
                    body.WriteByte((byte)'\n');
                }
                var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
                var stream = Stream($"/Type /ObjStm /N {group.Length} /First {headerBytes.Length}", [.. headerBytes, .. body.ToArray()]);
                for (var k = 0; k < group.Length; k++) location[group[k].Number] = (stream, k);
            }

            using var file = new MemoryStream();
            file.Write([.. "%PDF-1.7\n%"u8, 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']);
            var offsets = new long[objects.Count + 2];
            for (var n = 1; n <= objects.Count; n++)
            {
                if (objects[n - 1].Compressed) continue;
                offsets[n] = file.Position;
                file.Write(Encoding.ASCII.GetBytes($"{n} 0 obj\n"));
                file.Write(objects[n - 1].Body!);
                file.Write("\nendobj\n"u8);
            }
            // The file's identifier: a digest of everything before it, so it is the same for the same document.
            var id = Convert.ToHexString(SHA256.HashData(file.ToArray()).AsSpan(0, 16));
            var xref = objects.Count + 1;
            offsets[xref] = file.Position;
            var entries = new MemoryStream();
            void Entry(byte type, long field2, int field3)
            {
                entries.WriteByte(type);
                for (var s = 24; s >= 0; s -= 8) entries.WriteByte((byte)(field2 >> s));
                entries.WriteByte((byte)(field3 >> 8));
                entries.WriteByte((byte)field3);
            }
            Entry(0, 0, 65535);
            for (var n = 1; n <= xref; n++)
            {
                if (location.TryGetValue(n, out var at)) Entry(2, at.Stream, at.Index);
                else Entry(1, offsets[n], 0);
            }
            var table = Deflate(entries.ToArray());
            file.Write(Encoding.ASCII.GetBytes($"{xref} 0 obj\n<</Type /XRef /Size {xref + 1} /W [1 4 2] /Root {root} 0 R /Info {info} 0 R /ID [<{id}> <{id}>] " +
                $"/Length {table.Length} /Filter /FlateDecode>>\nstream\n"));
            file.Write(table);
            file.Write(Encoding.ASCII.GetBytes($"\nendstream\nendobj\nstartxref\n{offsets[xref]}\n%%EOF\n"));
            return file.ToArray();
        }
    }
}
