using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs.Models;
using Reporting.Features.Indicators;
using Reporting.Features.Reports.Rendering;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reports;

public sealed class ReportEndpointsTests(ReportEndpointsTests.WithData data) : IClassFixture<ReportEndpointsTests.WithData>
{
    /// <summary>One app with five years of values for every indicator and one FY2025 report generated through the API.</summary>
    public sealed class WithData : IAsyncLifetime
    {
        public ReportingApp App { get; } = new();
        public List<(Indicator Indicator, string Series, int Year, double Value)> Submitted { get; private set; } = [];
        public HttpResponseMessage Created { get; private set; } = null!;
        public JsonElement CreatedBody { get; private set; }
        public byte[] Pdf { get; private set; } = [];
        public HttpResponseMessage Download { get; private set; } = null!;

        /// <summary>The HTML edition as the API serves it.</summary>
        public HttpResponseMessage Html { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Submitted = await SampleData.SubmitAsync(App);
            // A value for the following year must not leak into the FY2025 report.
            await App.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2026",
                new StringContent("""{"value": 48.7}""", Encoding.UTF8, "application/json"));
            Created = await App.AsStaff().PostAsync("/api/reports", new StringContent("""{"fiscalYear": 2025}""", Encoding.UTF8, "application/json"));
            CreatedBody = JsonDocument.Parse(await Created.Content.ReadAsStringAsync()).RootElement;
            Download = await App.AsStaff().GetAsync("/api/reports/2025");
            Pdf = await Download.Content.ReadAsByteArrayAsync();
            Html = await App.AsStaff().GetAsync("/api/reports/2025?format=html");
            await Html.Content.LoadIntoBufferAsync();
            // For reviewers: REPORTING_SAVE_PDF_DIR=artifacts keeps the full-data report to look at (scripts/render-pages.sh).
            if (Environment.GetEnvironmentVariable("REPORTING_SAVE_PDF_DIR") is { Length: > 0 } dir)
            {
                Directory.CreateDirectory(dir);
                await File.WriteAllBytesAsync(System.IO.Path.Combine(dir, "report-FY2025-sample-data.pdf"), Pdf);
                await File.WriteAllBytesAsync(System.IO.Path.Combine(dir, "report-FY2025-sample-data.html"), await Html.Content.ReadAsByteArrayAsync());
            }
        }

        public Task DisposeAsync()
        {
            App.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Post_Returns201_WithLocationAndMetadata()
    {
        Assert.Equal(HttpStatusCode.Created, data.Created.StatusCode);
        var body = data.CreatedBody;
        Assert.Equal(2025, body.GetProperty("fiscalYear").GetInt32());
        Assert.Equal(data.Pdf.Length, body.GetProperty("size").GetInt64());
        Assert.Equal(body.GetProperty("downloadPath").GetString(), data.Created.Headers.Location!.OriginalString);
        Assert.StartsWith("/api/reports/2025", data.Created.Headers.Location.OriginalString);
    }

    [Fact]
    public async Task List_ShowsTheReport_WithYearCreationTimeSizeAndDownloadPath()
    {
        var list = JsonDocument.Parse(await (await data.App.AsStaff().GetAsync("/api/reports")).Content.ReadAsStringAsync()).RootElement;
        var report = Assert.Single(list.EnumerateArray(), r => r.GetProperty("id").GetString() == data.CreatedBody.GetProperty("id").GetString());
        Assert.Equal(2025, report.GetProperty("fiscalYear").GetInt32());
        Assert.True(report.GetProperty("createdAt").GetDateTimeOffset() > DateTimeOffset.UnixEpoch);
        Assert.Equal(data.Pdf.Length, report.GetProperty("size").GetInt64());
        var byPath = await data.App.AsStaff().GetAsync(report.GetProperty("downloadPath").GetString());
        Assert.Equal(data.Pdf, await byPath.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public void Download_IsAPdf_WithAJapaneseFileNameThatSurvives()
    {
        Assert.Equal(HttpStatusCode.OK, data.Download.StatusCode);
        Assert.Equal("application/pdf", data.Download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(data.Pdf, 0, 5));
        var disposition = data.Download.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("第7期基本計画フォローアップ報告書_令和7年度.pdf", disposition.FileNameStar);
        Assert.Equal("stip7-followup-report-FY2025.pdf", disposition.FileName?.Trim('"'));
    }

    [Fact]
    public async Task HtmlEdition_IsReadInTheBrowser_UnderAPolicyThatLetsNothingLoadOrRun()
    {
        var html = data.Html;
        Assert.Equal(HttpStatusCode.OK, html.StatusCode);
        Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", html.Content.Headers.ContentType?.CharSet);
        Assert.Equal("inline", html.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("第7期基本計画フォローアップ報告書_令和7年度.html", html.Content.Headers.ContentDisposition?.FileNameStar);
        var policy = html.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(HtmlEdition.ContentSecurityPolicy, policy);
        Assert.StartsWith("default-src 'none'; style-src 'sha256-", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", html.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(html.Headers.CacheControl is { Private: true, NoStore: true });
        var text = await html.Content.ReadAsStringAsync();
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"ja\">", text);
        Assert.DoesNotContain("<script", text);
        // The style sheet the policy allows is the one the page has.
        var style = Regex.Match(text, "<style>(.*?)</style>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(style))), policy);
        Assert.Equal(data.CreatedBody.GetProperty("htmlPath").GetString(), $"/api/reports/2025?id={data.CreatedBody.GetProperty("id").GetString()}&format=html");
    }

    [Fact]
    public void TextLayer_GivesBackEveryIndicatorName_AndEverySubmittedValue()
    {
        var text = Pdf.Flat(Pdf.Text(data.Pdf));
        foreach (var indicator in PlanCatalog.Indicators)
        {
            Assert.Contains(Pdf.Flat(indicator.Name), text);
        }
        foreach (var (indicator, _, year, value) in data.Submitted)
        {
            Assert.Contains(Pdf.Flat(ValueFormat.WithUnit(value, indicator)), text);
            Assert.Contains($"試験データ{year}", text);
        }
        // Spot checks of the formatting itself, not through the formatter.
        Assert.Contains("15,177人", text); // 長期海外派遣 2022: 15,000 + 173 + order 4
        Assert.Contains("15,006人", text); // 博士課程入学者 2021: 15,000 + order 6
        Assert.Contains("令和7年度（2025年度）", text);
        Assert.Contains("2024（令和6）年度", text); // fiscal years in the value tables carry the era
        Assert.Contains("2023（令和5）年", text);
        Assert.Contains("評価の方法", text);
        Assert.DoesNotContain("48.7%", text); // FY2026 value is not in the FY2025 report
    }

    [Fact]
    public void Charts_AreVectorGraphics_NotImages()
    {
        var file = Path.Combine(Path.GetTempPath(), $"reporting-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, data.Pdf);
        try
        {
            var images = Pdf.Run("pdfimages", "-list", file).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, images.Length); // pdfimages prints two header lines and no image rows
            var fonts = Pdf.Run("pdffonts", file);
            Assert.Contains("BIZUDPGothic", fonts);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Snapshot_IsStoredBesideThePdf_WithTheDataTheReportWasMadeFrom()
    {
        var snapshotPath = data.CreatedBody.GetProperty("snapshotPath").GetString()!;
        var blobs = new List<string>();
        await foreach (var blob in data.App.ReportsContainer.GetBlobsAsync()) blobs.Add(blob.Name);
        Assert.Contains(snapshotPath, blobs);
        Assert.Contains(snapshotPath.Replace("snapshot.json", "report.pdf"), blobs);

        var json = (await data.App.ReportsContainer.GetBlobClient(snapshotPath).DownloadContentAsync()).Value.Content.ToString();
        var snapshot = JsonDocument.Parse(json).RootElement;
        Assert.Equal(2025, snapshot.GetProperty("fiscalYear").GetInt32());
        var indicators = snapshot.GetProperty("indicators").EnumerateArray().ToList();
        Assert.Equal(18, indicators.Count);
        var researchTime = indicators.Single(i => i.GetProperty("definition").GetProperty("id").GetString() == "research-time-share");
        var years = researchTime.GetProperty("series")[0].GetProperty("values").EnumerateArray().Select(v => v.GetProperty("year").GetInt32()).ToList();
        Assert.Equal([2021, 2022, 2023, 2024, 2025], years);
        Assert.True(researchTime.GetProperty("progress").TryGetProperty("status", out _));
        Assert.True(researchTime.GetProperty("progress").GetProperty("series")[0].GetProperty("components").TryGetProperty("score", out _));
    }

    [Theory]
    [InlineData("csv", "text/csv", "第7期基本計画フォローアップ報告書_令和7年度_概要.csv")]
    [InlineData("json", "application/json", "第7期基本計画フォローアップ報告書_令和7年度_概要.json")]
    [InlineData("snapshot", "application/json", "第7期基本計画フォローアップ報告書_令和7年度_データ.snapshot.json")]
    public async Task Download_OtherFormats_ServeTheFilesStoredBesideThePdf(string format, string mediaType, string fileName)
    {
        var response = await data.App.AsStaff().GetAsync($"/api/reports/2025?format={format}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(fileName, response.Content.Headers.ContentDisposition?.FileNameStar);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (format == "csv") Assert.Equal([0xEF, 0xBB, 0xBF], body[..3]);
        else Assert.Equal(format == "json" ? JsonValueKind.Array : JsonValueKind.Object, JsonDocument.Parse(body).RootElement.ValueKind);
        Assert.Equal(HttpStatusCode.BadRequest, (await data.App.AsStaff().GetAsync("/api/reports/2025?format=xlsx")).StatusCode);
    }

    [Fact]
    public async Task ReportsContainer_IsNotPublic()
    {
        var policy = await data.App.ReportsContainer.GetAccessPolicyAsync();
        Assert.Equal(PublicAccessType.None, policy.Value.BlobPublicAccess);
    }

    [Theory]
    [InlineData("""{"fiscalYear": 1999}""")]
    [InlineData("""{"fiscalYear": 2027}""")]
    [InlineData("""{"fiscalYear": "2025"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"fiscalYear": 2025""")]
    public async Task Post_WithBadFiscalYear_Returns400Problem_AndStoresNothing(string body)
    {
        var before = await CountBlobsAsync();
        var response = await data.App.AsStaff().PostAsync("/api/reports", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await CountBlobsAsync());
    }

    [Theory]
    [InlineData("/api/reports/2019", HttpStatusCode.NotFound)]
    [InlineData("/api/reports/20x5", HttpStatusCode.BadRequest)]
    [InlineData("/api/reports/2025?id=..%2F..%2Fx", HttpStatusCode.BadRequest)]
    [InlineData("/api/reports/2025?id=20200101T000000000Z-0000abcd", HttpStatusCode.NotFound)]
    public async Task Download_OfAMissingOrMalformedReport_ReturnsAProblem(string path, HttpStatusCode expected)
    {
        var response = await data.App.AsStaff().GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<int> CountBlobsAsync()
    {
        var n = 0;
        await foreach (var _ in data.App.ReportsContainer.GetBlobsAsync()) n++;
        return n;
    }
}
