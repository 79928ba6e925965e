using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SkiaSharp;
using Reporting.Features.Submissions;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// A typeface set for one rendering: the faces to draw with and the fallback faces for characters the main face lacks.
/// </summary>
public sealed record FontFace(SKTypeface Regular, SKTypeface Bold, bool SyntheticBold,
    SKTypeface? FallbackRegular = null, SKTypeface? FallbackBold = null, bool FallbackSyntheticBold = false);

/// <summary>
/// The report's typefaces. BIZ UDPGothic is the Universal Design font used across Japanese government documents. The
/// PDF's ToUnicode map is written from the characters drawn, so text extracted from the PDF equals the source text
/// (never a Kangxi radical for a kanji). Characters it lacks (JIS X 0213 kanji such as
/// 𠮷) are drawn with Noto Sans JP; its subset holds only those characters, so its ToUnicode map has nothing else to
/// confuse them with.
/// <para>Layout is measured with the full faces (<see cref="Full"/>); each document is then drawn with subsets holding
/// only the characters it draws (<see cref="Subset"/>), which is what gets embedded. Only these faces are ever used,
/// whatever fonts the machine has.</para>
/// </summary>
public sealed class ReportFonts
{
    public const string FamilyName = "BIZ UDPGothic";
    private const string RegularFile = "BIZUDPGothic_400Regular.ttf";
    private const string BoldFile = "BIZUDPGothic_700Bold.ttf";
    private const string FallbackRegularFile = "NotoSansJP_400Regular.ttf";
    private const string FallbackBoldFile = "NotoSansJP_700Bold.ttf";

    private static readonly ConcurrentDictionary<string, LoadedFont> Loaded = new(StringComparer.Ordinal);

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
        // A real bold face: a bold subset holding the few characters set in bold. Without the file, bold is synthesised
        // (the regular glyphs filled and stroked).
        bold = Locate(o.BoldFontPath, BoldFile, "biz-udpgothic") is { } boldPath ? Load(boldPath) : null;
        fallbackRegular = Locate(o.FallbackFontPath, FallbackRegularFile, "noto-sans-jp") is { } fr ? Load(fr) : null;
        fallbackBold = Locate(o.FallbackFontPath, FallbackBoldFile, "noto-sans-jp") is { } fb ? Load(fb) : null;
        Full = new FontFace(regular.Face, (bold ?? regular).Face, bold is null,
            fallbackRegular?.Face, (fallbackBold ?? fallbackRegular)?.Face, fallbackBold is null);
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
        var programs = new Dictionary<SKTypeface, byte[]>(ReferenceEqualityComparer.Instance);
        SKTypeface Make(LoadedFont font, IEnumerable<int> codepoints)
        {
            var program = FontSubsetter.Subset(font.Path, codepoints.Distinct().Order().ToArray());
            var face = SKTypeface.FromData(SKData.CreateCopy(program)) ?? throw new InvalidOperationException("Skia could not load a subset font.");
            programs[face] = program;
            return face;
        }

        var mainRegular = Make(regular, bold is null ? glyphs.Regular.Concat(glyphs.Bold) : glyphs.Regular);
        var mainBold = bold is null ? mainRegular : Make(bold, glyphs.Bold);
        SKTypeface? fbRegular = null, fbBold = null;
        if (fallbackRegular is not null && (glyphs.FallbackRegular.Count > 0 || glyphs.FallbackBold.Count > 0))
        {
            fbRegular = Make(fallbackRegular, fallbackBold is null ? glyphs.FallbackRegular.Concat(glyphs.FallbackBold) : glyphs.FallbackRegular);
            fbBold = fallbackBold is null ? fbRegular : Make(fallbackBold, glyphs.FallbackBold);
        }
        return new SubsetFace(new FontFace(mainRegular, mainBold, bold is null, fbRegular, fbBold, fallbackBold is null), programs);
    }

    /// <summary>The subset faces, and each one's font file as HarfBuzz made it (what the PDF embeds).</summary>
    public sealed class SubsetFace(FontFace face, IReadOnlyDictionary<SKTypeface, byte[]> programs) : IDisposable
    {
        public FontFace Face => face;

        public IReadOnlyDictionary<SKTypeface, byte[]> Programs => programs;

        public void Dispose()
        {
            foreach (var typeface in new[] { face.Regular, face.Bold, face.FallbackRegular, face.FallbackBold }.OfType<SKTypeface>().Distinct())
            {
                typeface.Dispose();
            }
        }
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
}
