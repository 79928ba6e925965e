using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Reporting.Infrastructure;

/// <summary>
/// Numbers and years as people type them into Excel: full-width digits and signs (０-９, ．, ，, －, ＋) are read as
/// their ASCII forms, the same way everywhere (a year and a value alike). Nothing else is: circled or other "numeric"
/// characters (①⓪) are not digits, and a thousands separator must sit between groups of three digits — "3,2" is not
/// 32 and "1,0,0" is not 100, so such a cell is refused rather than misread.
/// </summary>
public static partial class Numerals
{
    /// <summary>Full-width ASCII forms (U+FF01–U+FF5E) and the ideographic space as ASCII; the minus sign (U+2212) as '-'.</summary>
    public static string Halfwidth(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                '\u2212' => '-',
                _ => c,
            });
        }
        return builder.ToString();
    }

    [GeneratedRegex(@"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Decimal();

    /// <summary>
    /// A decimal number typed in a cell: digits with an optional sign, decimal point, exponent, and thousands separators
    /// between groups of three digits. Null when it is one (<paramref name="value"/> holds it), else why not.
    /// </summary>
    public static Message? ParseDecimal(string raw, out double value)
    {
        value = 0;
        var text = Halfwidth(raw).Trim();
        if (!Decimal().IsMatch(text))
        {
            return text.Contains(',') && Regex.IsMatch(text, "^[+-]?[0-9,]+(\\.[0-9]+)?$")
                ? new($"\"{Problems.Shorten(raw)}\" is not a number: a thousands separator (,) must separate groups of three digits (1,234,567); a decimal point is \".\".",
                    $"「{Problems.Shorten(raw)}」は数値として読めません。桁区切りのカンマは3桁ごとに（1,234,567）、小数点は「.」で入力してください。")
                : new($"\"{Problems.Shorten(raw)}\" is not a number.", $"「{Problems.Shorten(raw)}」は数値として読めません。数字で入力してください。");
        }
        if (!double.TryParse(text.Replace(",", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !double.IsFinite(value))
        {
            return new("is not a finite number.", "有限の数値を入力してください。");
        }
        return null;
    }

}
