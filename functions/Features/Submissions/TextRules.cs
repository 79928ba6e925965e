using System.Globalization;

namespace Reporting.Features.Submissions;

/// <summary>
/// The characters the report can print: those its face or its fallback face holds. Free text is checked against it at
/// input, so a value, a label or a name accepted today is never printed as a gap or a geta mark tomorrow.
/// </summary>
public sealed class Repertoire(Func<int, bool> printable)
{
    public bool Contains(int codepoint) => printable(codepoint);
}

/// <summary>
/// Rules for free text that the report prints (notes, reasons, labels, names, sources): a length limit, no control
/// characters but line breaks and tabs (and none at all in one-line text), and only characters the report can print.
/// The refusal names the character and its code point, so the sender can find it.
/// </summary>
public static class TextRules
{
    public const int MaxNoteLength = 1000;

    public static string? Check(string? text, Repertoire repertoire, int maxLength = MaxNoteLength, bool oneLine = false)
    {
        if (text is null) return null;
        if (text.Length > maxLength) return $"must be at most {maxLength} characters.";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, text[++i]);
                if (!repertoire.Contains(cp)) return Unprintable(cp, char.ConvertFromUtf32(cp));
                continue;
            }
            if (char.IsSurrogate(c)) return $"contains an unpaired surrogate (U+{(int)c:X4}): send the text as valid UTF-16/UTF-8.";
            if (c is '\n' or '\t')
            {
                if (oneLine) return "must be one line (no line breaks or tabs).";
                continue;
            }
            if (char.IsControl(c)) return $"must not contain control characters (U+{(int)c:X4} at position {i + 1}).";
            if (!repertoire.Contains(c)) return Unprintable(c, c.ToString());
        }
        return null;
    }

    private static string Unprintable(int codepoint, string character) =>
        string.Create(CultureInfo.InvariantCulture,
            $"contains \"{character}\" (U+{codepoint:X4}), which the report's fonts cannot print: replace it (e.g. with a standard form of the character) or leave it out.");
}
