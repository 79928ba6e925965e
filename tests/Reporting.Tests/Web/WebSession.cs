using Reporting.Tests.Infrastructure;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Reporting.Tests.Reports;

namespace Reporting.Tests.Web;

/// <summary>
/// The app as people use it locally: the real worker behind the development host on Azurite, with the development
/// sign-in (the Functions environment is Development), and a headless Chromium. One per test class.
/// </summary>
public sealed class WebApp : IAsyncLifetime
{
    public ReportingApp App { get; } = new(new Dictionary<string, string> { ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development" });

    public Browser Browser { get; } = new();

    public async Task InitializeAsync()
    {
        await Browser.InitializeAsync();
        await App.ReadyAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        await App.DisposeAsync();
    }

    /// <summary>A browser tab of someone signed in with the development sign-in, as a person does it (the form).</summary>
    public async Task<WebSession> SignInAsync(string role, string? agency = null, int width = 1366, int height = 768)
    {
        var session = await OpenAsync(width, height);
        var page = session.Page;
        await page.GotoAsync("/signin");
        await page.GetByLabel(role switch { "agency" => "入力担当（府省）", "staff" => "事務局", _ => "管理者" }).CheckAsync();
        if (agency is not null) await page.GetByLabel("府省", new() { Exact = true }).SelectOptionAsync(agency);
        await page.GetByLabel("表示名").FillAsync(role == "agency" ? $"{agency} 担当" : role == "staff" ? "事務局 担当" : "管理 担当");
        await page.GetByRole(AriaRole.Button, new() { Name = "サインインする" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal));
        return session;
    }

    /// <summary>A browser tab nobody has signed in on.</summary>
    public async Task<WebSession> OpenAsync(int width = 1366, int height = 768)
    {
        var context = await Browser.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.BaseAddress.ToString().TrimEnd('/'),
            Locale = "ja-JP",
            ViewportSize = new ViewportSize { Width = width, Height = height },
            AcceptDownloads = true,
        });
        var session = new WebSession(context, await context.NewPageAsync());
        // A refused form answers with its status (400, 409, 412), which Chromium logs for the document itself: no fault.
        // Anything else the page loads must load.
        session.Page.Console += (_, m) =>
        {
            if (m.Type == "error" && !m.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal)) session.Errors.Add(m.Text);
        };
        session.Page.Response += (_, r) =>
        {
            if (r.Status >= 400 && r.Request.ResourceType != "document") session.Errors.Add($"{r.Status}: {r.Url}");
        };
        session.Page.PageError += (_, e) => session.Errors.Add(e);
        // A download is a navigation the browser ends itself (net::ERR_ABORTED): not a failure.
        session.Page.RequestFailed += (_, r) => { if (r.Failure != "net::ERR_ABORTED") session.Errors.Add("failed: " + r.Url + " " + r.Failure); };
        session.Page.Request += (_, r) => { if (!r.Url.StartsWith(App.BaseAddress.ToString().TrimEnd('/'), StringComparison.Ordinal)) session.Errors.Add("elsewhere: " + r.Url); };
        return session;
    }
}

/// <summary>One signed-in (or not) browser tab, with what it logged.</summary>
public sealed class WebSession(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IPage Page => page;

    public IBrowserContext Context => context;

    /// <summary>Console errors (a refused style or script included), page errors, failed requests, requests elsewhere.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>
    /// The page as a person would find it: axe-core's WCAG 2.1 A/AA rules find nothing, nothing failed or was fetched
    /// from elsewhere, the document is Japanese, and nothing is wider than the window (tables scroll in their own box).
    /// A screenshot is kept in artifacts/screenshots for people to look at.
    /// </summary>
    public async Task AssertAccessibleAsync(string state)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(result.Violations.Length == 0, state + ": " + string.Join("\n", result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(5).Select(n => n.Target.ToString() + " " + n.Html))}")));
        Assert.True(result.Passes.Length >= 8, $"{state}: axe ran only {result.Passes.Length} passing rules");
        Assert.True(Errors.Count == 0, state + ": " + string.Join("\n", Errors));
        Assert.Equal("ja", await page.EvalOnSelectorAsync<string>("html", "h => h.lang"));
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{state}: the page is {overflow}px wider than the window");
        await ScreenshotAsync(state);
    }

    public async Task ScreenshotAsync(string name)
    {
        var directory = Repo.Path_("artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        var file = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-'));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"web-{file}.png"), FullPage = true });
    }

    /// <summary>The text of the element that has the keyboard focus.</summary>
    public Task<string> FocusedTextAsync() => page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.innerText || document.activeElement.id : ''");

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
