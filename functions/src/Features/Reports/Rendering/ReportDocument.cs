using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Infrastructure;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// The annual follow-up report, composed from small components over an immutable <see cref="ReportSnapshot"/>.
/// No data is fetched here: the snapshot is all the document knows.
/// </summary>
public sealed class ReportDocument(ReportFonts fonts)
{
    public const string Title = "第7期科学技術・イノベーション基本計画 フォローアップ報告書";

    private static readonly TextStyle CoverTitle = new(24f, Bold: true, Color: 0xFF1F4E79, LineHeight: 1.6f);
    private static readonly TextStyle CoverYear = new(18f, Bold: true, LineHeight: 1.6f);
    private static readonly TextStyle CoverText = new(12f, LineHeight: 1.6f);
    private static readonly TextStyle Chapter = new(15f, Bold: true, Color: 0xFF1F4E79);
    private static readonly TextStyle Section = new(12f, Bold: true, Color: 0xFF1F4E79);
    private static readonly TextStyle Running = new(7.5f, Color: 0xFF666666);

    public byte[] Render(ReportSnapshot snapshot)
    {
        using var ctx = new RenderContext(fonts);
        var page = PageGeometry.A4;
        var pages = Paginator.Paginate(ctx, Compose(snapshot), page.ContentWidth, page.ContentHeight);
        var header = $"{Title}（{JapanTime.FiscalYearLabel(snapshot.FiscalYear)}）";
        return PdfWriter.Write(ctx, pages, page,
            new PdfInfo($"{Title} {JapanTime.FiscalYearLabel(snapshot.FiscalYear)}", snapshot.Publisher, "科学技術・イノベーション基本計画の指標と目標の進捗", snapshot.GeneratedAt),
            (canvas, number, total) =>
            {
                if (number == 1) return; // the cover carries no running header
                using var rule = new SKPaint { Color = new SKColor(0xFFB0B0B0), StrokeWidth = 0.5f, IsStroke = true };
                ctx.DrawLine(canvas, header, Running, page.Margin, page.Margin, page.ContentWidth);
                canvas.DrawLine(page.Margin, page.Margin + page.HeaderHeight - 8, page.Width - page.Margin, page.Margin + page.HeaderHeight - 8, rule);
                ctx.DrawLine(canvas, $"{number} / {total}", Running, page.Margin, page.Height - page.Margin - 10, page.ContentWidth, Align.Center);
            });
    }

    public IEnumerable<Element> Compose(ReportSnapshot snapshot) =>
        Cover(snapshot)
            .Concat(Summary(snapshot))
            .Concat(Method())
            .Concat(Enum.GetValues<IndicatorGroup>().SelectMany(g => GroupChapter(snapshot, g)));

    private static IEnumerable<Element> Cover(ReportSnapshot s)
    {
        yield return new Spacer(170);
        yield return new Paragraph("第7期科学技術・イノベーション基本計画\nフォローアップ報告書", CoverTitle, Align.Center);
        yield return new Spacer(28);
        yield return new Paragraph(JapanTime.FiscalYearLabel(s.FiscalYear), CoverYear, Align.Center);
        yield return new Spacer(16);
        yield return new Paragraph("― 基本計画の指標と目標（別紙）の進捗状況 ―", CoverText, Align.Center);
        yield return new Spacer(230);
        yield return new Paragraph(s.Publisher, CoverText, Align.Center);
        yield return new Paragraph($"データ基準日：{JapanTime.DateLabel(s.GeneratedAt)}", CoverText, Align.Center);
        yield return new PageBreak();
    }

    private static IEnumerable<Element> Summary(ReportSnapshot s)
    {
        yield return new Heading("概要", Chapter);
        yield return new Spacer(6);
        var assessed = s.Indicators.Count(i => i.Progress.Status != ProgressStatus.NotAssessable);
        yield return new Paragraph(
            $"本報告書は、第7期科学技術・イノベーション基本計画の別紙に掲げる{s.Indicators.Count}の指標について、" +
            $"{JapanTime.FiscalYearLabel(s.FiscalYear)}までに各府省から提出された値を基に、目標に向けた進捗を取りまとめたものである。" +
            $"{s.Indicators.Count}指標のうち{assessed}指標について進捗を評価した。評価の方法は「評価の方法」に記す。", TextStyle.Body);
        yield return new Spacer(10);

        yield return new Heading("観点別の評価状況", Section);
        yield return new Spacer(4);
        var statuses = Enum.GetValues<ProgressStatus>();
        yield return new Table(
            [new("観点", 3.4f), .. statuses.Select(st => new Column($"{ProgressAssessor.Symbol(st)}\n{ProgressAssessor.Label(st)}", 1.1f, Align.Center))],
            Enum.GetValues<IndicatorGroup>().Select(g =>
                (IReadOnlyList<string>)[$"{Indicator.GroupNumber(g)}. {Indicator.GroupName(g)}",
                    .. statuses.Select(st => s.Indicators.Count(i => i.Definition.Group == g && i.Progress.Status == st).ToString())]).ToList());
        yield return new Spacer(12);

        yield return new Heading("指標一覧", Section);
        yield return new Spacer(4);
        yield return new Table(
            [new("No.", 0.55f, Align.Center), new("指標", 3.6f), new("最新値", 2.15f), new("基準値", 2.1f), new("目標", 2.1f), new("評価", 1.8f, Align.Center)],
            s.Indicators.Select(i => (IReadOnlyList<string>)
            [
                i.Definition.Order.ToString(),
                i.Definition.Name,
                LatestText(i),
                string.Join("\n", i.Definition.Baseline.Select(b => b.Label)),
                i.Definition.Target.Label,
                $"{ProgressAssessor.Symbol(i.Progress.Status)} {ProgressAssessor.Label(i.Progress.Status)}",
            ]).ToList());
        yield return new Spacer(4);
        yield return new Paragraph("評価記号：◎ 目標達成　○ 順調　△ 一定の進捗　▲ 進捗に遅れ　× 悪化　− 評価不能", TextStyle.Small);
        yield return new PageBreak();
    }

    private static IEnumerable<Element> Method()
    {
        yield return new Heading("評価の方法", Chapter);
        yield return new Spacer(6);
        string[] paragraphs =
        [
            "各指標の進捗は、国連アジア太平洋経済社会委員会（UN ESCAP）がSDGsの進捗評価に用いる方法（Open SDG、カナダ統計局等が採用）を、本計画の目標の種類に合わせて適用して評価した。",
            "数値目標：基準値から最新値までの年平均成長率（実績）と、基準値から目標値に到達するために必要な年平均成長率（必要）の比 R を求め、R ≥ 0.95 を「順調」、0.60 ≤ R < 0.95 を「一定の進捗」、0 ≤ R < 0.60 を「進捗に遅れ」、R < 0 を「悪化」とした。最新値が目標値に達している場合は「目標達成」とした。基準値が複数年の平均（例：2021–2023年）の場合は、その最終年を基準年とした。",
            "順位の目標：順位には成長率がなじまないため、目標までの進捗割合（基準順位から最新順位までの改善幅を、基準順位から目標順位までの幅で除したもの）を経過期間の割合で除した比 R を用い、同じ閾値で評価した。順位の維持を目標とするもの（上位5位以内を維持等）は、最新値が範囲内にあれば「目標達成」、範囲外であれば「悪化」とした。",
            "累計目標：期間内の累計値を、経過年数に応じて按分した目標値と比較した。",
            "目標値が未設定の指標（●●）：年平均成長率が1.5%以上を「順調」、0.5%以上1.5%未満を「一定の進捗」、0%以上0.5%未満を「進捗に遅れ」、0%未満を「悪化」とした。",
            "複数の系列を持つ指標は系列ごとに評価し、全系列が目標達成の場合に限り「目標達成」とし、それ以外は各系列の評価点の平均により総合評価とした。基準年より後の値がない場合や値が0以下の場合は「評価不能」とし、その理由を記した。",
        ];
        foreach (var p in paragraphs)
        {
            yield return new Paragraph(p, TextStyle.Body);
            yield return new Spacer(5);
        }
        yield return new PageBreak();
    }

    private static IEnumerable<Element> GroupChapter(ReportSnapshot s, IndicatorGroup group)
    {
        var number = Indicator.GroupNumber(group);
        yield return new Heading($"第{number}章 {Indicator.GroupName(group)}", Chapter);
        yield return new Spacer(8);
        var index = 0;
        foreach (var item in s.Indicators.Where(i => i.Definition.Group == group))
        {
            index++;
            foreach (var e in IndicatorSection(item, $"{number}-{index}")) yield return e;
        }
        yield return new PageBreak();
    }

    private static IEnumerable<Element> IndicatorSection(IndicatorSnapshot item, string number)
    {
        var i = item.Definition;
        yield return new Heading($"{number}　{i.Name}", Section);
        yield return new Spacer(4);
        yield return new Table(
            [new("項目", 1.2f), new("内容", 5f)],
            [
                ["目標", i.Target.Label],
                ["基準値", string.Join("\n", i.Baseline.Select(b => b.Label))],
                ["最新値", LatestText(item)],
                ["評価", $"{ProgressAssessor.Symbol(item.Progress.Status)} {ProgressAssessor.Label(item.Progress.Status)}：" +
                         string.Join(" ", item.Progress.Series.Select(sp => (item.Series.Count > 1 ? $"［{SeriesName(item, sp.SeriesId)}］" : "") + sp.Components.Reason))],
                ["担当", AgencyName(i.Agency)],
            ]);
        yield return new Spacer(6);
        yield return IndicatorChart.Create(item, 190);
        yield return new Spacer(4);
        var multi = item.Series.Count > 1;
        var valueRows = item.Series
            .SelectMany(sr => sr.Values.Select(v => (sr, v)))
            .OrderBy(x => x.v.Year).ThenBy(x => x.sr.SeriesId, StringComparer.Ordinal)
            .Select(x => (IReadOnlyList<string>)(multi
                ? [ValueFormat.PeriodWithEra(x.v.Year, i), x.sr.Name, ValueFormat.WithUnit(x.v.Value, i), x.v.Note ?? ""]
                : [ValueFormat.PeriodWithEra(x.v.Year, i), ValueFormat.WithUnit(x.v.Value, i), x.v.Note ?? ""]))
            .ToList();
        if (valueRows.Count > 0)
        {
            Column year = new(i.YearType == YearType.Fiscal ? "年度" : "年", 1.5f);
            Column value = new("値", 1.6f, Align.Right);
            Column note = new("備考", multi ? 3.6f : 5.1f);
            yield return new Table(multi ? [year, new("系列", 1.5f), value, note] : [year, value, note], valueRows);
        }
        else
        {
            yield return new Paragraph("提出された値はまだありません。", TextStyle.Body);
        }
        yield return new Spacer(3);
        yield return new Paragraph($"出典：{i.Source}", TextStyle.Small);
        yield return new Spacer(14);
    }

    private static string LatestText(IndicatorSnapshot item)
    {
        var parts = item.Series
            .Where(s => s.Latest is not null)
            .Select(s => (item.Series.Count > 1 ? s.Name + "\n" : "") + $"{ValueFormat.WithUnit(s.Latest!.Value, item.Definition)}\n（{ValueFormat.Period(s.Latest.Year, item.Definition)}）")
            .ToList();
        return parts.Count == 0 ? "未提出" : string.Join("\n", parts);
    }

    private static string SeriesName(IndicatorSnapshot item, string id) => item.Series.FirstOrDefault(s => s.SeriesId == id)?.Name ?? id;

    public static string AgencyName(string code) => code.ToUpperInvariant() switch
    {
        "MEXT" => "文部科学省",
        "CAO" => "内閣府",
        "METI" => "経済産業省",
        "JPO" => "特許庁",
        _ => code,
    };
}
