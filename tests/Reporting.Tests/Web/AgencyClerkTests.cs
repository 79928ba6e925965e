using Reporting.Tests.Infrastructure;
using System.Net;
using System.Text;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Reporting.Tests.Infrastructure.Requests;

namespace Reporting.Tests.Web;

/// <summary>
/// An agency's clerk does their whole task in the browser (DHIS2's data entry as the model): sees their indicators with
/// baseline, target, recent values and the window; enters a value per year and series, told what is wrong beside the
/// field in Japanese; is told when someone else changed the value meanwhile; reads its history; imports a file after a
/// dry-run preview — each value through the same use case as the API, and every page checked with axe-core.
/// </summary>
[Trait("Tier", "Full")]
public sealed class AgencyClerkTests(WebApp web) : IClassFixture<WebApp>
{
    static AgencyClerkTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private ReportingApp App => web.App;

    [Fact]
    public async Task A_clerk_enters_a_value_is_told_what_is_wrong_beside_the_field_in_Japanese_then_saves_it_and_reads_its_history()
    {
        await using var session = await web.SignInAsync("agency", "MEXT");
        var page = session.Page;
        await page.GotoAsync("/agency");
        await session.AssertAccessibleAsync("agency-home");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "値の入力" })).ToBeVisibleAsync();
        var list = page.GetByRole(AriaRole.Table, new() { Name = "担当する指標" });
        // The agency's own indicators only, each with its baseline and target as the plan gives them.
        await Expect(list.GetByRole(AriaRole.Row)).ToHaveCountAsync(1 + (await JsonOf(await App.AsStaff().GetAsync("/api/indicators"))).EnumerateArray().Count(i => i.GetProperty("agency").GetString() == "MEXT"));
        await Expect(list).ToContainTextAsync("32.2%（2022年度）");
        await Expect(list).ToContainTextAsync("50%（2030年度）");
        await Expect(list).Not.ToContainTextAsync("スマートシティ");

        await list.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("研究時間") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("2. 第1・2グループ等の大学の研究時間");
        await session.AssertAccessibleAsync("entry");

        // A share of 120 %: refused beside the field, in Japanese, and announced (the summary is an alert and has the focus).
        var value = page.GetByLabel("値（必須）", new() { Exact = true });
        await value.FillAsync("120");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^保存する") }).ClickAsync();
        var summary = page.GetByRole(AriaRole.Alert);
        await Expect(summary).ToContainTextAsync("入力内容を確認してください");
        await Expect(summary).ToContainTextAsync("0から100までの値を入力してください");
        await Expect(summary).ToBeFocusedAsync();
        await Expect(page.GetByLabel("値（必須）", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.Locator("#value-total-error")).ToContainTextAsync("割合（％）の指標です");
        await Expect(page.GetByLabel("値（必須）", new() { Exact = true })).ToHaveValueAsync("120");
        Assert.StartsWith("エラー: ", await page.TitleAsync());
        await session.AssertAccessibleAsync("entry-refused");
        Assert.Equal(HttpStatusCode.NotFound, (await App.AsAgency("MEXT").GetAsync("/api/indicators/research-time-share/values/2025")).StatusCode);

        // The summary's link takes the keyboard to the field.
        await summary.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByLabel("値（必須）", new() { Exact = true })).ToBeFocusedAsync();

        await page.GetByLabel("値（必須）", new() { Exact = true }).FillAsync("33.4");
        await page.GetByLabel("速報値").CheckAsync();
        await page.GetByLabel("備考").FillAsync("速報値（大学等調査の速報）");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^保存する") }).ClickAsync();
        var saved = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "保存しました" });
        await Expect(saved).ToContainTextAsync("33.4%");
        await Expect(saved).ToContainTextAsync("速報値、第1版");
        await session.AssertAccessibleAsync("entry-saved");

        // Stored through the same use case as the API: the API reads it back with who entered it.
        var stored = await JsonOf(await App.AsAgency("MEXT").GetAsync("/api/indicators/research-time-share/values/2025"));
        Assert.Equal(33.4, stored.GetProperty("value").GetDouble());
        Assert.Equal("provisional", stored.GetProperty("status").GetString());
        Assert.Equal("速報値（大学等調査の速報）", stored.GetProperty("note").GetString());
        Assert.Equal("MEXT 担当", stored.GetProperty("submittedBy").GetString());

        // Revised as final, then its history lists both revisions, newest first.
        await page.GetByLabel("値（必須）", new() { Exact = true }).FillAsync("33.6");
        await page.GetByLabel("確報値").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^保存する") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("確報値、第2版");
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^履歴\\s?（2025年度）") }).ClickAsync();
        var history = page.GetByRole(AriaRole.Table);
        await Expect(history.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);
        await Expect(history.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("33.6%");
        await Expect(history.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("33.4%");
        await Expect(history.GetByRole(AriaRole.Row).Nth(2)).ToContainTextAsync("速報値");
        await session.AssertAccessibleAsync("history");
    }

    [Fact]
    public async Task A_value_someone_else_saved_after_the_form_was_opened_is_reported_and_never_overwritten()
    {
        await using var session = await web.SignInAsync("agency", "MEXT");
        var page = session.Page;
        Assert.Equal(HttpStatusCode.Created, (await App.AsAgency("MEXT").PutAsync("/api/indicators/challenging-research-projects/values/2025", Body("""{"value": 7000}"""))).StatusCode);
        await page.GotoAsync("/agency/indicators/challenging-research-projects?year=2025");
        await Expect(page.GetByLabel("値（必須）", new() { Exact = true })).ToHaveValueAsync("7000");

        // A colleague's batch system revises it while the form is open.
        Assert.Equal(HttpStatusCode.OK, (await App.AsAgency("MEXT").PutAsync("/api/indicators/challenging-research-projects/values/2025", Body("""{"value": 7100, "note": "確報"}"""))).StatusCode);

        await page.GetByLabel("値（必須）", new() { Exact = true }).FillAsync("7050");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^保存する") }).ClickAsync();
        var problem = page.GetByRole(AriaRole.Alert);
        await Expect(problem).ToContainTextAsync("ほかの人が先に保存しました");
        await Expect(problem).ToContainTextAsync("7,100件");
        await Expect(page.GetByLabel("値（必須）", new() { Exact = true })).ToHaveValueAsync("7050");
        await session.AssertAccessibleAsync("entry-conflict");
        var current = await JsonOf(await App.AsAgency("MEXT").GetAsync("/api/indicators/challenging-research-projects/values/2025"));
        Assert.Equal(7100, current.GetProperty("value").GetDouble());

        // Saving again, knowingly, against the version now shown.
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^保存する") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("第3版");
        Assert.Equal(7050, (await JsonOf(await App.AsAgency("MEXT").GetAsync("/api/indicators/challenging-research-projects/values/2025"))).GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_clerk_saves_a_value_with_the_keyboard_alone()
    {
        await using var session = await web.SignInAsync("agency", "MEXT");
        var page = session.Page;
        await page.GotoAsync("/agency/indicators/researchers-abroad-long-term?year=2024");
        var keyboard = page.Keyboard;
        // From the top: the skip link first, then into the page until the value field has the focus.
        await keyboard.PressAsync("Tab");
        Assert.Equal("本文へ移動", await session.FocusedTextAsync());
        await keyboard.PressAsync("Enter");
        for (var i = 0; i < 40 && await page.EvaluateAsync<string>("() => document.activeElement.name") != "value"; i++) await keyboard.PressAsync("Tab");
        Assert.Equal("value", await page.EvaluateAsync<string>("() => document.activeElement.name"));
        await keyboard.TypeAsync("3700");
        // On to the status (arrow keys choose within the group), the note, and the button.
        await keyboard.PressAsync("Tab");
        await keyboard.PressAsync("ArrowRight");
        await keyboard.PressAsync("Tab");
        await keyboard.TypeAsync("キーボードで入力");
        await keyboard.PressAsync("Tab");
        Assert.StartsWith("保存する", await session.FocusedTextAsync());
        await keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("3,700人");
        // The banner has the focus: a screen reader reads what happened.
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "保存しました" })).ToBeFocusedAsync();
        var stored = await JsonOf(await App.AsAgency("MEXT").GetAsync("/api/indicators/researchers-abroad-long-term/values/2024"));
        Assert.Equal(3700, stored.GetProperty("value").GetDouble());
        Assert.Equal("provisional", stored.GetProperty("status").GetString());
        Assert.Equal("キーボードで入力", stored.GetProperty("note").GetString());
    }

    [Fact]
    public async Task A_clerk_imports_a_file_saved_by_Excel_sees_every_row_checked_first_then_registers_it()
    {
        await using var session = await web.SignInAsync("agency", "MEXT");
        var page = session.Page;
        await page.GotoAsync("/agency/import");
        await session.AssertAccessibleAsync("import");

        // The template lists the agency's indicators and series for the year.
        var template = await page.APIRequest.GetAsync("/agency/import/template.csv?year=2025");
        Assert.Equal(200, template.Status);
        var templateText = Encoding.UTF8.GetString(await template.BodyAsync());
        Assert.StartsWith("\uFEFFindicator,series,year,value,status,note", templateText);
        Assert.Contains("doctoral-students-degrees,enrolments,2025,", templateText);
        Assert.DoesNotContain("smart-city-municipalities", templateText);

        // A file that is not an import at all is refused whole, saying what to fix, beside the file field.
        await page.GetByLabel("CSV ファイル").SetInputFilesAsync(new FilePayload { Name = "memo.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes("名前,金額\r\n研究,1\r\n") });
        await page.GetByRole(AriaRole.Button, new() { Name = "内容を確認する" }).ClickAsync();
        await Expect(page.Locator("#file-error")).ToContainTextAsync("見出しの「名前」は使えない列名です");
        await Expect(page.GetByRole(AriaRole.Alert)).ToBeFocusedAsync();
        await session.AssertAccessibleAsync("import-refused");

        // As Excel in Japanese saves it: Shift_JIS, Japanese headers allowed; one row breaks a rule.
        var csv = "指標,系列,年度,値,区分,備考\r\ndoctoral-students-degrees,enrolments,2025,\"16,020\",速報,速報値\r\n" +
                  "doctoral-students-degrees,degrees,2025,15500,final,\r\ninternational-coauthorship-rate,total,2025,130,final,\r\n";
        await page.GetByLabel("CSV ファイル").SetInputFilesAsync(new FilePayload { Name = "博士課程.csv", MimeType = "text/csv", Buffer = Encoding.GetEncoding(932).GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "内容を確認する" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("1行に誤りがあります");
        var rows = page.GetByRole(AriaRole.Table);
        await Expect(rows.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("新規に登録される");
        await Expect(rows.GetByRole(AriaRole.Row).Nth(3)).ToContainTextAsync("0から100までの値を入力してください");
        await session.AssertAccessibleAsync("import-preview");
        // A dry run: nothing is stored yet.
        Assert.DoesNotContain(await App.AllValueEntitiesAsync(), e => e.PartitionKey == "doctoral-students-degrees" && e.RowKey.StartsWith("value|", StringComparison.Ordinal));

        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^この内容で登録する（2行）") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("2行を登録しました");
        await session.AssertAccessibleAsync("import-done");
        var values = await JsonOf(await App.AsAgency("MEXT").GetAsync("/api/indicators/doctoral-students-degrees/values"));
        var enrolments = values.GetProperty("values").EnumerateArray().Single(v => v.GetProperty("series").GetString() == "enrolments" && v.GetProperty("year").GetInt32() == 2025);
        Assert.Equal(16020, enrolments.GetProperty("value").GetDouble());
        Assert.Equal("provisional", enrolments.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await App.AsAgency("MEXT").GetAsync("/api/indicators/international-coauthorship-rate/values/2025")).StatusCode);
    }

    [Fact]
    public async Task A_closed_window_and_a_locked_year_are_said_plainly_and_offer_no_form()
    {
        Assert.Equal(HttpStatusCode.OK, (await App.AsAdmin().PutAsync("/api/windows/2023", Body("""{"opensOn": "2024-04-01", "closesOn": "2024-06-30"}"""))).StatusCode);
        await using var session = await web.SignInAsync("agency", "MEXT");
        var page = session.Page;
        await page.GotoAsync("/agency/indicators/women-professors-share?year=2023");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("令和5年度（2023年度）の入力期間は終わりました");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("2024年6月30日まででした");
        await Expect(page.GetByLabel("値（必須）", new() { Exact = true })).ToHaveCountAsync(0);
        await session.AssertAccessibleAsync("entry-closed");

        // The list says the same for the year, and the year can be changed from the page.
        await page.GotoAsync("/agency");
        await page.GetByLabel("対象年度", new() { Exact = true }).SelectOptionAsync("2023");
        await page.GetByRole(AriaRole.Button, new() { Name = "表示する" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/agency\\?year=2023$"));
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("入力期間は終わりました");
    }
}
