namespace Reporting.Features.Indicators;

/// <summary>
/// The eighteen indicators of the 7th Basic Plan's annex (別紙「第7期科学技術・イノベーション基本計画の指標と目標について」),
/// transcribed from the draft (答申素案). Names, baselines, targets and source footnotes follow the annex; obvious typing
/// errors in the draft's footnotes (クーラリベイト, ベンチマー킹) are corrected. Agency codes name the ministry that submits
/// the figure: MEXT (文部科学省, incl. NISTEP and JST), CAO (内閣府), METI (経済産業省), JPO (特許庁).
/// Seeded into Table Storage on start; an admin may later set or change a target, and correct a name, agency or source.
/// <para><c>Decimals</c> is the precision each figure is published with: a submission may carry no more decimal places,
/// and the report prints every value of the indicator with exactly that many. <c>Maximum</c> is the largest plausible
/// value (a percentage 100, a world rank 200, an amount far above any real figure); with the precision it bounds every
/// ratio the progress method computes.</para>
/// </summary>
public static class PlanCatalog
{
    /// <summary>The source of an indicator whose line in the annex names none; the report then credits the submitting agency.</summary>
    public const string NoSourceStated = "別紙に出典の記載なし";

    /// <summary>Raise when a definition below changes so existing catalogs are updated on start (targets set by an admin are kept).</summary>
    public const int Version = 3;

    public const string DefaultSeries = "total";

    private static readonly IReadOnlyList<Series> Single = [new(DefaultSeries, "全体")];

    /// <summary>
    /// The bodies that submit the annex's figures, and those that may take over an indicator (スマートシティ is デジタル庁's
    /// policy; R&amp;D statistics come from 総務省). Seeded on start; an administrator adds or renames agencies as data.
    /// </summary>
    public static IReadOnlyList<Agency> Agencies { get; } =
    [
        new("MEXT", "文部科学省"),
        new("CAO", "内閣府"),
        new("METI", "経済産業省"),
        new("JPO", "特許庁"),
        new("DIGITAL", "デジタル庁"),
        new("MIC", "総務省"),
        new("NISTEP", "科学技術・学術政策研究所"),
    ];

    private const string Nistep = "科学技術・学術政策研究所（NISTEP）";

    /// <summary>
    /// Top10%補正論文数 is a three-year moving average (科学技術指標: 2021–2023年平均). Like every multi-year value of the
    /// catalog it is labelled by the period's last year — the 2023–2025 average is submitted as 2025, the base period
    /// 2021–2023 is 2023 — the year it ends, as the annex labels its latest figures.
    /// </summary>
    private static readonly ReferencePeriod ThreeYearAverage = new(3, PeriodKind.Average, PeriodLabel.LastYear);

    /// <summary>全国イノベーション調査 asks about the three years before it (36%（2021–2023年）): labelled by the last of them.</summary>
    private static readonly ReferencePeriod ThreeYearSurvey = new(3, PeriodKind.Survey, PeriodLabel.LastYear);

    public static IReadOnlyList<Indicator> Indicators { get; } =
    [
        new("top10-papers-rank", 1, IndicatorGroup.Research,
            "Top10%補正論文数", "位", ValueKind.Rank, Direction.LowerIsBetter, YearType.Calendar, Single,
            [new(DefaultSeries, 13, 2021, 2023, "世界第13位（2021–2023年平均）")],
            new(TargetKind.Reach, 3, 2035, null, null, "英独と比肩する地位へ（世界第3位）（2035年）"),
            "MEXT",
            "科学技術指標（NISTEP）：Article, Reviewを分析対象とし、分数カウント法による。クラリベイト社 Web of Science XML (SCIE) を基に、" + Nistep + "が集計",
            Decimals: 0, Maximum: 200, Reference: ThreeYearAverage),

        new("research-time-share", 2, IndicatorGroup.Research,
            "第1・2グループ等の大学の研究時間（教員の職務活動のうち、研究活動が占める割合）", "%", ValueKind.Percentage, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, 32.2, 2022, 2022, "32.2%（2022年度）")],
            new(TargetKind.Reach, 50, 2030, null, null, "50%（2030年度）"),
            "MEXT",
            "令和5年度大学等におけるフルタイム換算データに関する調査（文部科学省）における日本の大学等の教員の研究時間割合。第1・2グループ等の大学：科学研究のベンチマーキング（NISTEP）における大学全体の論文数シェア1%以上の第1・2グループの大学並びに国際卓越研究大学制度及びJ-PEAKSを通じた支援を行っている我が国の研究大学群を牽引する大学",
            Decimals: 1, Maximum: 100),

        new("challenging-research-projects", 3, IndicatorGroup.Research,
            "若手を中心とした挑戦的な研究課題の件数", "件", ValueKind.Count, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, 6500, 2024, 2024, "6,500件程度（2024年度）")],
            new(TargetKind.Reach, 13000, 2030, null, null, "13,000件程度（2030年度）"),
            "MEXT",
            "科研費、創発、戦略創造のうちの関係研究課題数",
            Decimals: 0, Maximum: 1_000_000),

        new("researchers-abroad-long-term", 4, IndicatorGroup.Research,
            "日本人研究者の長期海外派遣数", "人", ValueKind.Count, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, 3623, 2023, 2023, "3,623人（2023年度）")],
            new(TargetKind.Cumulative, 30000, null, 2026, 2030, "累計3万人（2026～2030年度）"),
            "MEXT",
            "国際研究交流の概況（文部科学省）",
            Decimals: 0, Maximum: 1_000_000),

        new("international-coauthorship-rate", 5, IndicatorGroup.Research,
            "国際共著論文率", "%", ValueKind.Percentage, Direction.HigherIsBetter, YearType.Calendar, Single,
            [new(DefaultSeries, 36.5, 2023, 2023, "36.5%（2023年）")],
            new(TargetKind.Reach, 50, 2035, null, null, "50%（2035年）"),
            "MEXT",
            "科学技術指標（NISTEP）：Article, Reviewを分析対象とし、整数カウント法による。クラリベイト社 Web of Science XML (SCIE) を基に、" + Nistep + "が集計",
            Decimals: 1, Maximum: 100),

        new("doctoral-students-degrees", 6, IndicatorGroup.Research,
            "博士課程入学者数・博士号取得者数", "人", ValueKind.Count, Direction.HigherIsBetter, YearType.Fiscal,
            [new("enrolments", "博士課程入学者数"), new("degrees", "博士号取得者数")],
            [
                new("enrolments", 15744, 2024, 2024, "15,744人（2024年度）"),
                new("degrees", 15345, 2022, 2022, "15,345人（2022年度）"),
            ],
            new(TargetKind.Reach, 20000, 2030, null, null, "2万人（2030年度）"),
            "MEXT",
            "学校教員統計調査（文部科学省）",
            Decimals: 0, Maximum: 1_000_000),

        new("women-professors-share", 7, IndicatorGroup.Research,
            "大学の教授等（学長、副学長及び教授）に占める女性の割合", "%", ValueKind.Percentage, Direction.HigherIsBetter, YearType.Calendar, Single,
            [new(DefaultSeries, 19.6, 2024, 2024, "19.6%（2024年）")],
            new(TargetKind.Reach, 23, 2030, null, null, "23%（2030年）"),
            "MEXT",
            "学校教員統計調査（文部科学省）",
            Decimals: 1, Maximum: 100),

        new("technicians-per-researcher", 8, IndicatorGroup.Research,
            "第1・2グループ等の大学の研究者1人当たりの高度専門人材数（テクニシャン）", "人", ValueKind.Amount, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, 0.05, 2024, 2024, "0.05人（テクニシャン）（2024年度）")],
            new(TargetKind.Reach, 0.1, 2035, null, null, "0.1人（テクニシャン）（2035年度）"),
            "MEXT",
            "科学技術指標（NISTEP）：大学部門の研究者一人当たりの業務別研究支援者数のうち、テクニシャンの数",
            Decimals: 3, Maximum: 100),

        new("ai-papers-share-rank", 9, IndicatorGroup.Research,
            "総論文数に対する全分野でのAI関連論文数の割合", "位", ValueKind.Rank, Direction.LowerIsBetter, YearType.Calendar, Single,
            [new(DefaultSeries, 10, 2024, 2024, "世界第10位（7.4%・2024年）")],
            new(TargetKind.Reach, 5, 2030, null, null, "世界第5位（2030年度）※2024年は9.5%（米国）"),
            "MEXT",
            "Scopus・ScopusAPIに基づくデータであり、対象文献種としてarticle、review、conference paperを含む（2025年10月 JST研究開発戦略センター）。順位はAI関連論文数が多い主要国の中で、AI関連論文数割合の高い順に並べたもの",
            Decimals: 0, Maximum: 200),

        new("shared-equipment-rate", 10, IndicatorGroup.Research,
            "研究設備・機器の共用化率", "%", ValueKind.Percentage, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, 20, 2023, 2023, "20%程度（2023年度）")],
            new(TargetKind.Reach, 30, 2030, null, null, "30%（2030年度）"),
            "CAO",
            "大学・研究開発法人等の外部資金・寄付金獲得に関する調査（内閣府）",
            Decimals: 1, Maximum: 100),

        new("business-funded-higher-ed-rd-share", 11, IndicatorGroup.Industry,
            "高等教育機関の研究開発支出に占める国内企業拠出割合", "%", ValueKind.Percentage, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, 3.2, 2021, 2021, "3.2%（2021年度）")],
            new(TargetKind.Reach, 7, 2030, null, null, "7%（2030年度）"),
            "CAO",
            NoSourceStated,
            Decimals: 1, Maximum: 100),

        new("industry-joint-research-income", 12, IndicatorGroup.Industry,
            "大学等における民間企業からの共同研究受入額", "百万円", ValueKind.Amount, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, 89266, 2021, 2021, "89,266百万円（2021年度）、102,799百万円（2023年度・最新）")],
            new(TargetKind.Reach, 150000, 2030, null, null, "150,000百万円（2030年度）"),
            "MEXT",
            "大学等における産学連携等実施状況について（文部科学省）：調査対象は国公私立大学（短期大学を含む。）、国公私立高等専門学校、大学共同利用機関",
            Decimals: 0, Maximum: 100_000_000),

        new("smart-city-municipalities", 13, IndicatorGroup.Industry,
            "相互運用性が確保され、データ連携が可能なスマートシティサービスを行っている地方公共団体・地域の数", "団体・地域", ValueKind.Count, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, 80, 2025, 2025, "80（2025年度）")],
            new(TargetKind.Reach, 180, 2030, null, null, "180（2030年度）"),
            "CAO",
            NoSourceStated,
            Decimals: 0, Maximum: 10_000),

        new("iso-iec-secretariats-rank", 14, IndicatorGroup.Industry,
            "ISO/IECにおける幹事国引受数", "位", ValueKind.Rank, Direction.LowerIsBetter, YearType.Fiscal,
            [new("iso", "ISO"), new("iec", "IEC")],
            [
                new("iso", 4, 2024, 2024, "ISO：第4位（2024年度）"),
                new("iec", 3, 2024, 2024, "IEC：第3位（2024年度）"),
            ],
            new(TargetKind.KeepRank, 5, 2030, null, null, "上位5位以内を維持（2030年度）"),
            "METI",
            NoSourceStated,
            Decimals: 0, Maximum: 200),

        new("pph-partner-rank", 15, IndicatorGroup.Industry,
            "PPH締結国数（実施庁数）", "位", ValueKind.Rank, Direction.LowerIsBetter, YearType.Calendar, Single,
            [new(DefaultSeries, 1, 2024, 2024, "世界第1位（2024年）")],
            new(TargetKind.KeepRank, 1, 2030, null, null, "世界第1位（2030年）"),
            "JPO",
            "特許審査ハイウェイ（PPH）：ある国・地域の審査結果を活用し、他国・地域で簡単な手続で早期に特許審査を受けることができる枠組み。締結国・地域数の多さは他国・地域での早期の特許権利化の可能性を高める指標となる",
            Decimals: 0, Maximum: 200),

        new("innovating-firms-rate", 16, IndicatorGroup.Industry,
            "イノベーション実現企業率", "%", ValueKind.Percentage, Direction.HigherIsBetter, YearType.Calendar, Single,
            [new(DefaultSeries, 36, 2021, 2023, "36%（2021–2023年）")],
            new(TargetKind.Reach, 50, 2030, null, null, "50%（2030年）"),
            "MEXT",
            "全国イノベーション調査（NISTEP）：プロダクト・イノベーション又はビジネス・プロセス・イノベーションのいずれか1つでも実現したとする企業の全企業に対する割合",
            Decimals: 1, Maximum: 100, Reference: ThreeYearSurvey),

        new("government-rd-investment", 17, IndicatorGroup.Investment,
            "政府研究開発投資額", "兆円", ValueKind.Amount, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, null, 2021, 2025, "●●兆円（2021–2025年度合計）")],
            new(TargetKind.NotSet, null, null, 2026, 2030, "●●兆円（2026–2030年度合計）"),
            "CAO",
            NoSourceStated,
            Decimals: 2, Maximum: 1000),

        new("public-private-rd-investment", 18, IndicatorGroup.Investment,
            "官民研究開発投資額", "兆円", ValueKind.Amount, Direction.HigherIsBetter, YearType.Fiscal, Single,
            [new(DefaultSeries, null, 2021, 2025, "●●兆円")],
            new(TargetKind.NotSet, null, null, 2026, 2030, "●●兆円（2026–2030年度合計）"),
            "CAO",
            NoSourceStated,
            Decimals: 2, Maximum: 1000),
    ];
}
