using Microsoft.Extensions.Options;
using Reporting.Features.Reports;
using Reporting.Features.Reports.Rendering;
using Reporting.Features.Submissions;

namespace Reporting.Tests.Submissions;

/// <summary>Free text is checked against what the report's own fonts can print: nothing accepted ever prints as a gap.</summary>
public sealed class TextRulesTests
{
    private static readonly Lazy<Repertoire> Fonts = new(() => new ReportFonts(Options.Create(new ReportOptions())).Repertoire);

    [Theory]
    [InlineData("確報値に更新。前年度比 +3.2%")]
    [InlineData("𠮷野家・髙橋・﨑山（JIS X 0213 の字は代替書体で印字する）")]
    [InlineData("行1\n行2\tタブ")]
    [InlineData("Supercalifragilisticexpialidocious ① ㈱ №")]
    public void TextTheFontsCanPrint_IsAccepted(string text) => Assert.Null(TextRules.Check(text, Fonts.Value));

    [Theory]
    [InlineData("増加😀", "U+1F600")]
    [InlineData("\ue000", "U+E000")]
    [InlineData("a\u0007b", "U+0007")]
    public void TextWithACharacterTheReportCannotPrint_IsRefusedNamingIt(string text, string named)
    {
        var error = TextRules.Check(text, Fonts.Value);
        Assert.NotNull(error);
        // Both languages name the character's code point, so a clerk can find it as a program can.
        Assert.Contains(named, error.English);
        Assert.Contains(named, error.Japanese);
    }

    [Fact]
    public void TextWithAnUnpairedSurrogate_IsRefusedNamingIt() =>
        Assert.Contains("U+D800", TextRules.Check("a" + (char)0xD800 + "b", Fonts.Value)!.English);

    [Fact]
    public void OneLineText_RefusesLineBreaks() =>
        Assert.Contains("1行", TextRules.Check("a\nb", Fonts.Value, oneLine: true)!.Japanese);

    [Fact]
    public void TextLongerThanTheLimit_IsRefusedWithTheLimit() =>
        Assert.Contains("at most 10", TextRules.Check(new string('あ', 11), Fonts.Value, maxLength: 10)!.English);

    [Fact]
    public void EveryCharacterTheRepertoireAccepts_IsDrawnByAFace()
    {
        var fonts = new ReportFonts(Options.Create(new ReportOptions()));
        foreach (var cp in new[] { 'あ', '漢', 'A', 0x20BB7, 0x9AD9 })
        {
            Assert.True(fonts.Repertoire.Contains(cp));
            Assert.NotEqual(Coverage.None, fonts.Cover(cp));
        }
        Assert.False(fonts.Repertoire.Contains(0x1F600));
    }
}
