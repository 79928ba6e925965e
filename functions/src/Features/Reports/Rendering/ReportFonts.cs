using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// The report's typefaces. BIZ UDPGothic is the Universal Design font used across Japanese government documents, and
/// unlike Noto Sans JP its cmap makes Skia write the real kanji code points (not Kangxi radicals) into the PDF's
/// ToUnicode map, so text extracted from the PDF equals the source text.
/// Typefaces are loaded once per process and shared with ScottPlot: Skia's PDF backend embeds one font per typeface
/// instance, so a chart using its own instance of the same file would embed the 4.5 MB face a second time.
/// </summary>
public sealed class ReportFonts
{
    public const string FamilyName = "BIZ UDPGothic";
    private const string RegularFile = "BIZUDPGothic_400Regular.ttf";
    private const string BoldFile = "BIZUDPGothic_700Bold.ttf";

    private static readonly ConcurrentDictionary<string, SKTypeface> Loaded = new(StringComparer.Ordinal);
    private static SharedFontResolver? resolver;
    private static readonly object Registration = new();

    public SKTypeface Regular { get; }
    public SKTypeface Bold { get; }
    public string RegularPath { get; }

    /// <summary>True when <see cref="Bold"/> is the regular face and bold must be synthesised (SKFont.Embolden).</summary>
    public bool SyntheticBold => ReferenceEquals(Bold, Regular);

    public ReportFonts(IOptions<ReportOptions> options)
    {
        RegularPath = Locate(options.Value.FontPath, RegularFile)
            ?? throw new FileNotFoundException(
                $"Font {RegularFile} not found. Run 'npm ci' at the repository root (it installs @expo-google-fonts/biz-udpgothic) or set Report__FontPath.");
        Regular = Load(RegularPath);
        // Bold is synthesised from the regular face unless a bold file is configured: embedding a second CJK face
        // would double the PDF for a few headings.
        var boldPath = string.IsNullOrWhiteSpace(options.Value.BoldFontPath) ? null : Locate(options.Value.BoldFontPath, BoldFile);
        Bold = boldPath is null ? Regular : Load(boldPath);

        lock (Registration)
        {
            if (resolver is null)
            {
                resolver = new SharedFontResolver();
                ScottPlot.Fonts.FontResolvers.Insert(0, resolver);
            }
            resolver.Regular = Regular;
            resolver.Bold = Bold;
        }
    }

    private static SKTypeface Load(string path) =>
        Loaded.GetOrAdd(Path.GetFullPath(path), p => SKTypeface.FromFile(p) ?? throw new InvalidOperationException($"Cannot load font {p}."));

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

    private sealed class SharedFontResolver : ScottPlot.IFontResolver
    {
        public SKTypeface? Regular { get; set; }
        public SKTypeface? Bold { get; set; }

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            fontName == FamilyName ? (bold ? Bold : Regular) : null;

        public SKTypeface? CreateTypeface(string fontName, ScottPlot.FontWeight weight, ScottPlot.FontSlant slant, ScottPlot.FontSpacing spacing) =>
            CreateTypeface(fontName, (int)weight >= 600, slant != ScottPlot.FontSlant.Upright);
    }
}
