using Reporting.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Reporting.Tests.Web;

/// <summary>The pages around the tasks: the start page, the sign-in, and the pages that say no — each checked with axe-core.</summary>
[Trait("Tier", "Full")]
public sealed class PublicPagesTests(WebApp web) : IClassFixture<WebApp>
{
    [Fact]
    public async Task The_start_page_and_the_sign_in_lead_a_person_to_the_tasks_of_their_role()
    {
        await using var visitor = await web.OpenAsync();
        var page = visitor.Page;
        await page.GotoAsync("/");
        await visitor.AssertAccessibleAsync("home-signed-out");
        await page.GetByRole(AriaRole.Link, new() { Name = "サインインする" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("サインイン");
        // The agency is asked for only when the role needs one.
        await Expect(page.GetByLabel("府省", new() { Exact = true })).ToBeVisibleAsync();
        await page.GetByLabel("事務局").CheckAsync();
        await Expect(page.GetByLabel("府省", new() { Exact = true })).ToBeHiddenAsync();
        await visitor.AssertAccessibleAsync("signin");

        await using var admin = await web.SignInAsync("admin");
        await admin.Page.GotoAsync("/");
        await Expect(admin.Page.GetByRole(AriaRole.Navigation, new() { Name = "メインメニュー" }).GetByRole(AriaRole.Link)).ToHaveCountAsync(4);
        await Expect(admin.Page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link)).ToHaveCountAsync(4);
        await admin.AssertAccessibleAsync("home-admin");
    }

    [Fact]
    public async Task A_page_that_says_no_says_why_in_Japanese_and_is_as_accessible_as_the_others()
    {
        await using var clerk = await web.SignInAsync("agency", "MEXT");
        var page = clerk.Page;
        var forbidden = await page.GotoAsync("/manage/windows");
        Assert.Equal(403, forbidden!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("このページは開けません");
        await clerk.AssertAccessibleAsync("forbidden");

        var missing = await page.GotoAsync("/agency/indicators/no-such-indicator");
        Assert.Equal(404, missing!.Status);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("指標「no-such-indicator」は指標一覧にありません");
        await clerk.AssertAccessibleAsync("not-found");

        // Signing out ends the session: the pages send the person to sign in again.
        await page.GotoAsync("/agency");
        await page.GetByRole(AriaRole.Button, new() { Name = "サインアウト" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));
        await page.GotoAsync("/agency");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?returnUrl=%2Fagency$"));
    }
}
