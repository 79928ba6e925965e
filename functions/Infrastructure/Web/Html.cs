using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Reporting.Infrastructure.Web;

/// <summary>
/// A piece of HTML. Made only from literal markup and encoded text: in <c>Html.Of($"…{x}…")</c> every hole that is not
/// itself <see cref="Html"/> is encoded, so nothing a caller typed can become markup.
/// </summary>
public sealed class Html
{
    private readonly string value;

    private Html(string value) => this.value = value;

    public static Html Empty { get; } = new("");

    /// <summary>Markup this code wrote itself (never anything a caller sent).</summary>
    public static Html Raw(string trusted) => new(trusted);

    public static Html Of([InterpolatedStringHandlerArgument] ref HtmlInterpolation markup) => new(markup.Build());

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.value)));

    /// <summary>Text as HTML: encoded, Japanese kept as it is.</summary>
    public static Html Text(string? text) => new(Encode(text));

    public static Html When(bool condition, Html html) => condition ? html : Empty;

    public bool IsEmpty => value.Length == 0;

    public override string ToString() => value;

    // Only the characters HTML gives meaning to are escaped; Japanese text stays readable in the source.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    internal static string Encode(string? text) => text is null ? "" : Encoder.Encode(text);
}

/// <summary>Builds <see cref="Html"/> from an interpolated string: literals as markup, holes encoded unless they are HTML.</summary>
[InterpolatedStringHandler]
public ref struct HtmlInterpolation
{
    private readonly StringBuilder builder;

    public HtmlInterpolation(int literalLength, int formattedCount) => builder = new StringBuilder(literalLength + formattedCount * 16);

    public void AppendLiteral(string literal) => builder.Append(literal);

    public void AppendFormatted(Html? html) => builder.Append(html?.ToString());

    public void AppendFormatted(IEnumerable<Html> parts)
    {
        foreach (var part in parts) builder.Append(part.ToString());
    }

    public void AppendFormatted(string? text) => builder.Append(Html.Encode(text));

    public void AppendFormatted<T>(T value)
    {
        // A list of HTML (List<Html>, an array) binds here rather than to the IEnumerable overload: still markup.
        if (value is IEnumerable<Html> parts)
        {
            AppendFormatted(parts);
            return;
        }
        builder.Append(Html.Encode(Convert.ToString(value, CultureInfo.InvariantCulture)));
    }

    public void AppendFormatted<T>(T value, string format) where T : IFormattable =>
        builder.Append(Html.Encode(value.ToString(format, CultureInfo.InvariantCulture)));

    internal string Build() => builder.ToString();
}
