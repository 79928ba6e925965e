namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// Greedy line breaking for Japanese mixed with Latin text, with the basic 禁則処理 (JIS X 4051): a line never begins with
/// closing punctuation, a prolonged sound mark or a small kana, never ends with an opening bracket, and Latin words and
/// numbers (including "1,234.5" and "10%") are never split unless a single word is wider than the line.
/// </summary>
public static class LineBreaker
{
    /// <summary>Characters that may not begin a line (行頭禁則).</summary>
    public const string NoLineStart = "、。，．,.）)」』〕］]｝}〉》】・：；:;！!？?ー－ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ％%";

    /// <summary>Characters that may not end a line (行末禁則).</summary>
    public const string NoLineEnd = "（(「『〔［[｛{〈《【";

    public static IReadOnlyList<string> Wrap(string text, float maxWidth, Func<string, float> measure)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n").Split('\n'))
        {
            WrapParagraph(paragraph, maxWidth, measure, lines);
        }
        return lines;
    }

    private static void WrapParagraph(string text, float maxWidth, Func<string, float> measure, List<string> lines)
    {
        var units = Units(text);
        if (units.Count == 0)
        {
            lines.Add("");
            return;
        }
        var start = 0;
        while (start < units.Count)
        {
            var end = start;
            var width = 0f;
            while (end < units.Count)
            {
                var w = measure(units[end]);
                if (end > start && width + w > maxWidth && !IsSpace(units[end]))
                {
                    break;
                }
                width += w;
                end++;
            }
            if (end < units.Count && (StartsForbidden(units[end]) || EndsForbidden(units[end - 1])))
            {
                if (Hangs(units[end]))
                {
                    // ぶら下げ: a comma or full stop may hang past the line end rather than start the next line.
                    end++;
                }
                else
                {
                    // Move the break back so that no forbidden character sits at the start or end of a line.
                    var adjusted = end;
                    while (adjusted > start + 1 && (StartsForbidden(units[adjusted]) || EndsForbidden(units[adjusted - 1])))
                    {
                        adjusted--;
                    }
                    if (adjusted > start + 1 || !(StartsForbidden(units[adjusted]) || EndsForbidden(units[adjusted - 1])))
                    {
                        end = adjusted;
                    }
                    else
                    {
                        // Nothing earlier to break at: keep the forbidden characters on this line instead.
                        while (end < units.Count && StartsForbidden(units[end])) end++;
                    }
                }
            }
            if (end == start + 1 && measure(units[start]) > maxWidth && units[start].Length > 1)
            {
                // A single word wider than the line: split it by characters as a last resort.
                var word = units[start];
                var cut = 1;
                while (cut < word.Length && measure(word[..(cut + 1)]) <= maxWidth) cut++;
                units[start] = word[cut..];
                lines.Add(word[..cut]);
                continue;
            }
            lines.Add(string.Concat(units.Skip(start).Take(end - start)).TrimEnd(' '));
            start = end;
            while (start < units.Count && IsSpace(units[start])) start++;
        }
    }

    /// <summary>Splits text into unbreakable units: one per CJK character or space, one per run of Latin letters and digits.</summary>
    internal static List<string> Units(string text)
    {
        var units = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            // A sign belongs to the number it precedes ("-7.2%", "R = -1.28").
            var signed = text[i] is '-' or '+' or '−' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]);
            if (IsWordChar(text[i]) || signed)
            {
                var j = i + 1;
                while (j < text.Length && (IsWordChar(text[j]) || (IsJoiner(text[j]) && j + 1 < text.Length && IsWordChar(text[j + 1])))) j++;
                units.Add(text[i..j]);
                i = j;
            }
            else
            {
                var length = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
                units.Add(text.Substring(i, length));
                i += length;
            }
        }
        return units;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '%' or '\'' or '＋' or '+' ;
    private static bool IsJoiner(char c) => c is ',' or '.' or '-' or '/' or ':' or '_';
    private static bool IsSpace(string unit) => unit == " ";
    private static bool Hangs(string unit) => unit is "、" or "。" or "，" or "．" or "," or ".";
    private static bool StartsForbidden(string unit) => unit.Length > 0 && NoLineStart.Contains(unit[0]);
    private static bool EndsForbidden(string unit) => unit.Length > 0 && NoLineEnd.Contains(unit[^1]);
}
