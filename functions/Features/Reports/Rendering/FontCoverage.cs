using System.Buffers.Binary;
using System.Collections;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// The characters a TrueType/OpenType font maps to a glyph, read from its 'cmap' table (formats 4 and 12). The same
/// answer decides, at input, whether a text can be printed and, when rendering, which face draws each character — so
/// the two can never disagree.
/// </summary>
public sealed class FontCoverage
{
    private readonly BitArray mapped = new(0x110000);

    public bool Contains(int codepoint) => codepoint is >= 0 and < 0x110000 && mapped[codepoint];

    /// <summary>Reads only the font's table directory and its cmap table: the rest of the file is never loaded.</summary>
    public static FontCoverage ReadFile(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> header = stackalloc byte[12];
        file.ReadExactly(header);
        var numTables = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        var directory = new byte[16 * numTables];
        file.ReadExactly(directory);
        for (var i = 0; i < numTables; i++)
        {
            var record = directory.AsSpan(16 * i, 16);
            if (!record[..4].SequenceEqual("cmap"u8)) continue;
            var table = new byte[BinaryPrimitives.ReadUInt32BigEndian(record[12..])];
            file.Position = BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            file.ReadExactly(table);
            return ReadCmap(table);
        }
        throw new InvalidDataException($"The font {Path.GetFileName(path)} has no cmap table.");
    }

    private static FontCoverage ReadCmap(ReadOnlySpan<byte> data)
    {
        var coverage = new FontCoverage();
        const int cmap = 0;
        var subtables = BinaryPrimitives.ReadUInt16BigEndian(data[(cmap + 2)..]);
        int? format4 = null, format12 = null;
        for (var i = 0; i < subtables; i++)
        {
            var record = data[(cmap + 4 + 8 * i)..];
            var platform = BinaryPrimitives.ReadUInt16BigEndian(record);
            var encoding = BinaryPrimitives.ReadUInt16BigEndian(record[2..]);
            var offset = cmap + (int)BinaryPrimitives.ReadUInt32BigEndian(record[4..]);
            var format = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            // Unicode subtables: Windows Unicode BMP (3,1) / full (3,10), or the Unicode platform (0,*).
            if (platform is not (0 or 3) || (platform == 3 && encoding is not (1 or 10))) continue;
            if (format == 12) format12 ??= offset;
            else if (format == 4) format4 ??= offset;
        }
        if (format12 is { } f12) ReadFormat12(data, f12, coverage.mapped);
        else if (format4 is { } f4) ReadFormat4(data, f4, coverage.mapped);
        else throw new InvalidDataException("The font has no Unicode cmap subtable of format 4 or 12.");
        return coverage;
    }

    private static void ReadFormat12(ReadOnlySpan<byte> data, int offset, BitArray mapped)
    {
        var groups = BinaryPrimitives.ReadUInt32BigEndian(data[(offset + 12)..]);
        for (var g = 0; g < groups; g++)
        {
            var group = data[(offset + 16 + 12 * g)..];
            var first = BinaryPrimitives.ReadUInt32BigEndian(group);
            var last = Math.Min(BinaryPrimitives.ReadUInt32BigEndian(group[4..]), 0x10FFFF);
            var glyph = BinaryPrimitives.ReadUInt32BigEndian(group[8..]);
            for (var cp = first; cp <= last; cp++)
            {
                if (glyph + (cp - first) != 0) mapped[(int)cp] = true;
            }
        }
    }

    private static void ReadFormat4(ReadOnlySpan<byte> data, int offset, BitArray mapped)
    {
        var segments = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 6)..]) / 2;
        var ends = offset + 14;
        var starts = ends + 2 * segments + 2;
        var deltas = starts + 2 * segments;
        var rangeOffsets = deltas + 2 * segments;
        for (var s = 0; s < segments; s++)
        {
            var end = BinaryPrimitives.ReadUInt16BigEndian(data[(ends + 2 * s)..]);
            var start = BinaryPrimitives.ReadUInt16BigEndian(data[(starts + 2 * s)..]);
            var delta = BinaryPrimitives.ReadInt16BigEndian(data[(deltas + 2 * s)..]);
            var rangeOffset = BinaryPrimitives.ReadUInt16BigEndian(data[(rangeOffsets + 2 * s)..]);
            for (int cp = start; cp <= end && cp != 0xFFFF; cp++)
            {
                int glyph;
                if (rangeOffset == 0) glyph = (cp + delta) & 0xFFFF;
                else
                {
                    var at = rangeOffsets + 2 * s + rangeOffset + 2 * (cp - start);
                    glyph = BinaryPrimitives.ReadUInt16BigEndian(data[at..]);
                    if (glyph != 0) glyph = (glyph + delta) & 0xFFFF;
                }
                if (glyph != 0) mapped[cp] = true;
            }
        }
    }
}
