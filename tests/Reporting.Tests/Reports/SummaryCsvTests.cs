using System.Net;
using System.Text;
using Reporting.Features.Reports;
using Reporting.Tests.Infrastructure;
using static Reporting.Tests.Infrastructure.Requests;

namespace Reporting.Tests.Reports;

/// <summary>
/// summary.csv is opened in Excel by the secretariat: text that a spreadsheet would run as a formula (CSV injection) is
/// neutralised as OWASP recommends, numbers stay numbers, and the download is private and never sniffed.
/// </summary>
public sealed class SummaryCsvTests : AppTest
{
    [Fact]
    public async Task TextThatASpreadsheetWouldRunAsAFormula_IsWrittenWithALeadingApostrophe()
    {
        var admin = app.AsAdmin();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/indicators/smart-city-municipalities/target",
            Body("""{"kind": "reach", "value": 300, "year": 2030, "label": "=HYPERLINK(\"https://example.invalid\",\"詳細\")", "reason": "test"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/agencies/CAO", Body("""{"name": "@SUM(1+1)内閣府"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync("/api/indicators/pph-partner-rank",
            Body("""{"name": "+PPH相手国数の順位", "reason": "test"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);

        var response = await app.AsStaff().GetAsync("/api/reports/2025?format=csv");
        var csv = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("\"'=HYPERLINK(\"\"https://example.invalid\"\",\"\"詳細\"\")\"", csv);
        Assert.Contains(",'@SUM(1+1)内閣府", csv);
        Assert.Contains(",'+PPH相手国数の順位,", csv);
        // No cell anywhere begins with a formula character.
        foreach (var line in csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.DoesNotMatch("(^|,)\"?[=+@]", line);
        }
    }

    [Theory]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("+81-3-1234", "'+81-3-1234")]
    [InlineData("-", "'-")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("\tx", "'\tx")]
    [InlineData("-3.2", "-3.2")]     // a number stays a number
    [InlineData("1e-5", "1e-5")]
    [InlineData("-Infinity", "'-Infinity")] // not a plain number: Excel would read a name
    [InlineData("第1位", "第1位")]
    [InlineData("", "")]
    public void Neutralize_PrefixesFormulaText_AndLeavesNumbersAndOrdinaryText(string cell, string written)
    {
        Assert.Equal(written, ReportSummary.Neutralize(cell));
    }

    [Fact]
    public async Task Downloads_ArePrivate_AndNeverSniffed()
    {
        await app.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33}"""));
        await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        foreach (var format in new[] { "pdf", "csv", "json", "snapshot" })
        {
            var response = await app.AsStaff().GetAsync($"/api/reports/2025?format={format}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, $"{format}: {response.Headers.CacheControl}");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        }
    }
}
