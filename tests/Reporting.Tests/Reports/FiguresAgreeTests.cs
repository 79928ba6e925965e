using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>
/// One source of truth: for one generated report, the progress API, the PDF (summary table, chapter pages, 付録A) and
/// both companions (CSV, JSON) state the same status and score for every indicator and every series, the same latest
/// values, and mark the same values as 速報 and 要確認. The data has the cases that used to disagree: a rank-keeping
/// indicator with one series outside its bound, a provisional value, a flagged outlier, a revised base year.
/// </summary>
public sealed partial class FiguresAgreeTests(FiguresAgreeTests.WithReport data) : IClassFixture<FiguresAgreeTests.WithReport>
{
    public sealed class WithReport : IAsyncLifetime
    {
        public ReportingApp App { get; } = new();
        public JsonElement Progress { get; private set; }
        public JsonElement Summary { get; private set; }
        public List<Dictionary<string, string>> Csv { get; private set; } = [];
        public string[] Pages { get; private set; } = [];

        public async Task InitializeAsync()
        {
            await SampleData.SubmitAsync(App);
            var mext = App.AsAgency("MEXT");
            // 速報: provisional; 要確認: 250,000 after 98,370 the year before (2.5×, over the 2× threshold).
            await mext.PutAsync("/api/indicators/women-professors-share/values/2025", Body("""{"value": 20.4, "status": "provisional"}"""));
            await mext.PutAsync("/api/indicators/industry-joint-research-income/values/2025", Body("""{"value": 250000}"""));
            var staff = App.AsStaff();
            Assert.Equal(HttpStatusCode.Created, (await staff.PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);
            Progress = await JsonOf(await staff.GetAsync("/api/progress/2025"));
            Summary = await JsonOf(await staff.GetAsync("/api/reports/2025?format=json"));
            Csv = ParseCsv(Encoding.UTF8.GetString((await (await staff.GetAsync("/api/reports/2025?format=csv")).Content.ReadAsByteArrayAsync())[3..]));
            var pdf = await (await staff.GetAsync("/api/reports/2025")).Content.ReadAsByteArrayAsync();
            Pages = Pdf.Text(pdf).Split('\f');
            if (Environment.GetEnvironmentVariable("REPORTING_SAVE_PDF_DIR") is { Length: > 0 } dir)
            {
                Directory.CreateDirectory(dir);
                await File.WriteAllBytesAsync(System.IO.Path.Combine(dir, "report-FY2025-figures.pdf"), pdf);
            }
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    private static List<Dictionary<string, string>> ParseCsv(string text)
    {
        var records = new List<List<string>>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n') { fields.Add(field.ToString()); field.Clear(); records.Add(fields); fields = []; }
            else field.Append(c);
        }
        var header = records[0];
        return records.Skip(1).Select(r => header.Select((h, n) => (h, r[n])).ToDictionary(p => p.h, p => p.Item2)).ToList();
    }

    private IEnumerable<JsonElement> Rows => data.Summary.EnumerateArray();

    private static string Label(string status) => status switch
    {
        "achieved" => "目標達成", "substantial" => "順調", "moderate" => "一定の進捗", "limited" => "進捗に遅れ", "deterioration" => "悪化", _ => "評価不能",
    };

    private static string Symbol(string status) => status switch
    {
        "achieved" => "◎", "substantial" => "○", "moderate" => "△", "limited" => "▲", "deterioration" => "×", _ => "−",
    };

    private static string Score(JsonElement score) => score.ValueKind == JsonValueKind.Number ? score.GetDouble().ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "—";

    private static JsonElement Prop(JsonElement e, string name) => e.TryGetProperty(name, out var p) ? p : default;

    private string Section(string from, string to)
    {
        var text = string.Join("\n", data.Pages.Skip(2)); // after the cover and the contents, which list the headings too
        var start = text.IndexOf(from, StringComparison.Ordinal);
        var end = text.IndexOf(to, start + from.Length, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"sections {from} … {to} not found");
        return text[start..end];
    }

    [GeneratedRegex(@"([◎○△▲×−])\s*(目標達成|順調|一定の進捗|進捗に遅れ|悪化|評価不能)")]
    private static partial Regex StatusPattern();

    [GeneratedRegex(@"(?<![\d.])(-?\d+\.\d\d|—)\s+([◎○△▲×−])\s*(目標達成|順調|一定の進捗|進捗に遅れ|悪化|評価不能)")]
    private static partial Regex ScoreAndStatusPattern();

    [Fact]
    public void TheJsonCompanion_HasTheApisStatusAndScore_ForEveryIndicatorAndEverySeries()
    {
        foreach (var indicator in data.Progress.EnumerateArray())
        {
            var id = indicator.GetProperty("indicatorId").GetString();
            var rows = Rows.Where(r => r.GetProperty("indicatorId").GetString() == id).ToList();
            Assert.Equal(indicator.GetProperty("series").GetArrayLength(), rows.Count);
            foreach (var series in indicator.GetProperty("series").EnumerateArray())
            {
                var row = rows.Single(r => r.GetProperty("seriesId").GetString() == series.GetProperty("seriesId").GetString());
                Assert.Equal(indicator.GetProperty("status").GetString(), row.GetProperty("status").GetString());
                Assert.Equal(Score(Prop(indicator, "score")), Score(Prop(row, "score")));
                Assert.Equal(series.GetProperty("status").GetString(), row.GetProperty("seriesStatus").GetString());
                Assert.Equal(Score(Prop(series.GetProperty("components"), "score")), Score(Prop(row, "seriesScore")));
            }
        }
        // The case that disagreed: IEC is outside its bound, and says so itself (not its indicator's "moderate 0.00").
        var iec = Rows.Single(r => r.GetProperty("seriesId").GetString() == "iec");
        Assert.Equal(("deterioration", -5.0), (iec.GetProperty("seriesStatus").GetString(), iec.GetProperty("seriesScore").GetDouble()));
        Assert.Equal("deterioration", iec.GetProperty("status").GetString());
    }

    [Fact]
    public void TheCsvCompanion_SaysWhatTheJsonSays_RowByRow()
    {
        var rows = Rows.ToList();
        Assert.Equal(rows.Count, data.Csv.Count);
        for (var n = 0; n < rows.Count; n++)
        {
            var (json, csv) = (rows[n], data.Csv[n]);
            Assert.Equal(json.GetProperty("seriesId").GetString(), csv["系列ID"]);
            Assert.Equal(json.GetProperty("latestValueText").GetString(), csv["最新値（表示）"]);
            Assert.Equal(Label(json.GetProperty("seriesStatus").GetString()!), csv["系列の評価"]);
            Assert.Equal(Score(Prop(json, "seriesScore")).Replace("—", ""), csv["系列のスコア"]);
            Assert.Equal(Label(json.GetProperty("status").GetString()!), csv["指標の評価"]);
            Assert.Equal(Score(Prop(json, "score")).Replace("—", ""), csv["指標のスコア"]);
            Assert.Equal(json.GetProperty("provisional").GetBoolean() ? "速報" : "", csv["速報値"]);
            Assert.Equal(json.GetProperty("flagged").GetBoolean() ? "要確認" : "", csv["要確認"]);
            Assert.Equal(json.GetProperty("yearType").GetString() == "fiscal" ? "年度" : "年", csv["年の区分"]);
        }
    }

    [Fact]
    public void ProvisionalAndFlaggedValues_AreMarked_InEveryOutput()
    {
        var women = Rows.Single(r => r.GetProperty("indicatorId").GetString() == "women-professors-share");
        Assert.True(women.GetProperty("provisional").GetBoolean());
        Assert.Equal("20.4%（速報）", women.GetProperty("latestValueText").GetString());
        var joint = Rows.Single(r => r.GetProperty("indicatorId").GetString() == "industry-joint-research-income");
        Assert.True(joint.GetProperty("flagged").GetBoolean());
        Assert.Equal("250,000百万円（要確認）", joint.GetProperty("latestValueText").GetString());
        Assert.Equal("年", women.GetProperty("yearTypeLabel").GetString());
        Assert.Equal("年度", joint.GetProperty("yearTypeLabel").GetString());

        var summary = Pdf.Flat(Section("指標一覧", "第1章"));
        Assert.Contains("20.4%（速報）", summary);
        Assert.Contains("250,000百万円（要確認）", summary);
    }

    [Fact]
    public void ThePdfSummaryTable_ShowsEveryIndicatorsStatus_AndEveryLatestValue()
    {
        var summary = Section("指標一覧", "評価記号：");
        var printed = StatusPattern().Matches(summary).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        var expected = data.Progress.EnumerateArray().Select(i => i.GetProperty("status").GetString()!).Select(s => (Symbol(s), Label(s))).ToList();
        Assert.Equal(expected, printed);
        var flat = Pdf.Flat(summary);
        Assert.All(Rows.Where(r => r.GetProperty("latestValue").ValueKind == JsonValueKind.Number),
            r => Assert.Contains(Pdf.Flat(r.GetProperty("latestValueText").GetString()!), flat));
    }

    [Fact]
    public void TheChapterPages_StateTheIndicatorsAndEachSeriesStatus()
    {
        var chapters = Section("第1章", "付録A 評価の方法と計算結果");
        var printed = Regex.Matches(chapters, @"([◎○△▲×−])\s*(目標達成|順調|一定の進捗|進捗に遅れ|悪化|評価不能)：").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        var expected = data.Progress.EnumerateArray().SelectMany(i =>
        {
            var own = new[] { i.GetProperty("status").GetString()! };
            var series = i.GetProperty("series").GetArrayLength() > 1 ? i.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("status").GetString()!) : [];
            return own.Concat(series);
        }).Select(s => (Symbol(s), Label(s))).ToList();
        Assert.Equal(expected, printed);
    }

    [Fact]
    public void AppendixA_ListsTheApisScoreAndStatus_ForEverySeries_AndEachIndicatorOfSeveral()
    {
        var appendix = Section("表A-1", "付録B データの提出状況");
        var printed = ScoreAndStatusPattern().Matches(appendix).Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value)).ToList();
        var expected = data.Progress.EnumerateArray().SelectMany(i =>
        {
            var series = i.GetProperty("series").EnumerateArray()
                .Select(s => (Score(Prop(s.GetProperty("components"), "score")), s.GetProperty("status").GetString()!)).ToList();
            if (series.Count > 1) series.Add((Score(Prop(i, "score")), i.GetProperty("status").GetString()!));
            return series;
        }).Select(p => (p.Item1, Symbol(p.Item2), Label(p.Item2))).ToList();
        Assert.Equal(expected, printed);
    }

    [Fact]
    public void ARevisedBaseYear_IsUsedAndSaid_OnTheChapterPage()
    {
        // The sample data submits 2021 = 90,000 for 共同研究受入額, where the plan printed 89,266.
        var row = Rows.Single(r => r.GetProperty("indicatorId").GetString() == "industry-joint-research-income");
        Assert.Equal(("submitted", 90000.0, 2021), (row.GetProperty("baseSource").GetString(), row.GetProperty("baseValue").GetDouble(), row.GetProperty("baseYear").GetInt32()));
        Assert.Contains("評価には2021年度の提出値90,000百万円を基準値として用いた", Pdf.Flat(Section("第2章", "付録A 評価の方法と計算結果")));
    }
}
