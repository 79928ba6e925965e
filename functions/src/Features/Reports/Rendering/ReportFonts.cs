using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

/// <summary>A typeface set for one rendering: the faces to draw with and the family name charts resolve to them.</summary>
public sealed record FontFace(SKTypeface Regular, SKTypeface Bold, bool SyntheticBold, string ChartFamily);

/// <summary>
/// The report's typefaces. BIZ UDPGothic is the Universal Design font used across Japanese government documents, and
/// unlike Noto Sans JP its cmap makes Skia write the real kanji code points (not Kangxi radicals) into the PDF's
/// ToUnicode map, so text extracted from the PDF equals the source text.
/// Layout is measured with the full face (<see cref="Full"/>); each document is then drawn with a subset holding only
/// its characters (<see cref="Subset"/>), which is what gets embedded. ScottPlot resolves fonts by family name from a
/// process-wide registry, so each subset is registered under its own name for the duration of one rendering.
/// </summary>
public sealed class ReportFonts
{
    public const string FamilyName = "BIZ UDPGothic";
    private const string RegularFile = "BIZUDPGothic_400Regular.ttf";
    private const string BoldFile = "BIZUDPGothic_700Bold.ttf";

    private static readonly ConcurrentDictionary<string, (byte[] Bytes, SKTypeface Face)> Loaded = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, FontFace> ChartFaces = new(StringComparer.Ordinal);
    private static readonly object Registration = new();
    private static bool resolverRegistered;

    private readonly byte[] regularBytes;
    private readonly byte[]? boldBytes;

    public FontFace Full { get; }

    public ReportFonts(IOptions<ReportOptions> options)
    {
        var regularPath = Locate(options.Value.FontPath, RegularFile)
            ?? throw new FileNotFoundException(
                $"Font {RegularFile} not found. Run 'npm ci' at the repository root (it installs @expo-google-fonts/biz-udpgothic) or set Report__FontPath.");
        var regular = Load(regularPath);
        regularBytes = regular.Bytes;
        // A real bold face: Skia's PDF backend draws synthesised bold as outlines (plus invisible text), which is
        // heavier than a bold subset holding the few characters set in bold. Without the file, bold is synthesised.
        var boldPath = Locate(options.Value.BoldFontPath, BoldFile);
        var bold = boldPath is null ? regular : Load(boldPath);
        boldBytes = boldPath is null ? null : bold.Bytes;
        Full = Register(new FontFace(regular.Face, bold.Face, boldPath is null, FamilyName));
    }

    /// <summary>
    /// Faces holding only the characters drawn in each weight; dispose when the document is written. With a
    /// synthesised bold, the bold characters go into the regular subset.
    /// </summary>
    public SubsetFace Subset(IEnumerable<int> regularCodepoints, IEnumerable<int> boldCodepoints)
    {
        var boldSet = boldCodepoints.Distinct().Order().ToArray();
        var regularSet = (boldBytes is null ? regularCodepoints.Concat(boldSet) : regularCodepoints).Distinct().Order().ToArray();
        var regular = SKTypeface.FromData(SKData.CreateCopy(FontSubsetter.Subset(regularBytes, regularSet)))
            ?? throw new InvalidOperationException("Skia could not load the subset font.");
        var bold = boldBytes is null ? regular
            : SKTypeface.FromData(SKData.CreateCopy(FontSubsetter.Subset(boldBytes, boldSet))) ?? throw new InvalidOperationException("Skia could not load the bold subset.");
        var face = Register(new FontFace(regular, bold, boldBytes is null, $"{FamilyName} subset {Guid.NewGuid():N}"));
        return new SubsetFace(face);
    }

    public sealed class SubsetFace(FontFace face) : IDisposable
    {
        public FontFace Face => face;

        public void Dispose()
        {
            ChartFaces.TryRemove(face.ChartFamily, out _);
            if (!ReferenceEquals(face.Bold, face.Regular)) face.Bold.Dispose();
            face.Regular.Dispose();
        }
    }

    private static FontFace Register(FontFace face)
    {
        lock (Registration)
        {
            if (!resolverRegistered)
            {
                ScottPlot.Fonts.FontResolvers.Insert(0, new ChartFontResolver());
                resolverRegistered = true;
            }
        }
        ChartFaces[face.ChartFamily] = face;
        return face;
    }

    private static (byte[] Bytes, SKTypeface Face) Load(string path) => Loaded.GetOrAdd(Path.GetFullPath(path), p =>
    {
        var bytes = File.ReadAllBytes(p);
        return (bytes, SKTypeface.FromData(SKData.CreateCopy(bytes)) ?? throw new InvalidOperationException($"Cannot load font {p}."));
    });

    private static string? Locate(string? configured, string fileName)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            var file = configured.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) ? configured : Path.Combine(configured, fileName);
            return File.Exists(file) ? file : null;
        }
        var beside = Path.Combine(AppContext.BaseDirectory, "fonts", fileName);
        if (File.Exists(beside)) return beside;

        var weight = fileName.Contains("700") ? "700Bold" : "400Regular";
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "node_modules", "@expo-google-fonts", "biz-udpgothic", weight, fileName);
                if (File.Exists(candidate)) return candidate;
            }
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
