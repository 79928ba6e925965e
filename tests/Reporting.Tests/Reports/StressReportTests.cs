using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Reporting.Features.Indicators;
using Reporting.Features.Reports.Rendering;
using Reporting.Features.Submissions;
using Reporting.Tests.Infrastructure;
using UglyToad.PdfPig;

namespace Reporting.Tests.Reports;

/// <summary>
/// The report with the hardest data the API accepts, submitted through the API: notes of the maximum length in the
/// five-year tables and in every revision of the revision appendix (with revision reasons of the maximum length), long
/// unbroken Latin words in notes, a target label, an indicator name and an agency name, the largest accepted values,
/// characters outside the report's main face (𠮷), indicators with no data and with a single value. Read back with
/// pdftotext and PdfPig: every text is printed in full, in order, and every word lies inside the page, clear of the
/// running header and the folio.
/// </summary>
[Trait("Tier", "Full")]
[Collection(RenderedReports.Name)]
public sealed partial class StressReportTests(StressReportTests.WithReport data)
{
    private const string LongWord = "Pneumonoultramicroscopicsilicovolcanoconiosis_InternationalCollaborationIndexCalculationMethodology2025";

    /// <summary>A unique text of exactly <paramref name="length"/> characters: Japanese sentences, long Latin words, numbers, rare kanji.</summary>
    public static string Text(string tag, int length)
    {
        string[] pieces =
        [
            "大学等教員の職務活動時間調査の結果による。", LongWord, "前年度比 +3.2%、", "𠮷田・髙橋・﨑山研究室の集計（①②③）。",
            "調査方法の変更により2023年度以降の値は接続しない。", "Supercalifragilisticexpialidocious", "値は速報であり、確報で改訂する。",
        ];
        var text = new StringBuilder($"〔{tag}〕");
        for (var i = 0; text.Length < length; i++) text.Append(pieces[i % pieces.Length]);
        var end = $"〔{tag}終〕";
        return text.ToString(0, length - end.Length) + end;
    }

    public sealed class WithReport : IAsyncLifetime
    {
        public ReportingApp App { get; } = new();
        public byte[] Pdf { get; private set; } = [];
        public string Flat { get; private set; } = "";

        /// <summary>The HTML edition as the API serves it.</summary>
        public HttpResponseMessage Html { get; private set; } = null!;

        /// <summary>Every text submitted, with how many times the report prints it.</summary>
        public List<(string Text, int Times)> Texts { get; } = [];

        public List<string> Figures { get; } = [];

        public async Task InitializeAsync()
        {
            var mext = App.AsAgency("MEXT");
            var admin = App.AsAdmin();
            async Task Ok(Task<HttpResponseMessage> call)
            {
                var response = await call;
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            string Json(object body) => JsonSerializer.Serialize(body);

            // Five years with notes of the maximum length; 2024 then revised three times, each revision with its own
            // note and reason of the maximum length (the revision appendix prints every one).
            for (var year = 2021; year <= 2025; year++)
            {
                var note = Text($"研究時間{year}", ValueRules.MaxNoteLength);
                await Ok(mext.PutAsync($"/api/indicators/research-time-share/values/{year}", Body(Json(new { value = year == 2025 ? 100 : 30 + year - 2021, note }))));
                Texts.Add((note, year == 2024 ? 1 : 1)); // the 2024 note is revision 1: not in the appendix, replaced below
            }
            Texts.RemoveAll(t => t.Text.Contains("研究時間2024"));
            for (var revision = 2; revision <= 4; revision++)
            {
                var note = Text($"改訂{revision}備考", ValueRules.MaxNoteLength);
                var reason = Text($"改訂{revision}理由", ValueRules.MaxNoteLength);
                await Ok(mext.PutAsync("/api/indicators/research-time-share/values/2024", Body(Json(new { value = 32.5 + revision, note, reason }))));
                // The latest note shows in the five-year table and in the appendix; earlier ones in the appendix only.
                Texts.Add((note, revision == 4 ? 2 : 1));
                Texts.Add((reason, 1));
            }

            // The largest accepted values, with long unbroken words in the notes.
            foreach (var (id, series, value) in new[]
            {
                ("industry-joint-research-income", "total", 100_000_000d), ("challenging-research-projects", "total", 1_000_000d),
                ("technicians-per-researcher", "total", 99.999), ("doctoral-students-degrees", "enrolments", 1_000_000d),
                ("doctoral-students-degrees", "degrees", 999_999d),
            })
            {
                foreach (var year in new[] { 2024, 2025 })
                {
                    var note = $"{LongWord}{LongWord}（{id}-{series}-{year}、𠮷）";
                    await Ok(mext.PutAsync($"/api/indicators/{id}/values/{year}", Body(Json(new { series, value = year == 2025 ? value : Math.Round(value * 0.9, value < 100 ? 3 : 0), note }))));
                    Texts.Add((note, 1));
                }
            }
            Figures.AddRange(["100,000,000百万円", "1,000,000件", "99.999人", "1,000,000人", "999,999人"]);

            // A single value.
            await Ok(mext.PutAsync("/api/indicators/women-professors-share/values/2025", Body(Json(new { value = 21.5, note = "単年のみ" }))));

            // A target label, an indicator name and an agency name of the maximum length with unbroken Latin words,
            // and a source note of the maximum length.
            var label = (LongWord + LongWord + "（2030年度）")[..TargetRules.MaxLabelLength];
            await Ok(admin.PutAsync("/api/indicators/research-time-share/target", Body(Json(new { kind = "reach", value = 50, year = 2030, label, reason = "表記の確認" }))));
            var name = ("スマートシティ" + LongWord + LongWord)[..CorrectIndicator.MaxNameLength];
            var source = Text("出典", ValueRules.MaxNoteLength);
            await Ok(admin.PatchAsync("/api/indicators/smart-city-municipalities", Body(Json(new { name, source, reason = "長い名称の確認" }))));
            var agency = ("文部科学省" + LongWord)[..SetAgency.MaxNameLength];
            await Ok(admin.PutAsync("/api/agencies/MEXT", Body(Json(new { name = agency }))));
            Texts.Add((label, 1));
            Texts.Add((name, 1));
            Texts.Add((source, 1));
            Texts.Add((agency, 1));

            var staff = App.AsStaff();
            Assert.Equal(HttpStatusCode.Created, (await staff.PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);
            Pdf = await (await staff.GetAsync("/api/reports/2025")).Content.ReadAsByteArrayAsync();
            Flat = Reports.Pdf.Flat(Reports.Pdf.Text(Pdf));
            Html = await staff.GetAsync("/api/reports/2025?format=html");
            await Html.Content.LoadIntoBufferAsync();
            if (Environment.GetEnvironmentVariable("REPORTING_SAVE_PDF_DIR") is { Length: > 0 } dir)
            {
                Directory.CreateDirectory(dir);
                await File.WriteAllBytesAsync(Path.Combine(dir, "report-FY2025-stress.pdf"), Pdf);
                await File.WriteAllBytesAsync(Path.Combine(dir, "report-FY2025-stress.html"), await Html.Content.ReadAsByteArrayAsync());
            }
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Finds <paramref name="text"/> in the extracted text from <paramref name="position"/> on, in order, allowing it to be
    /// interrupted where a table row continues on the next page (the folio, the running header, the repeated table
    /// header and the rest of the row's other cells come between). Each piece found is at least 8 characters (or the
    /// rest), so a dropped line cannot be skipped over.
    /// </summary>
    private static bool FindInOrder(string document, string text, ref int position, out string missing)
    {
        var i = 0;
        var pieces = 0;
        while (i < text.Length)
        {
            var minimum = Math.Min(8, text.Length - i);
            var at = document.IndexOf(text.Substring(i, minimum), position, StringComparison.Ordinal);
            if (at < 0 || ++pieces > 40)
            {
                missing = text.Substring(i, Math.Min(40, text.Length - i));
                return false;
            }
            // The longest piece from i that is at 'at' (extend while the characters agree).
            var length = minimum;
            while (i + length < text.Length && at + length < document.Length && document[at + length] == text[i + length]) length++;
            position = at + length;
            i += length;
        }
        missing = "";
        return true;
    }

    [Fact]
    public void EverySubmittedText_IsPrintedInFull_AsOftenAsTheReportShowsIt()
    {
        Assert.NotEmpty(data.Texts);
        foreach (var (text, times) in data.Texts)
        {
            var flat = Pdf.Flat(text);
            var position = 0;
            for (var n = 0; n < times; n++)
            {
                Assert.True(FindInOrder(data.Flat, flat, ref position, out var missing),
                    $"copy {n + 1} of {times} of the text starting '{text[..20]}' is not printed in full: '{missing}' is missing");
            }
        }
    }

    [Fact]
    public void EveryRevision_IsListed_InTheRevisionAppendix()
    {
        var appendix = data.Flat[data.Flat.LastIndexOf("付録C", StringComparison.Ordinal)..];
        for (var revision = 2; revision <= 4; revision++)
        {
            Assert.Contains($"〔改訂{revision}備考〕", appendix);
            Assert.Contains($"〔改訂{revision}理由〕", appendix);
        }
    }

    [Fact]
    public void TheLargestAcceptedValues_ArePrintedWhole()
    {
        foreach (var figure in data.Figures) Assert.Contains(figure, data.Flat);
    }

    [Fact]
    public void NoCharacterIsLost_RareKanjiExtractAsThemselves()
    {
        Assert.Contains("𠮷田・髙橋・﨑山", data.Flat);
        Assert.DoesNotContain(RenderContext.Missing, data.Flat);
        Assert.DoesNotContain('\uFFFD', data.Flat);
    }

    [Fact]
    public void IndicatorsWithoutData_SayDataNone_InsteadOfAnEmptyChart()
    {
        Assert.Contains("データなし", data.Flat);
    }

    [Fact]
    public void EveryWord_LiesInsideThePage_ClearOfTheRunningHeaderAndTheFolio()
    {
        var page = PageGeometry.A4;
        // In PDF space (origin bottom left): content from the footer band up to the header band.
        var contentBottom = page.Margin + page.FooterHeight;
        var contentTop = page.Height - page.Margin - page.HeaderHeight;
        using var document = PdfDocument.Open(data.Pdf);
        var checkedWords = 0;
        string? runningHeader = null;
        foreach (var p in document.GetPages())
        {
            if (p.Number > 1)
            {
                // The header band holds the running header, the same on every page, and nothing else.
                var band = string.Concat(p.GetWords().Where(w => w.BoundingBox.Bottom > contentTop).Select(w => w.Text));
                runningHeader ??= band;
                Assert.Equal(runningHeader, band);
                Assert.Contains("フォローアップ報告書", band);
            }
            foreach (var word in p.GetWords())
            {
                var box = word.BoundingBox;
                var where = $"page {p.Number}: '{word.Text}' at ({box.Left:0.0}, {box.Bottom:0.0})–({box.Right:0.0}, {box.Top:0.0})";
                Assert.True(box.Left >= page.Margin - 0.5 && box.Right <= page.Width - page.Margin + 0.5, "outside the margins: " + where);
                Assert.True(box.Bottom >= 0 && box.Top <= page.Height, "off the page: " + where);
                if (p.Number == 1) continue; // the cover has no header or folio
                var isFolio = FolioWord().IsMatch(word.Text) && box.Top < contentBottom;
                var isHeader = box.Bottom > contentTop;
                if (isFolio || isHeader) continue;
                Assert.True(box.Bottom >= contentBottom - 1, "over the folio: " + where);
                Assert.True(box.Top <= contentTop + 1, "over the running header: " + where);
                checkedWords++;
            }
        }
        Assert.True(checkedWords > 1000, $"only {checkedWords} words read");
    }

    [GeneratedRegex(@"^[\d/]+$")]
    private static partial Regex FolioWord();
}
