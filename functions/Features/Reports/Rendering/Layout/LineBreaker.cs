namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// Greedy line breaking for Japanese mixed with Latin text, with the basic 禁則処理 (JIS X 4051): a line never begins with
/// closing punctuation, a prolonged sound mark or a small kana, never ends with an opening bracket; Latin words and
/// numbers (including "1,234.5" and "10%") are never split, nor a number from its unit ("15,744人", "2025年度",
/// "89,266百万円", "第13位"). No line is ever wider than the width it is given: where the rules cannot be kept (a word
/// wider than the line, a run of forbidden characters) the break is made anyway — a character split of a word as the
/// last resort — rather than letting text run past its box. Punctuation is pushed to the next line (追い出し) rather
/// than hung past the margin, so it never reaches a neighbouring column.
/// </summary>
public static class LineBreaker
{
    /// <summary>Characters that may not begin a line (行頭禁則).</summary>
    public const string NoLineStart = "、。，．,.）)」』〕］]｝}〉》】・：；:;！!？?ー－ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々ゝゞヽヾ％%";

    /// <summary>Characters that may not end a line (行末禁則).</summary>
    public const string NoLineEnd = "（(「『〔［[｛{〈《【";

    /// <summary>Units kept with the number before them, longest first.</summary>
    private static readonly string[] Units =
        ["団体・地域", "百万円", "千万円", "億円", "兆円", "万円", "千円", "万人", "千人", "か年", "年度", "か月", "人", "件", "位", "円", "年", "月", "日", "倍", "点", "歳"];

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
        var units = Split(text);
        if (units.Count == 0)
        {
            lines.Add("");
            return;
        }
        var start = 0;
        while (start < units.Count)
        {
            // A single unit wider than the line: split it by characters, whatever follows it.
            if (measure(units[start]) > maxWidth && FontSubsetter.CodePoints(units[start]).Skip(1).Any())
            {
                var word = units[start];
                var cut = CharacterCut(word, maxWidth, measure);
                lines.Add(word[..cut]);
                units[start] = word[cut..];
                continue;
            }
            var end = start;
            var width = 0f;
            while (end < units.Count)
            {
                var w = measure(units[end]);
                if (end > start && width + w > maxWidth && !IsSpace(units[end])) break;
                width += w;
                end++;
            }
            if (end < units.Count && (StartsForbidden(units[end]) || EndsForbidden(units[end - 1])))
            {
                // Move the break back until no forbidden character sits at the start or end of a line.
                var adjusted = end;
                while (adjusted > start + 1 && (StartsForbidden(units[adjusted]) || EndsForbidden(units[adjusted - 1])))
                {
                    adjusted--;
                }
                if (!(StartsForbidden(units[adjusted]) || EndsForbidden(units[adjusted - 1])))
                {
                    end = adjusted;
                }
                // Otherwise nothing on the line may end it: break where the width says (the rules give way to the box).
            }
            lines.Add(string.Concat(units.Skip(start).Take(end - start)).TrimEnd(' '));
            start = end;
            while (start < units.Count && IsSpace(units[start])) start++;
        }
    }

    /// <summary>How many characters (never half a surrogate pair) of <paramref name="word"/> fit in the width; at least one.</summary>
    private static int CharacterCut(string word, float maxWidth, Func<string, float> measure)
    {
        var cut = char.IsHighSurrogate(word[0]) && word.Length > 1 ? 2 : 1;
        while (cut < word.Length)
        {
            var next = cut + (char.IsHighSurrogate(word[cut]) && cut + 1 < word.Length ? 2 : 1);
            if (measure(word[..next]) > maxWidth) break;
            cut = next;
        }
        return cut;
    }

    /// <summary>
    /// Splits text into unbreakable units: one per CJK character or space, one per run of Latin letters and digits, a
    /// number together with its sign, a preceding 第 and a following unit.
    /// </summary>
    internal static List<string> Split(string text)
    {
        var units = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            // A sign belongs to the number it precedes ("-7.2%", "R = -1.28"); 第 to the number it counts ("第13位").
            var signed = text[i] is '-' or '+' or '−' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]);
            var ordinal = text[i] == '第' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]);
            if (IsWordChar(text[i]) || signed || ordinal)
            {
                var j = i + 1;
                while (j < text.Length && (IsWordChar(text[j]) || (IsJoiner(text[j]) && j + 1 < text.Length && IsWordChar(text[j + 1])))) j++;
                if (text[(ordinal ? i + 1 : i)..j].Any(char.IsAsciiDigit) && Units.FirstOrDefault(u => string.CompareOrdinal(text, j, u, 0, u.Length) == 0) is { } unit)
                {
                    j += unit.Length;
                }
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

    /// <summary>
    /// The pieces no line break may divide: a unit together with the punctuation 禁則処理 keeps with it ("2021、",
    /// "（2030）", "第1・2"). The narrowest a column can be without breaking a rule is its widest piece.
    /// </summary>
    internal static List<string> Clusters(string text)
    {
        var clusters = new List<string>();
        foreach (var unit in Split(text))
        {
            if (IsSpace(unit))
            {
                clusters.Add(unit);
                continue;
            }
            if (clusters.Count > 0 && !IsSpace(clusters[^1]) && (StartsForbidden(unit) || EndsForbidden(clusters[^1])))
            {
                clusters[^1] += unit;
            }
            else
            {
                clusters.Add(unit);
            }
        }
        return clusters;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '%' or '\'' or '＋' or '+';
    private static bool IsJoiner(char c) => c is ',' or '.' or '-' or '/' or ':' or '_';
    private static bool IsSpace(string unit) => unit == " ";
    private static bool StartsForbidden(string unit) => unit.Length > 0 && NoLineStart.Contains(unit[0]);
    private static bool EndsForbidden(string unit) => unit.Length > 0 && NoLineEnd.Contains(unit[^1]);
}
