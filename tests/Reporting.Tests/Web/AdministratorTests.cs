using Reporting.Tests.Infrastructure;
using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Reporting.Tests.Infrastructure.Requests;

namespace Reporting.Tests.Web;

/// <summary>An administrator sets submission windows and targets in the browser, through the same use cases as the API.</summary>
[Trait("Tier", "Full")]
public sealed class AdministratorTests(WebApp web) : IClassFixture<WebApp>
{
    private ReportingApp App => web.App;

    [Fact]
    public async Task An_administrator_sets_a_submission_window_refused_in_Japanese_when_it_ends_before_it_begins()
    {
        await using var session = await web.SignInAsync("admin");
        var page = session.Page;
        await page.GotoAsync("/manage/windows");
        await session.AssertAccessibleAsync("windows");
        await page.GetByLabel("年度（必須）", new() { Exact = true }).FillAsync("2026");
        await page.GetByLabel("受付開始日（必須）").FillAsync("2027-04-01");
        await page.GetByLabel("締切日（必須）").FillAsync("2027-03-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "設定する" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("締切日は受付開始日より前にできません");
        await Expect(page.GetByLabel("締切日（必須）")).ToHaveAttributeAsync("aria-invalid", "true");
        await session.AssertAccessibleAsync("windows-refused");
        Assert.Empty((await JsonOf(await App.AsAdmin().GetAsync("/api/windows"))).EnumerateArray());

        await page.GetByLabel("締切日（必須）").FillAsync("2027-06-30");
        await page.GetByRole(AriaRole.Button, new() { Name = "設定する" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("2027年4月1日から2027年6月30日まで受け付けます");
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("令和8年度（2026年度）");
        await session.AssertAccessibleAsync("windows-saved");
        var window = (await JsonOf(await App.AsAdmin().GetAsync("/api/windows"))).EnumerateArray().Single();
        Assert.Equal("2027-04-01", window.GetProperty("opensOn").GetString());
        Assert.Equal("管理 担当", window.GetProperty("setBy").GetString());
    }

    [Fact]
    public async Task An_administrator_changes_a_target_with_its_reason_and_a_target_the_method_cannot_assess_is_refused_beside_the_field()
    {
        await using var session = await web.SignInAsync("admin");
        var page = session.Page;
        await page.GotoAsync("/manage/targets");
        await session.AssertAccessibleAsync("targets");
        var change = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "研究活動が占める割合" }).GetByRole(AriaRole.Link);
        // Out of context (a screen reader's list of links) the link still says which indicator it changes.
        await Expect(change).ToHaveAccessibleNameAsync(new System.Text.RegularExpressions.Regex("^変更する\\s?（第1・2グループ等の大学の研究時間"));
        await change.ClickAsync();
        await Expect(page.GetByLabel("到達（この値に達する）")).ToBeCheckedAsync();

        await page.GetByLabel("目標値").FillAsync("32.2");
        await page.GetByRole(AriaRole.Button, new() { Name = "目標を変更する" }).ClickAsync();
        await Expect(page.Locator("#value-error")).ToContainTextAsync("基準値（32.2%）と同じです");
        await session.AssertAccessibleAsync("target-refused");

        await page.GetByLabel("目標値").FillAsync("55");
        await page.GetByLabel("目標年").FillAsync("2030");
        await page.GetByLabel("理由").FillAsync("総合科学技術・イノベーション会議の決定による");
        await page.GetByRole(AriaRole.Button, new() { Name = "目標を変更する" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("55%（2030年度）");

        var indicator = await JsonOf(await App.AsAdmin().GetAsync("/api/indicators/research-time-share"));
        Assert.Equal(55, indicator.GetProperty("target").GetProperty("value").GetDouble());
        var changes = await JsonOf(await App.AsAdmin().GetAsync("/api/indicators/research-time-share/changes"));
        Assert.Contains(changes.EnumerateArray(), c => c.GetProperty("reason").GetString() == "総合科学技術・イノベーション会議の決定による");
    }

    [Fact]
    public async Task Every_page_works_on_a_phone_sized_screen_without_sideways_scrolling()
    {
        await using var admin = await web.SignInAsync("admin", width: 390, height: 844);
        foreach (var path in new[] { "/", "/staff", "/staff/reports", "/manage/windows", "/manage/targets", "/manage/targets/doctoral-students-degrees" })
        {
            await admin.Page.GotoAsync(path);
            await admin.AssertAccessibleAsync("phone" + path.Replace('/', '-'));
        }
        await using var clerk = await web.SignInAsync("agency", "MEXT", width: 390, height: 844);
        foreach (var path in new[] { "/agency", "/agency/indicators/doctoral-students-degrees", "/agency/import" })
        {
            await clerk.Page.GotoAsync(path);
            await clerk.AssertAccessibleAsync("phone" + path.Replace('/', '-'));
        }
        Assert.Equal(HttpStatusCode.OK, (await App.AsAdmin().GetAsync("/api/health")).StatusCode);
    }
}
