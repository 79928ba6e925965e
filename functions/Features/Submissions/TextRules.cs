using System.Globalization;
using Reporting.Infrastructure;

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

    public static Message? Check(string? text, Repertoire repertoire, int maxLength = MaxNoteLength, bool oneLine = false)
    {
        if (text is null) return null;
        if (text.Length > maxLength) return new($"must be at most {maxLength} characters.", $"{maxLength}文字以内で入力してください（現在{text.Length}文字）。");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var cp = char.ConvertToUtf32(c, text[++i]);
                if (!repertoire.Contains(cp)) return Unprintable(cp, char.ConvertFromUtf32(cp));
                continue;
            }
            if (char.IsSurrogate(c)) return new($"contains an unpaired surrogate (U+{(int)c:X4}): send the text as valid UTF-16/UTF-8.", $"壊れた文字（U+{(int)c:X4}）が含まれています。入力し直してください。");
            if (c is '\n' or '\t')
            {
                if (oneLine) return new("must be one line (no line breaks or tabs).", "1行で入力してください（改行やタブは使えません）。");
                continue;
            }
            if (char.IsControl(c)) return new($"must not contain control characters (U+{(int)c:X4} at position {i + 1}).", $"{i + 1}文字目に制御文字（U+{(int)c:X4}）が含まれています。取り除いてください。");
            if (!repertoire.Contains(c)) return Unprintable(c, c.ToString());
        }
        return null;
    }

    private static Message Unprintable(int codepoint, string character) => new(
        string.Create(CultureInfo.InvariantCulture,
            $"contains \"{character}\" (U+{codepoint:X4}), which the report's fonts cannot print: replace it (e.g. with a standard form of the character) or leave it out."),
        string.Create(CultureInfo.InvariantCulture,
            $"「{character}」（U+{codepoint:X4}）は報告書のフォントで印刷できません。通常の字体に置き換えるか、削除してください。"));
}
