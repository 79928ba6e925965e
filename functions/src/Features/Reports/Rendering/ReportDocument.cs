using System.Globalization;
using Reporting.Features.Completeness;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Infrastructure;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// The annual follow-up report, composed from small components over an immutable <see cref="ReportSnapshot"/>:
/// cover, contents, executive summary, one chapter per group of the annex, and appendices (method, completeness,
/// revisions). No data is fetched here: the snapshot (and its SHA-256) is all the document knows, so the same
/// snapshot always gives the same PDF.
/// </summary>
public sealed class ReportDocument(ReportFonts fonts)
{
    public const string Title = "第7期科学技術・イノベーション基本計画 フォローアップ報告書";

    /// <summary>How many years the per-indicator tables look back: the completeness window.</summary>
    public const int Window = CompletenessCalculator.Window;

    private static readonly TextStyle CoverTitle = new(24f, Bold: true, Color: 0xFF1F4E79, LineHeight: 1.6f);
    private static readonly TextStyle CoverYear = new(18f, Bold: true, LineHeight: 1.6f);
    private static readonly TextStyle CoverText = new(12f, LineHeight: 1.6f);
    private static readonly TextStyle Chapter = new(15f, Bold: true, Color: 0xFF1F4E79);
    private static readonly TextStyle Section = new(12f, Bold: true, Color: 0xFF1F4E79);
    private static readonly TextStyle Running = new(7.5f, Color: 0xFF666666);
    private static readonly TextStyle Tiny = new(6.5f, Color: 0xFF666666);

    public byte[] Render(ReportSnapshot snapshot, string snapshotSha256)
    {
        var page = PageGeometry.A4;
        var flow = Compose(snapshot, snapshotSha256).ToList();

        // 1. Layout, measured with the full face.
        IReadOnlyList<PageLayout> pages;
        using (var layout = new RenderContext(fonts.Full))
        {
            pages = Paginator.Paginate(layout, flow, page.ContentWidth, page.ContentHeight);
        }
        var pageOf = new Dictionary<Element, int>();
        for (var i = 0; i < pages.Count; i++)
        {
            foreach (var placed in pages[i].Items.Where(p => p.Element is Heading)) pageOf.TryAdd(placed.Element, i + 1);
        }

        // 2. Draw with a face holding only the characters this document uses.
        var header = $"{Title}（{JapanTime.FiscalYearLabel(snapshot.FiscalYear)}）";
        string Footer(int n) => $"{n} / {pages.Count}";
        var texts = flow.SelectMany(e => e.Texts).Append((header, false)).Concat(Enumerable.Range(1, pages.Count).Select(n => (Footer(n), false))).ToList();
        var ascii = Enumerable.Range(0x20, 0x5F).ToList(); // numbers and Latin letters wherever a chart puts them
        using var subset = fonts.Subset(
            texts.Where(t => !t.Item2).SelectMany(t => FontSubsetter.CodePoints(t.Item1)).Concat(ascii),
            texts.Where(t => t.Item2).SelectMany(t => FontSubsetter.CodePoints(t.Item1)));
        using var ctx = new RenderContext(subset.Face) { PageOf = pageOf };
        var pdf = PdfWriter.Write(ctx, pages, page,
            new PdfInfo($"{Title} {JapanTime.FiscalYearLabel(snapshot.FiscalYear)}", snapshot.Publisher,
                "科学技術・イノベーション基本計画の指標と目標の進捗", snapshot.GeneratedAt, snapshotSha256),
            (canvas, number, total) =>
            {
                if (number == 1) return; // the cover carries no running header
                using var rule = new SKPaint { Color = new SKColor(0xFFB0B0B0), StrokeWidth = 0.5f, IsStroke = true };
                ctx.DrawLine(canvas, header, Running, page.Margin, page.Margin, page.ContentWidth);
                canvas.DrawLine(page.Margin, page.Margin + page.HeaderHeight - 8, page.Width - page.Margin, page.Margin + page.HeaderHeight - 8, rule);
                ctx.DrawLine(canvas, Footer(number), Running, page.Margin, page.Height - page.Margin - 10, page.ContentWidth, Align.Center);
            });
        return pdf;
    }

    public IEnumerable<Element> Compose(ReportSnapshot snapshot, string snapshotSha256)
    {
        var summary = new Heading("概要", Chapter, "summary");
        var chapters = Enum.GetValues<IndicatorGroup>().Select(g => Chapter_(snapshot, g)).ToList();
        var method = new Heading("付録A　評価の方法と計算結果", Chapter, "appendix-method");
        var completeness = new Heading("付録B　データの提出状況", Chapter, "appendix-completeness");
        var revisions = new Heading("付録C　改訂履歴", Chapter, "appendix-revisions");

        IEnumerable<Element> Contents()
        {
            yield return new Heading("目次", Chapter);
            yield return new Spacer(8);
            yield return new TocEntry(summary, 0);
            foreach (var (heading, sections, _) in chapters)
            {
                yield return new TocEntry(heading, 0);
                foreach (var s in sections) yield return new TocEntry(s, 1);
            }
            yield return new TocEntry(method, 0);
            yield return new TocEntry(completeness, 0);
            yield return new TocEntry(revisions, 0);
            yield return new PageBreak();
        }

        return Cover(snapshot, snapshotSha256)
            .Concat(Contents())
            .Concat(Summary(snapshot, summary))
            .Concat(chapters.SelectMany(c => c.Body))
            .Concat(Methodology(snapshot, method))
            .Concat(Completeness(snapshot, completeness))
            .Concat(Revisions(snapshot, revisions));
    }

    private static IEnumerable<Element> Cover(ReportSnapshot s, string sha)
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
        yield return new Spacer(40);
        yield return new Paragraph($"本報告書のデータ（スナップショット）の SHA-256：{sha}", Tiny, Align.Center);
        yield return new PageBreak();
    }

    private static IEnumerable<Element> Summary(ReportSnapshot s, Heading heading)
    {
        yield return heading;
        yield return new Spacer(6);
        var assessed = s.Indicators.Count(i => i.Progress.Status != ProgressStatus.NotAssessable);
        yield return new Paragraph(
            $"本報告書は、第7期科学技術・イノベーション基本計画の別紙に掲げる{s.Indicators.Count}の指標について、" +
            $"{JapanTime.FiscalYearLabel(s.FiscalYear)}までに各府省から提出された値を基に、目標に向けた進捗を取りまとめたものである。" +
            $"{s.Indicators.Count}指標のうち{assessed}指標について進捗を評価した。評価の方法と各指標の計算結果は付録Aに、データの提出状況は付録Bに、値の改訂は付録Cに記す。",
            TextStyle.Body);
        yield return new Spacer(10);

        yield return new Heading("観点別の評価状況", Section);
        yield return new Spacer(4);
        var statuses = Enum.GetValues<ProgressStatus>();
        yield return new Table(
            [new("観点", 3.4f), .. statuses.Select(st => new Column($"{ProgressAssessor.Symbol(st)}\n{ProgressAssessor.Label(st)}", 1.1f, Align.Center, NoWrap: true)), new("計", 0.7f, Align.Center, NoWrap: true)],
            Enum.GetValues<IndicatorGroup>().Select(g =>
                (IReadOnlyList<string>)[$"{Indicator.GroupNumber(g)}. {Indicator.GroupName(g)}",
                    .. statuses.Select(st => s.Indicators.Count(i => i.Definition.Group == g && i.Progress.Status == st).ToString(CultureInfo.InvariantCulture)),
                    s.Indicators.Count(i => i.Definition.Group == g).ToString(CultureInfo.InvariantCulture)]).ToList());
        yield return new Spacer(12);

        yield return new Heading("指標一覧", Section);
        yield return new Spacer(4);
        yield return new Table(
            [new("No.", 0.55f, Align.Center, NoWrap: true), new("指標", 3.6f), new("最新値", 2.15f), new("基準値", 2.1f), new("目標", 2.1f), new("評価", 1.8f, Align.Center, NoWrap: true)],
            ReportFigures.Of(s).Select(f => (IReadOnlyList<string>)
            [
                f.Definition.Order.ToString(CultureInfo.InvariantCulture),
                f.Definition.Name,
                LatestText(f),
                string.Join("\n", f.Definition.Baseline.Select(b => b.Label)),
                f.Definition.Target.Label,
                StatusText(f),
            ]).ToList());
        yield return new Spacer(4);
        yield return new Paragraph("評価記号：◎ 目標達成　○ 順調　△ 一定の進捗　▲ 進捗に遅れ　× 悪化　− 評価不能。複数の系列を持つ指標は、指標の評価の下に系列ごとの評価を示す。" +
            $"{ReportFigures.ProvisionalMark}：速報値（確報値ではない値）。{ReportFigures.FlaggedMark}：前年から大きく変動しており、提出府省に確認中の値（評価には用いている）。", TextStyle.Small);
        yield return new PageBreak();
    }

    private static (Heading Heading, IReadOnlyList<Heading> Sections, IEnumerable<Element> Body) Chapter_(ReportSnapshot s, IndicatorGroup group)
    {
        var number = Indicator.GroupNumber(group);
        var heading = new Heading($"第{number}章　{Indicator.GroupName(group)}", Chapter, $"chapter-{number}");
        var items = s.Indicators.Where(i => i.Definition.Group == group).ToList();
        var sections = items.Select((item, n) => new Heading($"{number}-{n + 1}　{item.Definition.Name}", Section, $"indicator-{item.Definition.Id}")).ToList();

        IEnumerable<Element> Body()
        {
            yield return heading;
            yield return new Spacer(8);
            for (var n = 0; n < items.Count; n++)
            {
                foreach (var e in IndicatorSection(s, items[n], sections[n])) yield return e;
            }
            yield return new PageBreak();
        }
        return (heading, sections, Body());
    }

    private static IEnumerable<Element> IndicatorSection(ReportSnapshot s, IndicatorSnapshot item, Heading heading)
    {
        var i = item.Definition;
        var f = ReportFigures.Of(s with { Indicators = [item] })[0];
        yield return heading;
        yield return new Spacer(4);
        yield return new Table(
            [new("項目", 1.2f, NoWrap: true), new("内容", 5f)],
            [
                ["指標の区分", $"単位：{i.Unit}　{(i.YearType == YearType.Fiscal ? "年度" : "暦年")}の値　{(i.Direction == Direction.HigherIsBetter ? "値が大きいほど良い" : "値（順位）が小さいほど良い")}"],
                ["目標", i.Target.Label],
                ["基準値", BaselineText(f)],
                ["最新値", LatestText(f).Replace("\n（", "（")],
                ["評価", $"{f.StatusText}：" +
                         string.Join(" ", f.Series.Select(sp => (f.MultiSeries ? $"［{sp.SeriesName}］{sp.StatusText}：" : "") + sp.Components.Reason))],
                ["担当府省", f.AgencyName],
            ]);
        yield return new Spacer(6);
        yield return IndicatorChart.Create(item, 190);
        yield return new Spacer(4);
        yield return LastYearsTable(s, item);
        yield return new Spacer(3);
        yield return new Paragraph($"出典：{i.Source}", TextStyle.Small);
        yield return new Spacer(14);
    }

    /// <summary>
    /// The plan's baseline and, where the assessment starts from a different figure (the base year's value as submitted
    /// and since revised, or the first value of a ●● base period), that figure: the page never shows one baseline and
    /// computes with another.
    /// </summary>
    private static string BaselineText(IndicatorFigures f)
    {
        var i = f.Definition;
        return string.Join("\n", f.Series.Select(sp =>
        {
            var b = i.BaselineFor(sp.SeriesId);
            var c = sp.Components;
            var label = b?.Label ?? "—";
            if (c.BaseSource == Progress.BaseValueSource.Submitted && c.BaseValue is { } used && c.BaseYear is { } year && used != b?.Value)
            {
                label += $"（評価には{ValueFormat.Period(year, i)}の提出値 {i.FormatValue(used)} を基準値として用いた）";
            }
            return (f.MultiSeries && b is not null && !b.Label.Contains(sp.SeriesName, StringComparison.Ordinal) ? $"［{sp.SeriesName}］" : "") + label;
        }));
    }

    /// <summary>The last <see cref="Window"/> years up to the report's year, one column per series, the agencies' notes beside.</summary>
    private static Table LastYearsTable(ReportSnapshot s, IndicatorSnapshot item)
    {
        var i = item.Definition;
        var years = Enumerable.Range(s.FiscalYear - Window + 1, Window).ToList();
        var multi = item.Series.Count > 1;
        List<Column> columns = [new(i.YearType == YearType.Fiscal ? "年度" : "年", 1.5f, NoWrap: true)];
        columns.AddRange(item.Series.Select(sr => new Column(multi ? sr.Name : "値", 1.6f, Align.Right, NoWrap: true)));
        columns.Add(new Column("府省からの備考", multi ? 3.3f : 4.9f));
        var rows = years.Select(y =>
        {
            var points = item.Series.Select(sr => sr.Values.FirstOrDefault(v => v.Year == y)).ToList();
            var notes = item.Series.Zip(points)
                .Where(p => !string.IsNullOrWhiteSpace(p.Second?.Note))
                .Select(p => (multi ? $"［{p.First.Name}］" : "") + p.Second!.Note + (p.Second.Revision > 1 ? $"（第{p.Second.Revision}版）" : ""));
            return (IReadOnlyList<string>)
            [
                ValueFormat.PeriodWithEra(y, i),
                .. points.Select(p => p is null ? "—" : ValueFormat.WithUnit(p.Value, i) + (p.Status == Submissions.ValueStatus.Provisional ? "（速報）" : "")),
                string.Join("\n", notes),
            ];
        }).ToList();
        return new Table(columns, rows);
    }

    private static IEnumerable<Element> Methodology(ReportSnapshot s, Heading heading)
    {
        yield return heading;
        yield return new Spacer(6);
        foreach (var p in MethodParagraphs)
        {
            yield return new Paragraph(p, TextStyle.Body);
            yield return new Spacer(5);
        }
        yield return new Spacer(6);
        yield return new Heading("各指標の計算結果", Section);
        yield return new Spacer(4);
        yield return new Table(
            [new("指標・系列", 2.4f), new("方法", 1.15f, NoWrap: true), new("基準", 1.2f, Align.Right, NoWrap: true), new("最新", 1.2f, Align.Right, NoWrap: true), new("目標", 1.2f, Align.Right, NoWrap: true),
             new("実績成長率\n（進捗割合）", 1.35f, Align.Right, NoWrap: true), new("必要成長率\n（経過割合）", 1.35f, Align.Right, NoWrap: true), new("R", 0.9f, Align.Right, NoWrap: true),
             new("スコア", 0.9f, Align.Right, NoWrap: true), new("評価", 1.25f, Align.Center, NoWrap: true)],
            ReportFigures.Of(s).SelectMany(f => f.Series.Select(sp =>
            {
                var c = sp.Components;
                var i = f.Definition;
                var name = $"{i.Order}. {i.Name}" + (f.MultiSeries ? $"［{sp.SeriesName}］" : "");
                return (IReadOnlyList<string>)
                [
                    name,
                    ProgressAssessor.MethodName(c.Method),
                    Point(c.BaseValue, c.BaseYear, i) + (c.BaseSource == Progress.BaseValueSource.Submitted ? "\n提出値" : ""),
                    c.CumulativeTotal is { } total ? $"累計{i.FormatNumber(total)}\n({c.ReportedYears?.Count ?? 0}か年)" : Point(c.CurrentValue, c.CurrentYear, i),
                    c.ProRataTarget is { } share ? $"按分{i.FormatNumber(share)}" : Point(c.TargetValue, c.TargetYear, i),
                    c.ProgressShare is { } ps ? Percent1(ps) : c.ObservedGrowth is { } g ? Percent1(g, signed: true) : "—",
                    c.ElapsedShare is { } es ? Percent1(es) : c.RequiredGrowth is { } r ? Percent1(r, signed: true) : "—",
                    c.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) : "—",
                    sp.ScoreText,
                    sp.StatusText,
                ];
            }).Concat(f.MultiSeries
                ? [(IReadOnlyList<string>)[$"{f.Definition.Order}. {f.Definition.Name}（指標全体）", "系列の総合", "", "", "", "", "", "", f.ScoreText, f.StatusText]]
                : [])).ToList(),
            new TextStyle(7.5f, LineHeight: 1.3f), new TextStyle(7.5f, Bold: true, LineHeight: 1.3f));
        yield return new PageBreak();
    }

    /// <summary>付録A's description of the method: what <see cref="ProgressAssessor"/> implements, with its sources and deliberate differences.</summary>
    public static readonly IReadOnlyList<string> MethodParagraphs =
    [
        "各指標の進捗は、カナダ統計局（Statistics Canada）がSDGsの進捗を測るために開発し（欧州連合統計局（Eurostat）の進捗評価の方法に着想を得たもの）、Open SDG が実装している方法を、本計画の目標の種類に合わせて適用して評価した。",
        "基準年と基準値：基準年 t0 は、別紙が示す基準期間の初年とした。2021–2023年平均のように複数年にわたる基準期間は、Open SDG が年の範囲をその初年として扱うのに倣い、初年を基準年とする。基準値 y0 は、基準年の値が提出されている場合はその最新の値（改訂後の値）とした。計画策定後に統計が改訂された場合に、改訂後の値で一貫して評価するためである。基準年の値が提出されていない場合、及び基準期間が複数年の平均又は合計である場合は、別紙に掲げる値を用いた。別紙に値のない指標（●●）は、基準期間の初年以降で最初に値が提出された年を基準年とし、それより前の値は用いない。",
        "数値目標：基準値 y0（基準年 t0）から最新値 yt（年 t）までの年平均成長率 CAGR実績 = (yt / y0)^(1/(t − t0)) − 1 と、目標値 yT（目標年 T）に到達するために必要な年平均成長率 CAGR必要 = (yT / y0)^(1/(T − t0)) − 1 の比 R = d・CAGR実績 / |CAGR必要|（d は値が大きいほど良い指標で +1、小さいほど良い指標で −1）を求め、R ≥ 0.95 を「順調」、0.60 ≤ R < 0.95 を「一定の進捗」、0 ≤ R < 0.60 を「進捗に遅れ」、R < 0 を「悪化」とした。最新値が目標の方向に目標値に達している場合は、傾向によらず「目標達成」とした。",
        "順位の目標：順位には成長率がなじまないため、目標までの進捗割合 P = (y0 − yt) / (y0 − yT) を経過期間の割合 τ = (t − t0) / (T − t0) で除した比 R = P / τ を用い、同じ閾値で評価した（本報告書独自の適用）。順位の維持を目標とするもの（上位5位以内を維持、世界第1位）は、達成か未達成かで判断し、系列ごとに最新値が範囲内であれば「目標達成」、範囲外であれば「悪化」とした。指標としては、範囲外の系列が一つでもあれば「悪化」（スコア −5）、全系列が範囲内の場合に限り「目標達成」とし、系列のスコアの平均はとらない。",
        "累計目標（例：2026～2030年度の累計3万人）：期間内で値が提出された年の値の合計を、目標値を提出された年数分だけ按分した値（例：5か年のうち2か年分なら目標値の2/5）と比較した比 R により、同じ閾値で評価した。値が提出されていない年は0とはみなさず、累計にも按分にも含めず、未提出の年として明記した。提出された年の合計が目標値に達した場合は「目標達成」とした。",
        "目標値が未設定の指標（●●）：基準年からの年平均成長率（値が小さいほど良い指標は符号を反転）が1.5%以上を「順調」、0.5%以上1.5%未満を「一定の進捗」、0%以上0.5%未満を「進捗に遅れ」、0%未満を「悪化」とした。",
        "複数の系列を持つ指標：系列ごとに評価し、各系列をスコア（−5～+5。目標達成は+5、R は −0.6 で −5、0.6 で 0、1.3 で +5 となるよう線形に、成長率は −2% で −5、0% で −2.5、0.5% で 0、1.5% で +2.5、2% で +5 となるよう線形に換算。Open SDG と同じ換算）に換算して平均し、平均スコアが2.5以上を「順調」、0以上を「一定の進捗」、−2.5以上を「進捗に遅れ」、それ未満を「悪化」とした。全系列が目標達成の場合に限り「目標達成」とした（Open SDG は評価できた系列のみで判断するが、本報告書では値のない系列を達成とはみなさない）。",
        "数値の丸め：比 R は小数第2位、目標値が未設定の指標の成長率は0.1%単位、スコアは小数第2位に四捨五入し、丸めた値で判定した。本報告書に表示した数値と評価が常に対応するようにするためである。",
        "評価不能：提出された値がない場合、基準年より後の値がない場合、基準値が0で成長率を計算できない場合（Open SDG は0を0.001に置き換えて計算するが、本報告書では計算しない）、基準値が目標値と等しく必要な変化がない場合は「評価不能」とし、その理由を記した。",
        $"要確認の値：前年の値から大きく変動した値（外れ値の可能性があるもの）は、提出された値として評価に用いたうえで「{ReportFigures.FlaggedMark}」と表示し、付録Bに一覧を示した。",
    ];

    private static IEnumerable<Element> Completeness(ReportSnapshot s, Heading heading)
    {
        var report = CompletenessCalculator.Compute(s.FiscalYear, s.Indicators.Select(i => (i.Definition,
            (IReadOnlyList<ValueFact>)i.Series.SelectMany(sr => sr.Values.Select(v => new ValueFact(sr.SeriesId, v.Year, v.Value, v.Revision, v.Status, v.Flagged, v.FlagReason))).ToList())));
        yield return heading;
        yield return new Spacer(6);
        yield return new Paragraph(
            $"直近{CompletenessCalculator.Window}年（{report.FromYear}～{report.ToYear}）について、指標・系列ごとに値が提出された年、未提出の年、速報値の年、改訂された値、" +
            "前年から大きく変動した値（外れ値の可能性として確認を要するもの）を示す。暦年の指標は暦年、年度の指標は年度で数える。", TextStyle.Body);
        yield return new Spacer(8);

        yield return new Heading("府省別の状況", Section);
        yield return new Spacer(4);
        yield return new Table(
            [new("担当府省", 1.8f), new("系列数", 1f, Align.Right, NoWrap: true), new("提出済（年数）", 1.3f, Align.Right, NoWrap: true), new("未提出（年数）", 1.3f, Align.Right, NoWrap: true),
             new("提出率", 1f, Align.Right, NoWrap: true), new("速報値", 1f, Align.Right, NoWrap: true), new("改訂", 0.9f, Align.Right, NoWrap: true), new("要確認", 1f, Align.Right, NoWrap: true)],
            report.Agencies.Select(a => (IReadOnlyList<string>)
            [
                s.AgencyName(a.Agency), N(a.Series), N(a.Submitted), N(a.Missing), Percent((double)a.Submitted / a.Expected), N(a.Provisional), N(a.Revised), N(a.Flagged),
            ]).ToList());
        yield return new Spacer(10);

        yield return new Heading("指標・系列別の状況", Section);
        yield return new Spacer(4);
        yield return new Table(
            [new("指標・系列", 3.3f), new("担当", 1f, NoWrap: true), new("提出済", 0.8f, Align.Right, NoWrap: true), new("未提出の年", 1.5f), new("速報値の年", 1.3f), new("改訂された値", 1.6f), new("要確認", 1.3f)],
            report.Indicators.SelectMany(i => i.Series.Select(sr => (IReadOnlyList<string>)
            [
                $"{i.Order}. {i.Name}" + (i.Series.Count > 1 ? $"［{sr.SeriesName}］" : ""),
                s.AgencyName(i.Agency),
                $"{sr.Submitted.Count}/{CompletenessCalculator.Window}",
                sr.Missing.Count == 0 ? "なし" : string.Join("、", sr.Missing.Select(N)),
                sr.Provisional.Count == 0 ? "なし" : string.Join("、", sr.Provisional.Select(N)),
                sr.Revised.Count == 0 ? "なし" : string.Join("、", sr.Revised.Select(v => $"{v.Year}（第{v.Revision}版）")),
                sr.Flagged.Count == 0 ? "なし" : string.Join("、", sr.Flagged.Select(f => N(f.Year))),
            ])).ToList(),
            new TextStyle(7.5f, LineHeight: 1.3f), new TextStyle(7.5f, Bold: true, LineHeight: 1.3f));
        yield return new PageBreak();
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<Element> Revisions(ReportSnapshot s, Heading heading)
    {
        yield return heading;
        yield return new Spacer(6);
        var entries = s.Indicators
            .SelectMany(item => item.Series.SelectMany(sr => sr.Values
                .Where(v => v.History is { Count: > 1 })
                .SelectMany(v => v.History!.Where(h => h.Revision > 1).Select(h => (item, sr, v.Year, h)))))
            .OrderBy(e => e.item.Definition.Order).ThenBy(e => e.sr.SeriesId, StringComparer.Ordinal).ThenBy(e => e.Year).ThenBy(e => e.h.Revision)
            .ToList();
        var changes = s.CatalogChanges ?? [];
        if (changes.Count > 0)
        {
            yield return new Heading("指標の定義の変更", Section);
            yield return new Spacer(4);
            yield return new Paragraph("計画の別紙から登録した指標の定義について、管理者が行った変更（目標、指標名、担当府省、出典）を示す。", TextStyle.Body);
            yield return new Spacer(4);
            var order = s.Indicators.ToDictionary(i => i.Definition.Id, i => i.Definition);
            yield return new Table(
                [new("指標", 2.6f), new("項目", 0.9f, NoWrap: true), new("変更前", 2f), new("変更後", 2f), new("変更者", 1.3f), new("日時", 1.4f, NoWrap: true), new("理由", 2f)],
                changes.Select(c => (IReadOnlyList<string>)
                [
                    order.TryGetValue(c.IndicatorId, out var d) ? $"{d.Order}. {d.Name}" : c.IndicatorId,
                    c.Field switch { CatalogField.Name => "指標名", CatalogField.Agency => "担当府省", CatalogField.Source => "出典", _ => "目標" },
                    c.Field == CatalogField.Agency && c.OldValue is { } oldAgency ? s.AgencyName(oldAgency) : c.OldValue ?? "—",
                    c.Field == CatalogField.Agency ? s.AgencyName(c.NewValue) : c.NewValue,
                    c.ChangedBy,
                    JapanTime.ToJapan(c.ChangedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    c.Reason ?? "",
                ]).ToList(),
                new TextStyle(7.5f, LineHeight: 1.3f), new TextStyle(7.5f, Bold: true, LineHeight: 1.3f));
            yield return new Spacer(10);
            yield return new Heading("値の改訂", Section);
            yield return new Spacer(4);
        }
        if (entries.Count == 0)
        {
            yield return new Paragraph("本報告書の対象期間に、提出後に改訂された値はない。", TextStyle.Body);
            yield break;
        }
        yield return new Paragraph("提出後に改訂された値について、改訂ごとに旧値、新値、提出者及び日時（日本時間）を示す。報告書の数値は各値の最新版による。", TextStyle.Body);
        yield return new Spacer(6);
        yield return new Table(
            [new("指標・系列", 3.2f), new("年", 0.9f, NoWrap: true), new("版", 0.6f, Align.Right, NoWrap: true), new("旧値", 1.3f, Align.Right, NoWrap: true), new("新値", 1.3f, Align.Right, NoWrap: true), new("提出者", 1.6f), new("日時", 1.6f, NoWrap: true), new("備考", 1.8f)],
            entries.Select(e => (IReadOnlyList<string>)
            [
                $"{e.item.Definition.Order}. {e.item.Definition.Name}" + (e.item.Series.Count > 1 ? $"［{e.sr.Name}］" : ""),
                e.Year.ToString(CultureInfo.InvariantCulture),
                e.h.Revision.ToString(CultureInfo.InvariantCulture),
                e.h.PreviousValue is { } old ? ValueFormat.WithUnit(old, e.item.Definition) : "—",
                ValueFormat.WithUnit(e.h.Value, e.item.Definition),
                e.h.SubmittedBy,
                JapanTime.ToJapan(e.h.SubmittedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                e.h.Note ?? "",
            ]).ToList(),
            new TextStyle(7.5f, LineHeight: 1.3f), new TextStyle(7.5f, Bold: true, LineHeight: 1.3f));
    }

    private static string Point(double? value, int? year, Indicator indicator) =>
        value is { } v ? $"{indicator.FormatNumber(v)}\n({year})" : year is { } y ? $"—\n({y})" : "—";

    private static string Percent(double value, bool signed = false) =>
        (value * 100).ToString(signed ? "+0.0;-0.0;0.0" : "0", CultureInfo.InvariantCulture) + "%";

    private static string Percent1(double value, bool signed = false) =>
        (value * 100).ToString(signed ? "+0.0;-0.0;0.0" : "0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Latest value of each series with its period, marked 速報 or 要確認 where it is.</summary>
    private static string LatestText(IndicatorFigures f)
    {
        var parts = f.Series.Where(sp => sp.Latest is not null)
            .Select(sp => (f.MultiSeries ? sp.SeriesName + "\n" : "") + sp.LatestText + $"\n（{sp.LatestPeriod}）")
            .ToList();
        return parts.Count == 0 ? "未提出" : string.Join("\n", parts);
    }

    /// <summary>The indicator's status and, for several series, each series' own beneath it.</summary>
    private static string StatusText(IndicatorFigures f) =>
        f.MultiSeries ? f.StatusText + "\n" + string.Join("\n", f.Series.Select(sp => $"［{sp.SeriesName}］{ProgressAssessor.Symbol(sp.Status)}")) : f.StatusText;
}
