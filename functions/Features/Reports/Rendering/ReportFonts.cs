using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SkiaSharp;
using Reporting.Features.Submissions;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// A typeface set for one rendering: the faces to draw with, the fallback faces for characters the main face lacks,
/// and the family name charts resolve to the main faces.
/// </summary>
public sealed record FontFace(SKTypeface Regular, SKTypeface Bold, bool SyntheticBold, string ChartFamily,
    SKTypeface? FallbackRegular = null, SKTypeface? FallbackBold = null, bool FallbackSyntheticBold = false);

/// <summary>
/// The report's typefaces. BIZ UDPGothic is the Universal Design font used across Japanese government documents, and
/// unlike Noto Sans JP its cmap makes Skia write the real kanji code points (not Kangxi radicals) into the PDF's
/// ToUnicode map, so text extracted from the PDF equals the source text. Characters it lacks (JIS X 0213 kanji such as
/// 𠮷) are drawn with Noto Sans JP; its subset holds only those characters, so its ToUnicode map has nothing else to
/// confuse them with.
/// <para>Layout is measured with the full faces (<see cref="Full"/>); each document is then drawn with subsets holding
/// only the characters it draws (<see cref="Subset"/>), which is what gets embedded. Only these faces are ever used,
/// whatever fonts the machine has. ScottPlot resolves fonts by family name from a process-wide registry, so each
/// rendering's faces are registered under a name of their own.</para>
/// </summary>
public sealed class ReportFonts
{
    public const string FamilyName = "BIZ UDPGothic";
    private const string RegularFile = "BIZUDPGothic_400Regular.ttf";
    private const string BoldFile = "BIZUDPGothic_700Bold.ttf";
    private const string FallbackRegularFile = "NotoSansJP_400Regular.ttf";
    private const string FallbackBoldFile = "NotoSansJP_700Bold.ttf";

    private static readonly ConcurrentDictionary<string, LoadedFont> Loaded = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, FontFace> ChartFaces = new(StringComparer.Ordinal);
    private static readonly object Registration = new();
    private static bool resolverRegistered;

    private sealed record LoadedFont(string Path, SKTypeface Face, FontCoverage Coverage);

    private readonly LoadedFont regular;
    private readonly LoadedFont? bold;
    private readonly LoadedFont? fallbackRegular;
    private readonly LoadedFont? fallbackBold;

    public FontFace Full { get; }

    public ReportFonts(IOptions<ReportOptions> options)
    {
        var o = options.Value;
        regular = Load(Locate(o.FontPath, RegularFile, "biz-udpgothic")
            ?? throw new FileNotFoundException(
                $"Font {RegularFile} not found. Run 'npm ci' at the repository root (it installs @expo-google-fonts/biz-udpgothic) or set Report__FontPath."));
        // A real bold face: Skia's PDF backend draws synthesised bold as outlines (plus invisible text), which is
        // heavier than a bold subset holding the few characters set in bold. Without the file, bold is synthesised.
        bold = Locate(o.BoldFontPath, BoldFile, "biz-udpgothic") is { } boldPath ? Load(boldPath) : null;
        fallbackRegular = Locate(o.FallbackFontPath, FallbackRegularFile, "noto-sans-jp") is { } fr ? Load(fr) : null;
        fallbackBold = Locate(o.FallbackFontPath, FallbackBoldFile, "noto-sans-jp") is { } fb ? Load(fb) : null;
        Full = Register(new FontFace(regular.Face, (bold ?? regular).Face, bold is null, $"{FamilyName} full {Guid.NewGuid():N}",
            fallbackRegular?.Face, (fallbackBold ?? fallbackRegular)?.Face, fallbackBold is null));
    }

    /// <summary>Whether the report's face draws <paramref name="codepoint"/>, or the fallback does, or neither.</summary>
    public Coverage Cover(int codepoint) =>
        regular.Coverage.Contains(codepoint) ? Coverage.Primary
        : fallbackRegular?.Coverage.Contains(codepoint) == true ? Coverage.Fallback
        : Coverage.None;

    /// <summary>What free text accepted at input may contain: the characters one of the faces draws.</summary>
    public Repertoire Repertoire => new(cp => Cover(cp) != Coverage.None);

    /// <summary>The first character of <paramref name="text"/> the report cannot draw (line breaks and tabs aside), or null.</summary>
    public int? FirstUnprintable(string text) =>
        FontSubsetter.CodePoints(text).Where(cp => cp is not ('\n' or '\r' or '\t')).Select(cp => (int?)cp).FirstOrDefault(cp => Cover(cp!.Value) == Coverage.None);

    /// <summary>
    /// Faces holding only the characters a document draws, by face and weight; dispose when the document is written.
    /// With a synthesised bold, the bold characters go into the regular subset.
    /// </summary>
    public SubsetFace Subset(GlyphCollector glyphs)
    {
        SKTypeface Make(LoadedFont font, IEnumerable<int> codepoints) =>
            SKTypeface.FromData(SKData.CreateCopy(FontSubsetter.Subset(font.Path, codepoints.Distinct().Order().ToArray())))
            ?? throw new InvalidOperationException("Skia could not load a subset font.");

        var mainRegular = Make(regular, bold is null ? glyphs.Regular.Concat(glyphs.Bold) : glyphs.Regular);
        var mainBold = bold is null ? mainRegular : Make(bold, glyphs.Bold);
        SKTypeface? fbRegular = null, fbBold = null;
        if (fallbackRegular is not null && (glyphs.FallbackRegular.Count > 0 || glyphs.FallbackBold.Count > 0))
        {
            fbRegular = Make(fallbackRegular, fallbackBold is null ? glyphs.FallbackRegular.Concat(glyphs.FallbackBold) : glyphs.FallbackRegular);
            fbBold = fallbackBold is null ? fbRegular : Make(fallbackBold, glyphs.FallbackBold);
        }
        var face = Register(new FontFace(mainRegular, mainBold, bold is null, $"{FamilyName} subset {Guid.NewGuid():N}",
            fbRegular, fbBold, fallbackBold is null));
        return new SubsetFace(face);
    }

    public sealed class SubsetFace(FontFace face) : IDisposable
    {
        public FontFace Face => face;

        public void Dispose()
        {
            ChartFaces.TryRemove(face.ChartFamily, out _);
            foreach (var typeface in new[] { face.Regular, face.Bold, face.FallbackRegular, face.FallbackBold }.OfType<SKTypeface>().Distinct())
            {
                typeface.Dispose();
            }
        }
    }

    private static FontFace Register(FontFace face)
    {
        lock (Registration)
        {
            if (!resolverRegistered)
            {
                // Only the report's own faces: ScottPlot's system font resolver would otherwise answer for any name it
                // is asked (and pick whatever CJK font the machine has installed).
                ScottPlot.Fonts.FontResolvers.Clear();
                ScottPlot.Fonts.FontResolvers.Add(new ChartFontResolver());
                resolverRegistered = true;
            }
        }
        ChartFaces[face.ChartFamily] = face;
        return face;
    }

    /// <summary>
    /// A face as Skia maps it from its file, with the characters it covers: the file itself is never read into memory
    /// (four Japanese faces are 20 MB), only its cmap table.
    /// </summary>
    private static LoadedFont Load(string path) => Loaded.GetOrAdd(Path.GetFullPath(path), p =>
        new LoadedFont(p, SKTypeface.FromFile(p) ?? throw new InvalidOperationException($"Cannot load font {p}."), FontCoverage.ReadFile(p)));

    /// <summary>
    /// A font file: where configured; else in fonts/ beside the app (the deployed package); else, for development and
    /// tests only, in node_modules above the app's own folder (never above the working directory, so what a machine's
    /// current folder holds cannot change a report).
    /// </summary>
    public static string? Locate(string? configured, string fileName, string package)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var file = configured.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) ? configured : Path.Combine(configured, fileName);
            if (File.Exists(file)) return file;
            if (configured.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase)) return null;
        }
        var beside = Path.Combine(AppContext.BaseDirectory, "fonts", fileName);
        if (File.Exists(beside)) return beside;

        var weight = fileName.Contains("700") ? "700Bold" : "400Regular";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node_modules", "@expo-google-fonts", package, weight, fileName);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Hands ScottPlot the very typeface objects of a rendering: Skia embeds one font per typeface instance.</summary>
    private sealed class ChartFontResolver : ScottPlot.IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            ChartFaces.TryGetValue(fontName, out var face) ? (bold ? face.Bold : face.Regular) : null;

        public SKTypeface? CreateTypeface(string fontName, ScottPlot.FontWeight weight, ScottPlot.FontSlant slant, ScottPlot.FontSpacing spacing) =>
            CreateTypeface(fontName, (int)weight >= 600, slant != ScottPlot.FontSlant.Upright);
    }
}
