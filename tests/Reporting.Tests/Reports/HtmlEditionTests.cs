using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Outline;

namespace Reporting.Tests.Reports;

/// <summary>
/// The report's accessible HTML edition, opened in a real browser (Chromium) exactly as the API serves it (its
/// Content-Security-Policy included), for the demo report of <c>scripts/run-local.sh --demo</c> and for the stress
/// report: axe-core finds no WCAG 2.1 A/AA violation; the page loads nothing and runs nothing; its headings are the
/// PDF's chapters and sections; every table and figure number of the PDF is there, with every value of the PDF's
/// summary table; every chart is an image with a name, a description and its data; links resolve.
/// </summary>
[Trait("Tier", "Full")]
[Collection(RenderedReports.Name)]
public sealed partial class HtmlEditionTests(Browser browser, DemoReport demo, StressReportTests.WithReport stress)
    : IClassFixture<Browser>
{
    private const string Address = "https://reporting.example/api/reports/2025?format=html";

    private (byte[] Pdf, HttpResponseMessage Html) Report(string which) => which == "demo" ? (demo.Pdf, demo.Html) : (stress.Pdf, stress.Html);

    private sealed class Opened(IPage page) : IAsyncDisposable
    {
        public IPage Page => page;
        public List<string> Requests { get; } = [];
        public List<string> Errors { get; } = [];
        public ValueTask DisposeAsync() => new(page.CloseAsync());
    }

    /// <summary>The edition at an https address, served with the very headers and bytes the API answered with; anything else the page asks for is refused and recorded.</summary>
    private async Task<Opened> OpenAsync(HttpResponseMessage html)
    {
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = html.Content.Headers.ContentType!.ToString(),
            ["Content-Security-Policy"] = html.Headers.GetValues("Content-Security-Policy").Single(),
            ["X-Content-Type-Options"] = html.Headers.GetValues("X-Content-Type-Options").Single(),
        };
        var body = await html.Content.ReadAsByteArrayAsync();
        var opened = new Opened(await browser.Chromium.NewPageAsync());
        opened.Page.Request += (_, r) => { if (r.Url != Address) opened.Requests.Add(r.Url); };
        opened.Page.Console += (_, m) => { if (m.Type == "error") opened.Errors.Add(m.Text); };
        opened.Page.PageError += (_, e) => opened.Errors.Add(e);
        await opened.Page.RouteAsync("**/*", route => route.Request.Url == Address
            ? route.FulfillAsync(new RouteFulfillOptions { Status = 200, Headers = headers, BodyBytes = body })
            : route.AbortAsync());
        await opened.Page.GotoAsync(Address);
        return opened;
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public async Task AxeCore_FindsNoWcag21AaViolation_AndThePageLoadsAndRunsNothing(string which)
    {
        await using var opened = await OpenAsync(Report(which).Html);
        var result = await opened.Page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        });
        Assert.True(result.Violations.Length == 0, string.Join("\n", result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} — {string.Join("; ", v.Nodes.Take(5).Select(n => n.Target.ToString()))}")));
        Assert.True(result.Passes.Length >= 15, $"axe ran only {result.Passes.Length} passing rules");
        // The policy lets the inline style sheet apply (a refused one logs an error) and nothing else load.
        Assert.Empty(opened.Errors);
        Assert.Empty(opened.Requests);
        Assert.Equal("rgb(31, 78, 121)", await opened.Page.EvalOnSelectorAsync<string>("h1", "h => getComputedStyle(h).color"));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public async Task EveryTableAndFigureNumber_AndEveryValueOfTheSummaryTable_OfThePdf_IsInTheHtml(string which)
    {
        var (pdf, html) = Report(which);
        await using var opened = await OpenAsync(html);
        var pdfText = Pdf.Text(pdf);
        var text = await opened.Page.InnerTextAsync("body");
        var numbers = TableOrFigureNumber().Matches(pdfText).Select(m => m.Value).ToHashSet();
        Assert.Contains("表序-2", numbers);
        Assert.Contains("図1-1", numbers);
        Assert.Equal(numbers.Order(), TableOrFigureNumber().Matches(text).Select(m => m.Value).ToHashSet().Order());

        // The summary table as the PDF prints it, without the running header and the folios of its pages.
        var flat = Pdf.Flat(pdfText);
        var header = Pdf.Flat($"{Features.Reports.Rendering.ReportDocument.Title}（2025（令和7）年度）");
        var start = flat.IndexOf("表序-2指標一覧", StringComparison.Ordinal);
        var end = flat.IndexOf("評価記号", start, StringComparison.Ordinal);
        var summary = Folio().Replace(flat[start..end].Replace(header, "", StringComparison.Ordinal), "");
        var table = Pdf.Flat(await opened.Page.InnerTextAsync("#table-0-2"));
        var values = Figure().Matches(summary).Select(m => m.Value).ToList();
        Assert.True(values.Count >= 18, $"only {values.Count} figures read from the PDF's summary table");
        Assert.All(values, v => Assert.Contains(v, table));
        // And each row's status, as printed.
        foreach (var status in new[] { "目標達成", "順調", "一定の進捗", "進捗に遅れ", "悪化", "評価不能" })
        {
            Assert.Equal(Regex.Count(summary, status), Regex.Count(table, status));
        }
    }

    /// <summary>
    /// Every figure the PDF prints with a decimal point or thousands separators (values, rates, ratios, scores, axis
    /// ticks) is in the HTML edition at least as often: nothing is lost or printed differently.
    /// </summary>
    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public async Task EveryFigureThePdfPrints_IsInTheHtml_AtLeastAsOften(string which)
    {
        var (pdf, html) = Report(which);
        await using var opened = await OpenAsync(html);
        // Every text node, apart: tick labels of an axis are text nodes side by side.
        var text = await opened.Page.EvaluateAsync<string>("""
            () => {
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              const parts = [];
              while (walker.nextNode()) parts.push(walker.currentNode.nodeValue);
              return parts.join(' ');
            }
            """);
        var inPdf = PrintedFigure().Matches(Pdf.Text(pdf)).GroupBy(m => m.Value).ToDictionary(g => g.Key, g => g.Count());
        var inHtml = PrintedFigure().Matches(text).GroupBy(m => m.Value).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(inPdf.Count >= 30, $"only {inPdf.Count} figures read from the PDF");
        var missing = inPdf.Where(p => inHtml.GetValueOrDefault(p.Key) < p.Value).Select(p => $"{p.Key}: {p.Value} in the PDF, {inHtml.GetValueOrDefault(p.Key)} in the HTML").ToList();
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("stress")]
    public async Task HeadingsAreThePdfsChaptersAndSections_TablesAndChartsAreNamed_AndLinksResolve(string which)
    {
        var (pdf, html) = Report(which);
        await using var opened = await OpenAsync(html);
        var page = JsonDocument.Parse(await opened.Page.EvaluateAsync<string>("""
            () => {
              const ids = new Set([...document.querySelectorAll('[id]')].map(e => e.id));
              const text = id => (document.getElementById(id)?.textContent ?? '').trim();
              return JSON.stringify({
                lang: document.documentElement.lang,
                h1: [...document.querySelectorAll('h1')].map(h => h.textContent),
                h2: [...document.querySelectorAll('h2')].map(h => h.textContent),
                h3: [...document.querySelectorAll('h3')].map(h => h.textContent),
                uncaptioned: [...document.querySelectorAll('table')].filter(t => !t.caption || !t.caption.textContent.trim() || !t.querySelector('thead th[scope=col]')).length,
                tables: document.querySelectorAll('table').length,
                charts: [...document.querySelectorAll('figure svg')].map(s => ({
                  role: s.getAttribute('role'),
                  name: (s.getAttribute('aria-labelledby') || '').split(' ').map(text),
                  data: !!s.closest('figure').querySelector('table.data'),
                })),
                broken: [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute('href').slice(1)).filter(id => !ids.has(id)),
                toSections: [...document.querySelectorAll('#table-0-2 a')].map(a => a.getAttribute('href')),
                back: [...document.querySelectorAll('a[href="#table-0-2"]')].length,
                math: document.querySelectorAll('math').length,
                scripts: document.querySelectorAll('script, iframe, object, embed, link, img').length,
                duplicateIds: [...document.querySelectorAll('[id]')].length - ids.size,
              });
            }
            """)).RootElement;
        Assert.Equal("ja", page.GetProperty("lang").GetString());
        Assert.Equal(1, page.GetProperty("h1").GetArrayLength());

        using var document = PdfDocument.Open(pdf);
        Assert.True(document.TryGetBookmarks(out var bookmarks));
        var chapters = bookmarks.Roots.Select(b => b.Title).ToList();
        var sections = bookmarks.Roots.SelectMany(b => b.Children).Select(b => b.Title).ToList();
        Assert.Equal(["目次", .. chapters], page.GetProperty("h2").EnumerateArray().Select(h => h.GetString()));
        var h3 = page.GetProperty("h3").EnumerateArray().Select(h => h.GetString()).ToList();
        Assert.All(sections, s => Assert.Contains(s, h3));

        Assert.Equal(0, page.GetProperty("uncaptioned").GetInt32());
        var charts = page.GetProperty("charts").EnumerateArray().ToList();
        Assert.Equal(18, charts.Count);
        Assert.All(charts, c =>
        {
            Assert.Equal("img", c.GetProperty("role").GetString());
            Assert.All(c.GetProperty("name").EnumerateArray(), part => Assert.False(string.IsNullOrWhiteSpace(part.GetString())));
        });
        // A chart with something drawn carries its data; 「データなし」 says why in its description.
        Assert.True(charts.Count(c => c.GetProperty("data").GetBoolean()) >= (which == "demo" ? 10 : 8));
        Assert.Empty(page.GetProperty("broken").EnumerateArray());
        Assert.Equal(18, page.GetProperty("toSections").GetArrayLength());
        Assert.Equal(18, page.GetProperty("back").GetInt32());
        Assert.Equal(5, page.GetProperty("math").GetInt32());
        Assert.Equal(0, page.GetProperty("scripts").GetInt32());
        Assert.Equal(0, page.GetProperty("duplicateIds").GetInt32());
    }

    [Fact]
    public async Task TheStressReportsLongTexts_AreAllInTheHtml_InFull()
    {
        var html = System.Net.WebUtility.HtmlDecode(await stress.Html.Content.ReadAsStringAsync());
        Assert.All(stress.Texts, t => Assert.Contains(t.Text, html));
    }

    [GeneratedRegex("[表図](序|[0-9]+|[A-C])-[0-9]+")]
    private static partial Regex TableOrFigureNumber();

    /// <summary>A folio as pdftotext reads it, whitespace removed: 3/29.</summary>
    [GeneratedRegex("(?<![0-9,.])[0-9]+/[0-9]+(?![0-9])")]
    private static partial Regex Folio();

    [GeneratedRegex("[0-9][0-9,]*(\\.[0-9]+)?")]
    private static partial Regex Figure();

    /// <summary>A number with a decimal part or grouped thousands (32.2, 15,744, 1,000,000.5), whole.</summary>
    [GeneratedRegex("(?<![0-9.,])[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?(?![0-9])|(?<![0-9.,])[0-9]+\\.[0-9]+(?![0-9])")]
    private static partial Regex PrintedFigure();
}
