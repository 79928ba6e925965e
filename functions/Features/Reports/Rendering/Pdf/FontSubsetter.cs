using System.Runtime.InteropServices;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// Cuts a font down to the characters a document uses, with HarfBuzz's hb_subset (exported by the libHarfBuzzSharp
/// native library that SkiaSharp.HarfBuzz ships). Embedded whole, a Japanese face would add 4.5 MB to every report; the
/// subset keeps only the glyphs drawn (plus what their cmap and layout closure need), and glyph advances are unchanged,
/// so layout measured with the full face stays exact.
/// The result depends only on the font and the character set: the same input gives the same bytes.
/// </summary>
public static partial class FontSubsetter
{
    private const string Library = "libHarfBuzzSharp";

    /// <summary>Subsets the font file at <paramref name="fontPath"/>; HarfBuzz maps the file rather than reading it into memory.</summary>
    public static byte[] Subset(string fontPath, IEnumerable<int> codepoints)
    {
        var blob = IntPtr.Zero;
        var face = IntPtr.Zero;
        var input = IntPtr.Zero;
        var subset = IntPtr.Zero;
        var subsetBlob = IntPtr.Zero;
        try
        {
            blob = hb_blob_create_from_file_or_fail(fontPath);
            if (blob == IntPtr.Zero) throw new FileNotFoundException($"HarfBuzz could not open the font {fontPath}.", fontPath);
            face = hb_face_create(blob, 0);
            input = hb_subset_input_create_or_fail();
            if (input == IntPtr.Zero) throw new InvalidOperationException("hb_subset_input_create_or_fail failed.");
            var unicodes = hb_subset_input_unicode_set(input);
            foreach (var cp in codepoints.Distinct().Order())
            {
                hb_set_add(unicodes, (uint)cp);
            }
            subset = hb_subset_or_fail(face, input);
            if (subset == IntPtr.Zero) throw new InvalidOperationException("hb_subset_or_fail could not subset the font.");
            subsetBlob = hb_face_reference_blob(subset);
            var bytes = hb_blob_get_data(subsetBlob, out var length);
            var result = new byte[length];
            Marshal.Copy(bytes, result, 0, (int)length);
            return result;
        }
        finally
        {
            if (subsetBlob != IntPtr.Zero) hb_blob_destroy(subsetBlob);
            if (subset != IntPtr.Zero) hb_face_destroy(subset);
            if (input != IntPtr.Zero) hb_subset_input_destroy(input);
            if (face != IntPtr.Zero) hb_face_destroy(face);
            if (blob != IntPtr.Zero) hb_blob_destroy(blob);
        }
    }

    /// <summary>Code points of a text, surrogate pairs combined.</summary>
    public static IEnumerable<int> CodePoints(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                yield return char.ConvertToUtf32(text[i], text[i + 1]);
                i++;
            }
            else
            {
                yield return text[i];
            }
        }
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)] private static partial IntPtr hb_blob_create_from_file_or_fail(string fileName);
    [LibraryImport(Library)] private static partial IntPtr hb_face_create(IntPtr blob, uint index);
    [LibraryImport(Library)] private static partial IntPtr hb_subset_input_create_or_fail();
    [LibraryImport(Library)] private static partial IntPtr hb_subset_input_unicode_set(IntPtr input);
    [LibraryImport(Library)] private static partial void hb_set_add(IntPtr set, uint codepoint);
    [LibraryImport(Library)] private static partial IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);
    [LibraryImport(Library)] private static partial IntPtr hb_face_reference_blob(IntPtr face);
    [LibraryImport(Library)] private static partial IntPtr hb_blob_get_data(IntPtr blob, out uint length);
    [LibraryImport(Library)] private static partial void hb_blob_destroy(IntPtr blob);
    [LibraryImport(Library)] private static partial void hb_face_destroy(IntPtr face);
    [LibraryImport(Library)] private static partial void hb_subset_input_destroy(IntPtr input);
}
