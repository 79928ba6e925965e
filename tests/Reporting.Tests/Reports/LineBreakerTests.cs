using CsCheck;
using Reporting.Features.Reports.Rendering;

namespace Reporting.Tests.Reports;

public sealed class LineBreakerTests
{
    // A fixed-pitch measure: CJK characters 10 wide, everything else 5, so line widths are exact in the tests.
    private static float Measure(string s) => s.Sum(c => c > 0x2E80 ? 10f : 5f);

    private const string PlanText =
        "科学技術・イノベーション政策の進捗を確認し、政策への適切な反映に向け、これらの3つの観点で下記のとおり指標を設定する。" +
        "なお、ここで掲げる目標値は、我が国の科学技術・イノベーション政策の質の向上を目的として、基本計画の進捗・成果の状況の一側面を把握するために定めるものである。" +
        "Top10%補正論文数（2021-2023年平均）は世界第13位であり、「英独と比肩する地位へ」を目指す。" +
        "相互運用性が確保され、データ連携が可能なスマートシティサービスを行っている地方公共団体・地域の数。" +
        "プロダクト・イノベーション又はビジネス・プロセス・イノベーションのいずれか1つでも実現したとする企業の全企業に対する割合（全国イノベーション調査）。";

    [Theory]
    [InlineData(100)]
    [InlineData(137)]
    [InlineData(200)]
    [InlineData(333)]
    [InlineData(95)]
    [InlineData(105)]
    [InlineData(115)]
    [InlineData(125)]
    public void Wrap_NeverStartsALineWithClosingPunctuation_NorEndsOneWithAnOpeningBracket(float width)
    {
        var lines = LineBreaker.Wrap(PlanText, width, Measure);
        Assert.Equal(PlanText, string.Concat(lines));
        foreach (var line in lines.Skip(1))
        {
            Assert.DoesNotContain(line[0], LineBreaker.NoLineStart);
        }
        foreach (var line in lines.SkipLast(1))
        {
            Assert.DoesNotContain(line[^1], LineBreaker.NoLineEnd);
        }
    }

    [Fact]
    public void Wrap_NeverStartsALineWithAProlongedSoundMarkOrSmallKana_AtAnyWidth()
    {
        for (var width = 40f; width <= 400; width += 10)
        {
            var lines = LineBreaker.Wrap(PlanText, width, Measure);
            Assert.Equal(PlanText, string.Concat(lines));
            Assert.DoesNotContain(lines.Skip(1), l => "ーッャュョァィゥェォっゃゅょぁぃぅぇぉ".Contains(l[0]));
        }
    }

    [Fact]
    public void Wrap_KeepsLatinWordsAndNumbersWhole()
    {
        var lines = LineBreaker.Wrap("大学等における民間企業からの共同研究受入額は102,799百万円、Web of Science XMLによる。", 75, Measure);
        Assert.Contains(lines, l => l.Contains("102,799"));
        Assert.Contains(lines, l => l.Contains("Science"));
        Assert.DoesNotContain(lines, l => l.EndsWith("10") || l.EndsWith("Sci"));
    }

    [Fact]
    public void Wrap_PushesAFullStopToTheNextLineWithItsCharacter_RatherThanStartALineWithIt_OrHangingIt()
    {
        // Exactly five characters fit; the sixth is "。": 定 moves down with it (追い出し), nothing passes the margin.
        var lines = LineBreaker.Wrap("指標を設定。次の文", 50, Measure);
        Assert.Equal(["指標を設", "定。次の文"], lines);
    }

    [Fact]
    public void Wrap_SplitsAWordWiderThanTheLine_EvenWhenAForbiddenCharacterFollowsIt()
    {
        // Before: the character split was skipped when 禁則 kept "）" with the word, and the word ran out of its cell.
        var text = "目標（Supercalifragilisticexpialidociousandevenlonger）を示す。";
        foreach (var width in new[] { 30f, 47f, 60f, 95f })
        {
            var lines = LineBreaker.Wrap(text, width, Measure);
            Assert.All(lines, l => Assert.True(Measure(l) <= width, $"{l} is {Measure(l)} wide, more than {width}"));
            Assert.Equal(text, string.Concat(lines));
        }
    }

    [Fact]
    public void Wrap_KeepsANumberWithItsUnit_AndAnOrdinalWithItsNumber()
    {
        Assert.Contains(LineBreaker.Wrap("共同研究受入額は999,999,999,999百万円である。", 120, Measure), l => l.Contains("999,999,999,999百万円"));
        foreach (var width in new[] { 40f, 55f, 70f })
        {
            var lines = LineBreaker.Wrap("最新値は第13位（2024年度）、15,744人である。", width, Measure);
            Assert.DoesNotContain(lines, l => l.EndsWith("第") || l.StartsWith("位") || l.StartsWith("人") || l.StartsWith("年度") || l.EndsWith("2024"));
        }
    }

    [Fact]
    public void Wrap_NeverMakesALineWiderThanItsWidth_AndLosesNoCharacter_ForAnyText()
    {
        const string alphabet = "指標目標達成値𠮷野家ーッャー、。（）「」・ABCxyz0123456789,.-% ";
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(alphabet);
        var pieces = new List<string>();
        while (elements.MoveNext()) pieces.Add((string)elements.Current);
        Gen.Select(Gen.Int[0, pieces.Count - 1].Array[0, 80], Gen.Int[10, 200]).Sample(t =>
        {
            var text = string.Concat(t.Item1.Select(i => pieces[i]));
            var lines = LineBreaker.Wrap(text, t.Item2, Measure);
            // Only a line of one character (wider than the width itself) may be wider.
            Assert.All(lines, l => Assert.True(Measure(l) <= t.Item2 || System.Globalization.StringInfo.ParseCombiningCharacters(l).Length == 1,
                $"'{l}' ({Measure(l)}) in width {t.Item2} from '{text}'"));
            Assert.Equal(text.Replace(" ", ""), string.Concat(lines).Replace(" ", ""));
        }, iter: 3000);
    }

    [Fact]
    public void Wrap_MovesAnOpeningBracketToTheNextLine()
    {
        var lines = LineBreaker.Wrap("目標は「世界第3位」", 40, Measure);
        Assert.All(lines.SkipLast(1), l => Assert.False(l.EndsWith('「'), string.Join("|", lines)));
        Assert.Equal("目標は「世界第3位」", string.Concat(lines));
    }

    [Fact]
    public void Wrap_KeepsExplicitLineBreaks()
    {
        Assert.Equal(["ISO：第4位", "IEC：第3位"], LineBreaker.Wrap("ISO：第4位\nIEC：第3位", 500, Measure));
    }

    [Fact]
    public void Wrap_KeepsASignWithItsNumber()
    {
        var text = "実績の年平均成長率 -7.2%、必要な年平均成長率 +5.7%（比 R = -1.28）。";
        for (var width = 60f; width <= 300; width += 5)
        {
            var lines = LineBreaker.Wrap(text, width, Measure);
            Assert.DoesNotContain(lines, l => l.EndsWith('-') || l.EndsWith('+'));
        }
    }
}
