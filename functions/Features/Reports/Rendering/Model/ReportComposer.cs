using System.Globalization;
using Reporting.Features.Completeness;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Infrastructure;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// The annual follow-up report's content, composed from small components over an immutable <see cref="ReportSnapshot"/>:
/// cover, contents, executive summary, one chapter per group of the annex, and appendices (method, completeness,
/// revisions). It follows the conventions of the 白書: numbered tables and figures (表1-1, 図1-1) with their title
/// above and 注）and 資料：lines below, each indicator a section of its own. It says what each thing is and nothing about
/// pages: <see cref="PdfFlow"/> lays it out, <see cref="HtmlEdition"/> writes it as HTML. No data is fetched here: the
/// snapshot (and its SHA-256) is all the document knows, so the same snapshot always gives the same document.
/// </summary>
public static class ReportComposer
{
    public const string Title = "第7期科学技術・イノベーション基本計画 フォローアップ報告書";

    /// <summary>The summary's table of every indicator, which each indicator's section links back to.</summary>
    private const string SummaryTable = "表序-2";

    private static string SectionAnchor(Indicator indicator) => $"indicator-{indicator.Id}";

    /// <summary>How many years the per-indicator tables look back: the completeness window.</summary>
    public const int Window = CompletenessCalculator.Window;

    /// <summary>What both editions say about themselves: the title with the fiscal year, and the subject.</summary>
    public static string TitleOf(ReportSnapshot snapshot) => $"{Title}（{JapanTime.FiscalYearLabel(snapshot.FiscalYear)}）";

    private const string Subject = "科学技術・イノベーション基本計画の指標と目標の進捗";

    public static ReportModel Compose(ReportSnapshot snapshot, string snapshotSha256)
    {
        var figures = ReportFigures.Of(snapshot);
        var chapters = new List<Chapter> { Summary(snapshot, figures) };
        chapters.AddRange(Enum.GetValues<IndicatorGroup>().Select(g => IndicatorChapter(snapshot, figures, g)));
        chapters.Add(Methodology(figures));
        chapters.Add(Completeness(snapshot));
        chapters.Add(Revisions(snapshot));
        var cover = new CoverPage(
            ["第7期科学技術・イノベーション基本計画", "フォローアップ報告書"],
            JapanTime.FiscalYearLabel(snapshot.FiscalYear),
            "― 基本計画の指標と目標（別紙）の進捗状況 ―",
            snapshot.Publisher,
            $"データ基準日：{JapanTime.EraDateLabel(snapshot.GeneratedAt)}",
            $"本報告書のデータ（スナップショット）の SHA-256：{snapshotSha256}");
        return new ReportModel(TitleOf(snapshot), snapshot.Publisher, Subject, snapshot.GeneratedAt, snapshotSha256, cover, "目次", chapters);
    }

    private static Chapter Summary(ReportSnapshot s, IReadOnlyList<IndicatorFigures> figures)
    {
        var assessed = s.Indicators.Count(i => i.Progress.Status != ProgressStatus.NotAssessable);
        var intro = new TextParagraph(
            $"本報告書は、第7期科学技術・イノベーション基本計画の別紙に掲げる{s.Indicators.Count}の指標について、" +
            $"{JapanTime.FiscalYearLabel(s.FiscalYear)}までに各府省から提出された値を基に、目標に向けた進捗を取りまとめたものである。" +
            $"{s.Indicators.Count}指標のうち{assessed}指標について進捗を評価した。評価の方法と各指標の計算結果は付録Aに、データの提出状況は付録Bに、値の改訂は付録Cに記す。");

        var statuses = Enum.GetValues<ProgressStatus>();
        var byGroup = new NumberedTable("表序-1", "観点別の評価状況（指標数）",
            new TableContent(
                [new("観点", 3.4f), .. statuses.Select(st => new Column($"{ProgressAssessor.Symbol(st)}\n{ProgressAssessor.Label(st)}", 1.1f, Align.Center, NoWrap: true)), new("計", 0.7f, Align.Center, NoWrap: true)],
                Enum.GetValues<IndicatorGroup>().Select(g =>
                    (IReadOnlyList<string>)[$"{Indicator.GroupNumber(g)}. {Indicator.GroupName(g)}",
                        .. statuses.Select(st => s.Indicators.Count(i => i.Definition.Group == g && i.Progress.Status == st).ToString(CultureInfo.InvariantCulture)),
                        s.Indicators.Count(i => i.Definition.Group == g).ToString(CultureInfo.InvariantCulture)]).ToList()),
            ["注）評価の区分と方法は付録Aに記す。"], KeepTogether: true);

        var list = new NumberedTable(SummaryTable, "指標一覧", new TableContent(
            [new("No.", 0.55f, Align.Center, NoWrap: true), new("指標", 3.6f), new("最新値", 2.15f), new("基準値", 2.1f), new("目標", 2.1f), new("評価", 1.8f, Align.Center, NoWrap: true)],
            figures.Select(f => (IReadOnlyList<string>)
            [
                f.Definition.Order.ToString(CultureInfo.InvariantCulture),
                f.Definition.Name,
                LatestText(f),
                string.Join("\n", f.Definition.Baseline.Select(b => b.Label)),
                f.Definition.Target.Label,
                StatusText(f),
            ]).ToList(),
            // Each indicator's name leads to its section.
            Links: figures.Select(f => (string?)SectionAnchor(f.Definition)).ToList(), LinkColumn: 1),
            [
                $"注）{ReportFigures.ProvisionalMark}は速報値（確報値ではない値）、{ReportFigures.FlaggedMark}は前年から大きく変動しており、提出府省に確認中の値（評価には用いている）。",
                "資料：各府省から提出された値を基に作成。",
            ],
            new SymbolLegend("評価記号", Enum.GetValues<ProgressStatus>().Select(st => (ProgressAssessor.Symbol(st), ProgressAssessor.Label(st))).ToList(),
                "複数の系列を持つ指標は、指標の評価の下に系列ごとの評価を示す。"));
        return new Chapter("summary", "概要", [intro, byGroup, list]);
    }

    private static Chapter IndicatorChapter(ReportSnapshot s, IReadOnlyList<IndicatorFigures> figures, IndicatorGroup group)
    {
        var number = Indicator.GroupNumber(group);
        var items = figures.Where(f => f.Definition.Group == group).ToList();
        var sections = new List<Content>();
        var tables = 0;
        var charts = 0;
        for (var n = 0; n < items.Count; n++)
        {
            sections.Add(IndicatorSection(s, items[n], $"{number}-{n + 1}　{items[n].Definition.Name}", $"表{number}-{++tables}", $"図{number}-{++charts}", $"表{number}-{++tables}"));
        }
        return new Chapter($"chapter-{number}", $"第{number}章　{Indicator.GroupName(group)}", sections);
    }

    /// <summary>
    /// One indicator: its heading, the table of its target and progress, its chart with notes and source, and its
    /// last five years with the agencies' notes — one block, on one page where it fits.
    /// </summary>
    private static Section IndicatorSection(ReportSnapshot s, IndicatorFigures f, string title, string infoTable, string chart, string yearsTable)
    {
        var i = f.Definition;
        var figure = IndicatorChart.Create(f.Item, 205);
        var chartNotes = i.Target.Kind switch
        {
            TargetKind.KeepRank => "注）実線は提出された値（白抜きの丸は速報値）、□は評価に用いた基準値、赤の破線は維持すべき順位を示す。",
            TargetKind.Cumulative => "注）実線は提出された値（白抜きの丸は速報値）、破線は累計目標の達成に必要な年平均の値を示す。",
            TargetKind.Reach => "注）実線は提出された値（白抜きの丸は速報値）、□は評価に用いた基準値、◆は目標値、破線は基準値から目標値に至るために必要な経路（順位は直線、その他は一定の成長率）を示す。",
            _ => "注）実線は提出された値（白抜きの丸は速報値）、□は評価に用いた基準値を示す。目標値は未設定である。",
        };
        return new Section(SectionAnchor(i), title,
        [
            new NumberedTable(infoTable, $"{i.Name}：目標と進捗", new TableContent(
                [new("項目", 1.2f, NoWrap: true), new("内容", 5f)],
                [
                    ["指標の区分", $"単位：{i.Unit}　{i.ValueBasisText}　{(i.Direction == Direction.HigherIsBetter ? "値が大きいほど良い" : "値（順位）が小さいほど良い")}"],
                    ["目標", i.Target.Label],
                    ["基準値", BaselineText(f)],
                    ["最新値", LatestText(f).Replace("\n（", "（")],
                    ["評価", $"{f.StatusText}：" + string.Join(" ", f.Series.Select(sp => (f.MultiSeries ? $"［{sp.SeriesName}］{sp.StatusText}：" : "") + sp.Components.Reason))],
                    ["担当府省", f.AgencyName],
                ]),
                ["注）評価の方法は付録Aに記す。"]),
            new NumberedFigure(chart, $"{i.Name}の推移", figure.Picture, figure.Description, figure.Data,
                [chartNotes, i.Source == PlanCatalog.NoSourceStated ? $"資料：{f.AgencyName}から提出された値を基に作成（計画の別紙に出典の記載なし）。" : $"資料：{i.Source}"]),
            new NumberedTable(yearsTable, $"{i.Name}：直近{Window}年の値", LastYearsTable(s, f.Item),
                ["注）（速報）は速報値、（第n版）は提出後に改訂された値の版を示す。改訂の内容は付録Cに記す。", $"資料：{f.AgencyName}から提出された値。"]),
            new BackLink($"{SummaryTable}（指標一覧）に戻る", Caption.AnchorOf(SummaryTable)),
        ], KeepTogether: true);
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
            if (c.BaseSource == BaseValueSource.Submitted && c.BaseValue is { } used && c.BaseYear is { } year && used != b?.Value)
            {
                label += $"（評価には{ValueFormat.Period(year, i)}の提出値 {i.FormatValue(used)} を基準値として用いた）";
            }
            return (f.MultiSeries && b is not null && !b.Label.Contains(sp.SeriesName, StringComparison.Ordinal) ? $"［{sp.SeriesName}］" : "") + label;
        }));
    }

    /// <summary>The last <see cref="Window"/> years up to the report's year, one column per series, the agencies' notes beside.</summary>
    private static TableContent LastYearsTable(ReportSnapshot s, IndicatorSnapshot item)
    {
        var i = item.Definition;
        var years = Enumerable.Range(s.FiscalYear - Window + 1, Window).ToList();
        var multi = item.Series.Count > 1;
        List<Column> columns = [new(i.Period.Years > 1 ? "期間" : i.YearType == YearType.Fiscal ? "年度" : "年", i.Period.Years > 1 ? 2.2f : 1.5f, NoWrap: true)];
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
                .. points.Select(p => p is null ? "—" : ReportFigures.ValueText(p, i)),
                string.Join("\n", notes),
            ];
        }).ToList();
        return new TableContent(columns, rows);
    }

    private static readonly MathNode Yt = new MathSub("y", "t");
    private static readonly MathNode Y0 = new MathSub("y", "0");
    private static readonly MathNode YT = new MathSub("y", "T");
    private static readonly MathNode T0 = new MathSub("t", "0");

    private static Chapter Methodology(IReadOnlyList<IndicatorFigures> figures)
    {
        var results = new NumberedTable("表A-1", "各指標・系列の評価の計算結果", new TableContent(
            [new("指標・系列", 2.4f), new("方法", 1.15f, NoWrap: true), new("基準", 1.2f, Align.Right, NoWrap: true), new("最新", 1.2f, Align.Right, NoWrap: true), new("目標", 1.2f, Align.Right, NoWrap: true),
             new("実績成長率\n（進捗割合）", 1.35f, Align.Right, NoWrap: true), new("必要成長率\n（経過割合）", 1.35f, Align.Right, NoWrap: true), new("R", 0.9f, Align.Right, NoWrap: true),
             new("スコア", 0.9f, Align.Right, NoWrap: true), new("評価", 1.25f, Align.Center, NoWrap: true)],
            figures.SelectMany(f => f.Series.Select(sp =>
            {
                var c = sp.Components;
                var i = f.Definition;
                var name = $"{i.Order}. {i.Name}" + (f.MultiSeries ? $"［{sp.SeriesName}］" : "")
                    + (i.Period.Years > 1 ? $"（{i.Period.Years}年{(i.Period.Kind == PeriodKind.Average ? "平均" : "間の調査")}）" : "");
                return (IReadOnlyList<string>)
                [
                    name,
                    ProgressAssessor.MethodName(c.Method),
                    Point(c.BaseValue, c.BaseYear, i) + (c.BaseSource == BaseValueSource.Submitted ? "\n提出値" : ""),
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
            Dense: true),
            ["注）基準・最新・目標の括弧内は、式の t0・t・T に用いた年（年度の指標は年度）。複数年の値（3年平均など）は期間の最終年で示す（2025は2023–2025年の値）。「提出値」は基準年の提出値（改訂後の値）を基準値としたもの。成長率と割合は%、R は小数第2位、スコアは小数第2位に丸めた値。"]);
        return new Chapter("appendix-method", "付録A　評価の方法と計算結果", [.. MethodText(), new Section(null, "各指標の計算結果", [results])]);
    }

    /// <summary>付録A's description of the method: what <see cref="ProgressAssessor"/> implements, with its sources and deliberate differences.</summary>
    public static IReadOnlyList<string> MethodParagraphs => MethodText().OfType<TextParagraph>().Select(p => p.Text).ToList();

    private static IEnumerable<Content> MethodText()
    {
        TextParagraph P(string text) => new(text);
        yield return P("各指標の進捗は、カナダ統計局（Statistics Canada）がSDGsの進捗を測るために開発し（欧州連合統計局（Eurostat）の進捗評価の方法に着想を得たもの）、Open SDG が実装している方法を、本計画の目標の種類に合わせて適用して評価した。");
        yield return P("値の期間：Top10%補正論文数（3年平均）やイノベーション実現企業率（3年間を対象とする調査）のように一つの値が複数年にわたる指標は、値をその期間の最終年で表す（2023–2025年平均は2025年の値として提出し、表では期間を、図の横軸では2025年を示す）。別紙の基準期間、各年に提出された値、目標のいずれにも同じ表し方を用いるため、t − t0 は同じ種類の期間どうしの隔たりとなる（2021–2023年平均と2023–2025年平均の隔たりは2年）。Open SDG は年の範囲（2021-2023）をその初年として扱う（sdg-build の ProgressMeasure）。表す年を初年とするか最終年とするかを全ての値で揃えれば、t − t0 も T − t0 も変わらない。一つの指標の中で両者を混ぜないことが要点である。");
        yield return P("基準年と基準値：基準年 t0 は、別紙が示す基準期間を表す年（単年の指標はその年、3年平均の指標は期間の最終年。2021–2023年平均なら2023年）とした。基準値 y0 は、基準年の値が提出されている場合はその最新の値（改訂後の値）とした。計画策定後に統計が改訂された場合に、改訂後の値で一貫して評価するためである。基準年の値が提出されていない場合は、別紙に掲げる値を用いた。基準期間が値と異なる長さである場合（年度ごとの値に対する5年度合計など）及び別紙に値のない指標（●●）は、基準期間の初年以降で最初に値が提出された年を基準年とし、それより前の値は用いない。目標年 T は、目標に示された年で終わる期間を表す年とした（3年平均の指標で「世界第3位（2035年）」は2033–2035年平均）。");
        yield return P("数値目標：基準値 y0（基準年 t0）から最新値 yt（年 t）までの年平均成長率（式(1)）と、目標値 yT（目標年 T）に到達するために必要な年平均成長率（式(2)）の比 R（式(3)。d は値が大きいほど良い指標で +1、小さいほど良い指標で −1）を求め、R ≥ 0.95 を「順調」、0.60 ≤ R < 0.95 を「一定の進捗」、0 ≤ R < 0.60 を「進捗に遅れ」、R < 0 を「悪化」とした。最新値が目標の方向に目標値に達している場合は、傾向によらず「目標達成」とした。");
        yield return new DisplayFormula(new MathRow(new MathSub("CAGR", "実績"), " = ", new MathSup(new MathFence(new MathFrac(Yt, Y0)), new MathRow("1/(t − ", T0, ")")), " − 1"), "(1)");
        yield return new DisplayFormula(new MathRow(new MathSub("CAGR", "必要"), " = ", new MathSup(new MathFence(new MathFrac(YT, Y0)), new MathRow("1/(T − ", T0, ")")), " − 1"), "(2)");
        yield return new DisplayFormula(new MathRow("R = ", new MathFrac(new MathRow("d · ", new MathSub("CAGR", "実績")), new MathRow("|", new MathSub("CAGR", "必要"), "|"))), "(3)");
        yield return P("順位の目標：順位には成長率がなじまないため、目標までの進捗割合 P と経過期間の割合 τ の比 R（式(4)）を用い、同じ閾値で評価した（本報告書独自の適用）。順位の維持を目標とするもの（上位5位以内を維持、世界第1位）は、達成か未達成かで判断し、系列ごとに最新値が範囲内であれば「目標達成」、範囲外であれば「悪化」とした。指標としては、範囲外の系列が一つでもあれば「悪化」（スコア −5）、全系列が範囲内の場合に限り「目標達成」とし、系列のスコアの平均はとらない。");
        yield return new DisplayFormula(new MathRow("P = ", new MathFrac(new MathRow(Y0, " − ", Yt), new MathRow(Y0, " − ", YT)), "　　τ = ", new MathFrac(new MathRow("t − ", T0), new MathRow("T − ", T0)), "　　R = ", new MathFrac("P", "τ")), "(4)");
        yield return P("累計目標（例：2026～2030年度の累計3万人）：期間内で値が提出された年の値の合計を、目標値を提出された年数分だけ按分した値（例：5か年のうち2か年分なら目標値の2/5）と比較した比 R（式(5)。n は値が提出された年数、N は期間の年数）により、同じ閾値で評価した。値が提出されていない年は0とはみなさず、累計にも按分にも含めず、未提出の年として明記した。提出された年の合計が目標値に達した場合は「目標達成」とした。");
        yield return new DisplayFormula(new MathRow("R = ", new MathFrac("提出された年の値の合計", new MathRow("目標値 × ", new MathFrac("n", "N")))), "(5)");
        yield return P("目標値が未設定の指標（●●）：基準年からの年平均成長率（式(1)。値が小さいほど良い指標は符号を反転）が1.5%以上を「順調」、0.5%以上1.5%未満を「一定の進捗」、0%以上0.5%未満を「進捗に遅れ」、0%未満を「悪化」とした。");
        yield return P("複数の系列を持つ指標：系列ごとに評価し、各系列をスコア（−5～+5。目標達成は+5、R は −0.6 で −5、0.6 で 0、1.3 で +5 となるよう線形に、成長率は −2% で −5、0% で −2.5、0.5% で 0、1.5% で +2.5、2% で +5 となるよう線形に換算。Open SDG と同じ換算）に換算して平均し、平均スコアが2.5以上を「順調」、0以上を「一定の進捗」、−2.5以上を「進捗に遅れ」、それ未満を「悪化」とした。全系列が目標達成の場合に限り「目標達成」とした（Open SDG は評価できた系列のみで判断するが、本報告書では値のない系列を達成とはみなさない）。");
        yield return P("数値の丸め：比 R は小数第2位、目標値が未設定の指標の成長率は0.1%単位、スコアは小数第2位に四捨五入し、丸めた値で判定した。本報告書に表示した数値と評価が常に対応するようにするためである。");
        yield return P("評価不能：提出された値がない場合、基準年より後の値がない場合、基準値が0で成長率を計算できない場合（Open SDG は0を0.001に置き換えて計算するが、本報告書では計算しない）、基準値が目標値と等しく必要な変化がない場合は「評価不能」とし、その理由を記した。");
        yield return P($"要確認の値：前年の値から大きく変動した値（外れ値の可能性があるもの）は、提出された値として評価に用いたうえで「{ReportFigures.FlaggedMark}」と表示し、付録Bに一覧を示した。");
    }

    private static Chapter Completeness(ReportSnapshot s)
    {
        var report = ReportFigures.Completeness(s);
        var intro = new TextParagraph(
            $"直近{CompletenessCalculator.Window}年（{report.FromYear}～{report.ToYear}）について、指標・系列ごとに値が提出された年、未提出の年、速報値の年、改訂された値、" +
            "前年から大きく変動した値（外れ値の可能性として確認を要するもの）を示す。暦年の指標は暦年、年度の指標は年度で数える。");

        var byAgency = new NumberedTable("表B-1", "府省別の提出状況", new TableContent(
                [new("担当府省", 1.8f), new("系列数", 1f, Align.Right, NoWrap: true), new("提出済（年数）", 1.3f, Align.Right, NoWrap: true), new("未提出（年数）", 1.3f, Align.Right, NoWrap: true),
                 new("提出率", 1f, Align.Right, NoWrap: true), new("速報値", 1f, Align.Right, NoWrap: true), new("改訂", 0.9f, Align.Right, NoWrap: true), new("要確認", 1f, Align.Right, NoWrap: true)],
                report.Agencies.Select(a => (IReadOnlyList<string>)
                [
                    s.AgencyName(a.Agency), N(a.Series), N(a.Submitted), N(a.Missing), Percent((double)a.Submitted / a.Expected), N(a.Provisional), N(a.Revised), N(a.Flagged),
                ]).ToList()),
            [$"注）提出率は、系列数×{CompletenessCalculator.Window}年に対する提出済みの年数の割合。"], KeepTogether: true);

        var bySeries = new NumberedTable("表B-2", "指標・系列別の提出状況", new TableContent(
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
            Dense: true),
            ["注）要確認は、前年の値から閾値（既定で2倍）を超えて変動した値。"]);
        return new Chapter("appendix-completeness", "付録B　データの提出状況",
            [intro, new Section(null, "府省別の状況", [byAgency]), new Section(null, "指標・系列別の状況", [bySeries])]);
    }

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static Chapter Revisions(ReportSnapshot s)
    {
        var sections = new List<Content>();
        var changes = s.CatalogChanges ?? [];
        if (changes.Count > 0)
        {
            var order = s.Indicators.ToDictionary(i => i.Definition.Id, i => i.Definition);
            var table = new NumberedTable("表C-1", "指標の定義の変更", new TableContent(
                [new("指標", 2f), new("項目", 0.9f, NoWrap: true), new("変更前", 2.3f), new("変更後", 2.3f), new("変更者", 1f), new("日時", 1.4f, NoWrap: true), new("理由", 2.3f)],
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
                Dense: true),
                ["注）日時は日本時間。"]);
            sections.Add(new Section(null, "指標の定義の変更",
                [new TextParagraph("計画の別紙から登録した指標の定義について、管理者が行った変更（目標、指標名、担当府省、出典）を示す。"), table]));
        }
        var chapter = (IReadOnlyList<Content> last) => new Chapter("appendix-revisions", "付録C　改訂履歴", [.. sections, new Section(null, "値の改訂", last)]);
        var entries = s.Indicators
            .SelectMany(item => item.Series.SelectMany(sr => sr.Values
                .Where(v => v.History is { Count: > 1 })
                .SelectMany(v => v.History!.Where(h => h.Revision > 1).Select(h => (item, sr, v.Year, h)))))
            .OrderBy(e => e.item.Definition.Order).ThenBy(e => e.sr.SeriesId, StringComparer.Ordinal).ThenBy(e => e.Year).ThenBy(e => e.h.Revision)
            .ToList();
        if (entries.Count == 0)
        {
            return chapter([new TextParagraph("本報告書の対象期間に、提出後に改訂された値はない。")]);
        }
        var revisions = new NumberedTable(changes.Count > 0 ? "表C-2" : "表C-1", "値の改訂", new TableContent(
            [new("指標・系列", 2.2f), new("年", 0.9f, NoWrap: true), new("版", 0.6f, Align.Right, NoWrap: true), new("旧値", 1.3f, Align.Right, NoWrap: true), new("新値", 1.3f, Align.Right, NoWrap: true), new("提出者", 1.2f), new("日時", 1.6f, NoWrap: true), new("備考・改訂の理由", 4.2f)],
            entries.Select(e => (IReadOnlyList<string>)
            [
                $"{e.item.Definition.Order}. {e.item.Definition.Name}" + (e.item.Series.Count > 1 ? $"［{e.sr.Name}］" : ""),
                e.Year.ToString(CultureInfo.InvariantCulture),
                e.h.Revision.ToString(CultureInfo.InvariantCulture),
                e.h.PreviousValue is { } old ? e.item.Definition.FormatValue(old) : "—",
                e.item.Definition.FormatValue(e.h.Value),
                e.h.SubmittedBy,
                JapanTime.ToJapan(e.h.SubmittedAt).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                string.Join("\n", new[] { e.h.Note, e.h.Reason is { Length: > 0 } r ? $"（理由）{r}" : null }.Where(t => !string.IsNullOrEmpty(t))),
            ]).ToList(),
            Dense: true),
            ["注）版は値ごとの改訂の順番（第1版が最初の提出）。日時は日本時間。"]);
        return chapter([new TextParagraph("提出後に改訂された値について、改訂ごとに旧値、新値、提出者及び日時（日本時間）を示す。報告書の数値は各値の最新版による。"), revisions]);
    }

    /// <summary>
    /// A figure of 表A-1 with the year the formulas use under it (t0, t, T): for a value of several years, the year that
    /// labels its period, as the name cell and the note say.
    /// </summary>
    private static string Point(double? value, int? year, Indicator indicator) =>
        value is { } v ? $"{indicator.FormatNumber(v)}\n({year})" : year is { } y ? $"—\n({y})" : "—";
    private static string Percent(double value) => (value * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

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
