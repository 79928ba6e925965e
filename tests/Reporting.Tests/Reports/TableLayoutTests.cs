using Microsoft.Extensions.Options;
using Reporting.Features.Reports;
using Reporting.Features.Reports.Rendering;

namespace Reporting.Tests.Reports;

/// <summary>A table's columns are as wide as their content asks, within the page.</summary>
public sealed class TableLayoutTests
{
    private static readonly ReportFonts Fonts = new(Options.Create(new ReportOptions()));
    private const float Width = 481;
    private static readonly TextStyle Dense = new(7.5f, LineHeight: 1.3f);
    private static readonly TextStyle DenseHeader = new(7.5f, Bold: true, LineHeight: 1.3f);

    /// <summary>The columns of 表C-1 (指標の定義の変更), as the revision appendix lays them out.</summary>
    private static Table CatalogChanges(params IReadOnlyList<string>[] rows) => new(
        [new("指標", 2f), new("項目", 0.9f, NoWrap: true), new("変更前", 2.3f), new("変更後", 2.3f), new("変更者", 1f), new("日時", 1.4f, NoWrap: true), new("理由", 2.3f)],
        rows, Dense, DenseHeader);

    [Fact]
    public void A_short_user_name_stays_whole_and_an_empty_reason_column_takes_only_its_headers_width()
    {
        var table = CatalogChanges(
            ["1. Top10%補正論文数", "目標", "英独と比肩する地位へ（世界第3位）（2035年）", "世界第3位（2035年）", "adversary-admin", "2026-11-30 10:00", ""],
            ["13. スマートシティ", "担当府省", "内閣府", "デジタル庁", "adversary-admin", "2026-11-30 10:05", ""]);
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var widths = table.WidthsAt(ctx, Width);

        Assert.Equal(["adversary-admin"], table.LinesAt(ctx, Width, 0, 4));
        // 理由 is empty: it keeps what its header needs (two characters and the padding), nothing like its 2.3 share.
        Assert.True(widths[6] <= ctx.Measure("理由", DenseHeader) + 8, $"理由 is {widths[6]:0.0} pt wide");
        Assert.Equal(Width, widths.Sum(), 0.01);
    }

    [Fact]
    public void A_word_longer_than_twice_a_columns_share_still_breaks_inside_the_page()
    {
        var word = string.Concat(Enumerable.Repeat("Supercalifragilisticexpialidocious", 4));
        var table = CatalogChanges(["1. 指標", "目標", "前", "後", word, "2026-11-30 10:00", "理由"]);
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var widths = table.WidthsAt(ctx, Width);

        Assert.Equal(Width, widths.Sum(), 0.01);
        var lines = table.LinesAt(ctx, Width, 0, 4);
        Assert.True(lines.Count > 1);
        Assert.Equal(word, string.Concat(lines));
        Assert.All(lines, l => Assert.True(ctx.Measure(l, Dense) <= widths[4] - 6 + 0.01f));
    }

    [Fact]
    public void Columns_whose_text_fills_them_keep_their_shares_by_weight()
    {
        var longText = string.Concat(Enumerable.Repeat("研究時間の割合を示す。", 12));
        var table = new Table([new("A", 1f), new("B", 3f)], [[longText, longText]]);
        using var ctx = new RenderContext(Fonts.Full, Fonts.Cover);
        var widths = table.WidthsAt(ctx, 400);
        Assert.Equal(100, widths[0], 0.01);
        Assert.Equal(300, widths[1], 0.01);
    }
}
