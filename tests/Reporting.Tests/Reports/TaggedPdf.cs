using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;

namespace Reporting.Tests.Reports;

/// <summary>A node of a tagged PDF's structure tree, as a reader finds it by following the catalog.</summary>
public sealed record StructNode(string Type, string? Alt, string? Scope, string? Id, bool HasBBox, IReadOnlyList<StructNode> Kids,
    IReadOnlyList<(int Page, int Mcid)> Content, IReadOnlyList<int> Annotations)
{
    public IEnumerable<StructNode> Descendants() => Kids.SelectMany(k => k.Descendants().Prepend(k));

    /// <summary>The node and everything under it, depth first: the reading order of the structure.</summary>
    public IEnumerable<StructNode> SelfAndDescendants() => Descendants().Prepend(this);
}

/// <summary>
/// Reads the structure tree of a PDF with PdfPig's object model (the tree is in compressed object streams, so not in the
/// raw bytes): from the catalog's /StructTreeRoot down, each element's type, alternative text, table scope, ID and
/// kids (elements, marked-content references with their page, annotation references), and the parent tree.
/// </summary>
public sealed class TaggedPdf
{
    private readonly PdfDocument pdf;
    private readonly Dictionary<long, int> pageNumbers = [];
    private readonly Dictionary<long, int> annotationNumbers = [];

    public StructNode Root { get; }
    public DictionaryToken Catalog { get; }

    /// <summary>For each page (from 1), the element each MCID belongs to according to the parent tree.</summary>
    public Dictionary<int, IReadOnlyList<StructNode?>> ParentTree { get; } = [];

    private readonly Dictionary<long, StructNode> byReference = [];

    public TaggedPdf(PdfDocument pdf)
    {
        this.pdf = pdf;
        Catalog = pdf.Structure.Catalog.CatalogDictionary;
        var kids = (ArrayToken)Resolve(Dict(Get(Catalog, "Pages")!).Data["Kids"]);
        for (var i = 0; i < kids.Data.Count; i++) pageNumbers[((IndirectReferenceToken)kids.Data[i]).Data.ObjectNumber] = i + 1;
        for (var p = 1; p <= pdf.NumberOfPages; p++)
        {
            var page = Dict(kids.Data[p - 1]);
            if (Get(page, "Annots") is { } annots)
            {
                foreach (var a in ((ArrayToken)Resolve(annots)).Data) annotationNumbers[((IndirectReferenceToken)a).Data.ObjectNumber] = annotationNumbers.Count;
            }
        }
        var treeRoot = Dict(Get(Catalog, "StructTreeRoot") ?? throw new InvalidDataException("The catalog has no /StructTreeRoot: the PDF is not tagged."));
        var top = Get(treeRoot, "K")!;
        Root = Element((IndirectReferenceToken)(top is ArrayToken array ? array.Data.Single() : top));
        var nums = (ArrayToken)Resolve(Dict(Get(treeRoot, "ParentTree")!).Data["Nums"]);
        for (var i = 0; i + 1 < nums.Data.Count; i += 2)
        {
            var key = ((NumericToken)nums.Data[i]).Int;
            if (Resolve(nums.Data[i + 1]) is ArrayToken owners && key < pdf.NumberOfPages)
            {
                ParentTree[key + 1] = owners.Data.Select(o => o is IndirectReferenceToken r && byReference.TryGetValue(r.Data.ObjectNumber, out var n) ? n : null).ToList();
            }
        }
    }

    private StructNode Element(IndirectReferenceToken reference)
    {
        var d = Dict(reference);
        var page = Get(d, "Pg") is IndirectReferenceToken pg ? pageNumbers[pg.Data.ObjectNumber] : 0;
        var kids = new List<StructNode>();
        var content = new List<(int, int)>();
        var annotations = new List<int>();
        var k = Get(d, "K");
        IEnumerable<IToken> items = k switch { null => [], ArrayToken list => list.Data, _ => [k] };
        foreach (var item in items)
        {
            switch (item)
            {
                case NumericToken mcid:
                    content.Add((page, mcid.Int));
                    break;
                case IndirectReferenceToken child:
                    kids.Add(Element(child));
                    break;
                case DictionaryToken kid when Name(kid, "Type") == "MCR":
                    content.Add((pageNumbers[((IndirectReferenceToken)kid.Data["Pg"]).Data.ObjectNumber], ((NumericToken)kid.Data["MCID"]).Int));
                    break;
                case DictionaryToken kid when Name(kid, "Type") == "OBJR":
                    annotations.Add(annotationNumbers[((IndirectReferenceToken)kid.Data["Obj"]).Data.ObjectNumber]);
                    break;
            }
        }
        var attributes = Get(d, "A") is { } a ? Dict(a) : null;
        var node = new StructNode(Name(d, "S")!, Text(d, "Alt"), attributes is null ? null : Name(attributes, "Scope"), Text(d, "ID"),
            attributes is not null && Get(attributes, "BBox") is not null, kids, content, annotations);
        byReference[reference.Data.ObjectNumber] = node;
        return node;
    }

    public IToken Resolve(IToken token) => token is IndirectReferenceToken r ? pdf.Structure.GetObject(r.Data).Data : token;

    public DictionaryToken Dict(IToken token) => (DictionaryToken)Resolve(token);

    public IToken? Get(DictionaryToken d, string key) => d.TryGet(NameToken.Create(key), out var value) ? value : null;

    public string? Name(DictionaryToken d, string key) => Get(d, key) is { } v && Resolve(v) is NameToken n ? n.Data : null;

    public string? Text(DictionaryToken d, string key) => Get(d, key) is { } v ? Resolve(v) switch
    {
        HexToken h => Decode(h.Bytes.ToArray()),
        StringToken s => s.Data,
        _ => null,
    } : null;

    private static string Decode(byte[] bytes) =>
        bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF ? Encoding.BigEndianUnicode.GetString(bytes, 2, bytes.Length - 2) : Encoding.Latin1.GetString(bytes);
}
