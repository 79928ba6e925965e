using Reporting.Tests.Infrastructure;
using System.Globalization;
using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Reporting.Tests.Infrastructure.Requests;

namespace Reporting.Tests.Web;

/// <summary>
/// CSTI staff do their whole task in the browser: see who has not submitted (missing, provisional, flagged and why) and
/// the progress with the report's own figures, generate the report, download each edition, and publish it after a
/// confirmation that says what locks — every page checked with axe-core.
/// </summary>
[Trait("Tier", "Full")]
public sealed class StaffTests(WebApp web) : IClassFixture<WebApp>
{
    private ReportingApp App => web.App;

    private async Task SubmitAsync(string agency, string indicator, int year, string body) =>
        Assert.True((await App.AsAgency(agency).PutAsync($"/api/indicators/{indicator}/values/{year}", Body(body))).IsSuccessStatusCode);

    [Fact]
    public async Task Staff_see_completeness_by_agency_and_indicator_and_the_progress_with_the_figures_of_the_report()
    {
        await SubmitAsync("MEXT", "research-time-share", 2024, """{"value": 32.9}""");
        await SubmitAsync("MEXT", "research-time-share", 2025, """{"value": 33.4, "status": "provisional"}""");
        await SubmitAsync("MEXT", "challenging-research-projects", 2024, """{"value": 6600}""");
        // More than twice the year before: kept, and flagged for a look.
        await SubmitAsync("MEXT", "challenging-research-projects", 2025, """{"value": 14000}""");
        await SubmitAsync("MEXT", "top10-papers-rank", 2025, """{"value": 11}""");

        await using var session = await web.SignInAsync("staff");
        var page = session.Page;
        await page.GotoAsync("/staff");
        await session.AssertAccessibleAsync("staff-overview");

        // Completeness, by agency: the same counts as the API's.
        var completeness = await JsonOf(await App.AsStaff().GetAsync("/api/completeness/2025"));
        var mext = completeness.GetProperty("agencies").EnumerateArray().Single(a => a.GetProperty("agency").GetString() == "MEXT");
        var agencyRow = page.GetByRole(AriaRole.Table, new() { Name = "府省ごとの値の数" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "文部科学省" });
        foreach (var count in new[] { "expected", "submitted", "missing", "provisional", "flagged" })
        {
            await Expect(agencyRow).ToContainTextAsync(mext.GetProperty(count).GetInt32().ToString(CultureInfo.InvariantCulture));
        }
        // By indicator: what is missing, provisional and flagged, with the reason.
        var indicators = page.GetByRole(AriaRole.Table, new() { Name = "指標・系列ごと" });
        await Expect(indicators.GetByRole(AriaRole.Row).Filter(new() { HasText = "研究時間" })).ToContainTextAsync("2025");
        var flagged = indicators.GetByRole(AriaRole.Row).Filter(new() { HasText = "挑戦的な研究課題" });
        await Expect(flagged).ToContainTextAsync("要確認");
        await Expect(flagged).ToContainTextAsync("2.12 倍");
        await Expect(indicators.GetByRole(AriaRole.Row).Filter(new() { HasText = "スマートシティ" })).ToContainTextAsync("未提出");

        // Progress: row for row what the report generated from the same data prints (its summary table's JSON).
        Assert.Equal(HttpStatusCode.Created, (await App.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);
        var summary = (await JsonOf(await App.AsStaff().GetAsync("/api/reports/2025?format=json"))).EnumerateArray().ToList();
        var progress = page.GetByRole(AriaRole.Table, new() { Name = "指標の進捗" }).Locator("tbody tr");
        await Expect(progress).ToHaveCountAsync(summary.Count);
        for (var i = 0; i < summary.Count; i++)
        {
            var row = progress.Nth(i);
            await Expect(row).ToContainTextAsync(summary[i].GetProperty("latestValueText").GetString()!);
            await Expect(row).ToContainTextAsync(summary[i].GetProperty("seriesStatusLabel").GetString()!);
            await Expect(row).ToContainTextAsync(summary[i].TryGetProperty("seriesScore", out var score) && score.ValueKind == System.Text.Json.JsonValueKind.Number
                ? score.GetDouble().ToString("0.00", CultureInfo.InvariantCulture) : "—");
        }
    }

    [Fact]
    public async Task Staff_generate_the_report_download_every_edition_and_publish_it_after_a_confirmation_that_says_what_locks()
    {
        await SubmitAsync("CAO", "smart-city-municipalities", 2025, """{"value": 150}""");
        await using var session = await web.SignInAsync("staff");
        var page = session.Page;
        await page.GotoAsync("/staff/reports");
        await session.AssertAccessibleAsync("reports");
        await page.GetByLabel("年度", new() { Exact = true }).SelectOptionAsync("2025");
        await page.GetByRole(AriaRole.Button, new() { Name = "作成する" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("報告書を作成しました");
        await session.AssertAccessibleAsync("reports-generated");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "作成済みの報告書" }).Locator("tbody tr").First;
        await Expect(row).ToContainTextAsync("令和7年度（2025年度）");
        await Expect(row).ToContainTextAsync("下書き");

        // Each edition, with the session of the page: the PDF, the HTML edition (inline), the summary as CSV and JSON.
        foreach (var (name, type, start) in new[] { ("PDF", "application/pdf", "%PDF"), ("HTML版", "text/html", "<!DOCTYPE html"), ("CSV（総括表）", "text/csv", "\uFEFF"), ("JSON（総括表）", "application/json", "[") })
        {
            var href = await row.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(name)) }).GetAttributeAsync("href");
            var file = await page.APIRequest.GetAsync(href!);
            Assert.Equal(200, file.Status);
            Assert.StartsWith(type, file.Headers["content-type"]);
            Assert.Equal("private, no-store", file.Headers["cache-control"]);
            var text = System.Text.Encoding.UTF8.GetString(await file.BodyAsync());
            Assert.StartsWith(start, text, StringComparison.OrdinalIgnoreCase);
        }
        var pdf = await page.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^PDF") }).ClickAsync());
        Assert.Equal("第7期基本計画フォローアップ報告書_令和7年度.pdf", pdf.SuggestedFilename);

        // Generating again without any change of data gives the same report.
        await page.GetByRole(AriaRole.Button, new() { Name = "作成する" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("データに変更はありません");

        await row.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^確定版として公表する") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("令和7年度（2025年度）の報告書を公表する");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("2025年度の値はロックされ、府省は入力・修正できなくなります");
        await session.AssertAccessibleAsync("publish-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "確定版として公表する" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("確定版として公表しました");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "作成済みの報告書" }).Locator("tbody tr").First).ToContainTextAsync("確定版");
        await session.AssertAccessibleAsync("reports-published");

        // The year is locked for agencies, as the confirmation said.
        var refused = await App.AsAgency("CAO").PutAsync("/api/indicators/smart-city-municipalities/values/2025", Body("""{"value": 151}"""));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
    }
}
