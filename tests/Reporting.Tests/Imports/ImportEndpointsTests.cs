using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Imports;

public sealed class ImportEndpointsTests : AppTest
{
    static ImportEndpointsTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private const string Csv =
        "indicator,series,year,value,status,note\r\n" +
        "doctoral-students-degrees,enrolments,2024,15744,final,学校基本調査\r\n" +
        "doctoral-students-degrees,enrolments,2025,16020,provisional,\"速報値, 集計中\"\r\n" +
        "doctoral-students-degrees,degrees,2025,15400,,\r\n" +
        "research-time-share,,2025,33.1,final,\r\n";

    private static ByteArrayContent Content(byte[] bytes, string contentType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> Import(byte[] body, string contentType, string agency = "MEXT", bool dryRun = false)
    {
        var response = await app.AsAgency(agency).PostAsync($"/api/imports{(dryRun ? "?dryRun=true" : "")}", Content(body, contentType));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    private async Task<double?> Stored(string indicator, string series, int year)
    {
        var response = await app.AsStaff().GetAsync($"/api/indicators/{indicator}/values/{year}?series={series}");
        return response.StatusCode == HttpStatusCode.OK
            ? JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("value").GetDouble()
            : null;
    }

    [Theory]
    [InlineData("utf-8", false)]
    [InlineData("utf-8", true)]
    [InlineData("shift_jis", false)]
    public async Task Csv_InUtf8WithOrWithoutBom_OrShiftJis_IsImportedRowByRow(string charset, bool bom)
    {
        var encoding = charset == "shift_jis" ? Encoding.GetEncoding(932) : new UTF8Encoding(false);
        byte[] bytes = [.. bom ? Encoding.UTF8.GetPreamble() : [], .. encoding.GetBytes(Csv)];
        var (status, body) = await Import(bytes, $"text/csv; charset={charset}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((4, 4, 0), (body.GetProperty("rows").GetInt32(), body.GetProperty("accepted").GetInt32(), body.GetProperty("rejected").GetInt32()));
        Assert.Equal(16020, await Stored("doctoral-students-degrees", "enrolments", 2025));
        var value = JsonDocument.Parse(await (await app.AsStaff().GetAsync("/api/indicators/doctoral-students-degrees/values/2025?series=enrolments")).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("速報値, 集計中", value.GetProperty("note").GetString()); // the Japanese survived the charset
        Assert.Equal("provisional", value.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Json_RowsAreImported()
    {
        var json = """[{"indicator": "women-professors-share", "year": 2025, "value": 20.2, "status": "provisional"}, {"indicator": "women-professors-share", "year": "2024", "value": 19.6}]""";
        var (status, body) = await Import(Encoding.UTF8.GetBytes(json), "application/json");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(20.2, await Stored("women-professors-share", "total", 2025));
    }

    [Fact]
    public async Task DryRun_ValidatesAndReports_WithoutWriting()
    {
        var before = await app.AllValueEntitiesAsync();
        var (status, body) = await Import(Encoding.UTF8.GetBytes(Csv), "text/csv", dryRun: true);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("dryRun").GetBoolean());
        Assert.Equal(4, body.GetProperty("accepted").GetInt32());
        Assert.Equal("created", body.GetProperty("results")[0].GetProperty("change").GetString());
        Assert.Equal(before.Count, (await app.AllValueEntitiesAsync()).Count);
    }

    [Fact]
    public async Task EveryRowIsAnswered_RejectedRowsNameTheirFieldAndAreNotWritten()
    {
        var csv =
            "indicator,series,year,value,status,note\n" +
            "research-time-share,,2025,33.1,,\n" +          // 1 accepted
            "research-time-share,,2025,34.0,,\n" +          // 2 duplicate of row 1
            "research-time-share,,2025x,33,,\n" +           // 3 bad year
            "top10-papers-rank,,2025,0,,\n" +               // 4 rank must be positive
            "pph-partner-rank,,2025,1,,\n" +                // 5 another agency's indicator
            "no-such-indicator,,2025,1,,\n" +               // 6 unknown indicator
            "doctoral-students-degrees,postdocs,2025,1,,\n" + // 7 unknown series
            "women-professors-share,,2025,abc,,\n" +        // 8 not a number
            "women-professors-share,,2024,２０．５,,\n" +      // 9 full-width digits from Excel: accepted
            "women-professors-share,,2023,20.1,,増加😀\n";     // 10 a note the report cannot print
        var (status, body) = await Import(Encoding.UTF8.GetBytes(csv), "text/csv");
        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 10), results.Select(r => r.GetProperty("row").GetInt32()));
        string Outcome(int row) => results[row - 1].GetProperty("outcome").GetString()!;
        string Field(int row) => results[row - 1].GetProperty("errors")[0].GetProperty("field").GetString()!;
        Assert.Equal("accepted", Outcome(1));
        Assert.Equal(("rejected", "year"), (Outcome(2), Field(2)));
        Assert.Contains("repeats row 1", results[1].GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(("rejected", "year"), (Outcome(3), Field(3)));
        Assert.Equal(("rejected", "value"), (Outcome(4), Field(4)));
        Assert.Equal(("rejected", "indicator"), (Outcome(5), Field(5)));
        Assert.Equal(("rejected", "indicator"), (Outcome(6), Field(6)));
        Assert.Equal(("rejected", "series"), (Outcome(7), Field(7)));
        Assert.Equal(("rejected", "value"), (Outcome(8), Field(8)));
        Assert.Equal("accepted", Outcome(9));
        Assert.Equal(("rejected", "note"), (Outcome(10), Field(10)));
        Assert.Contains("U+1F600", results[9].GetProperty("errors")[0].GetProperty("message").GetString());

        Assert.Equal(33.1, await Stored("research-time-share", "total", 2025));
        Assert.Equal(20.5, await Stored("women-professors-share", "total", 2024));
        Assert.Null(await Stored("top10-papers-rank", "total", 2025));
        Assert.Null(await Stored("women-professors-share", "total", 2025));
    }

    [Fact]
    public async Task MoreThan10000Rows_Returns413_AndWritesNothing()
    {
        var csv = new StringBuilder("indicator,year,value\n");
        for (var i = 0; i < 10_001; i++) csv.Append("research-time-share,2025,33\n");
        var before = await app.AllValueEntitiesAsync();
        var response = await app.AsAgency("MEXT").PostAsync("/api/imports", Content(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before.Count, (await app.AllValueEntitiesAsync()).Count);
    }

    [Fact]
    public async Task FiftyFourChangesOfOneIndicator_FitOneTransaction_AndAreAllStored()
    {
        // 博士: 2 series × 27 years = 54 changed values, one insert each: one transaction (storage allows 100 operations).
        var csv = new StringBuilder("indicator,series,year,value\n");
        foreach (var series in new[] { "enrolments", "degrees" })
            for (var year = 2000; year <= 2026; year++) csv.Append("doctoral-students-degrees,").Append(series).Append(',').Append(year).Append(",15000\n");
        var (status, body) = await Import(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((54, 0), (body.GetProperty("accepted").GetInt32(), body.GetProperty("rejected").GetInt32()));
        var stored = (await app.AllValueEntitiesAsync()).Where(e => e.PartitionKey == "doctoral-students-degrees").ToList();
        Assert.Equal(54, stored.Count);
        Assert.All(stored, e => Assert.Equal(1, e.GetInt32("Revision")));
    }

    [Fact]
    public async Task TenThousandRows_AreReadInOneRequest_WithRepeatsRejected()
    {
        var csv = new StringBuilder("indicator,year,value\n");
        for (var i = 0; i < 10_000; i++) csv.Append("research-time-share,").Append(2000 + i % 26).Append(",33\n");
        var (status, body) = await Import(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", dryRun: true);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(10_000, body.GetProperty("rows").GetInt32());
        Assert.Equal(26, body.GetProperty("accepted").GetInt32());
        Assert.Equal(10_000 - 26, body.GetProperty("rejected").GetInt32());
    }

    [Theory]
    [InlineData("text/csv", "indicator;year;value\nresearch-time-share;2025;33\n", "header")]
    [InlineData("text/csv", "indicator,value\nresearch-time-share,33\n", "header")]
    [InlineData("text/csv", "indicator,year,value\n\"research-time-share,2025,33\n", "body")]
    [InlineData("text/csv", "", "body")]
    [InlineData("text/csv; charset=latin-9", "indicator,year,value\n", "Content-Type")]
    [InlineData("application/json", "{\"indicator\": 1}", "body")]
    [InlineData("application/json", "[{\"indicator\": \"research-time-share\", ", "body")]
    public async Task AMalformedFile_Returns400_AndWritesNothing(string contentType, string body, string field)
    {
        var before = await app.AllValueEntitiesAsync();
        var response = await app.AsAgency("MEXT").PostAsync("/api/imports", Content(Encoding.UTF8.GetBytes(body), contentType));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(before.Count, (await app.AllValueEntitiesAsync()).Count);
    }

    [Fact]
    public async Task InvalidUtf8_Returns400_SuggestingShiftJis()
    {
        var sjis = Encoding.GetEncoding(932).GetBytes(Csv);
        var response = await app.AsAgency("MEXT").PostAsync("/api/imports", Content(sjis, "text/csv; charset=utf-8"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("shift_jis", await response.Content.ReadAsStringAsync());
        Assert.Empty(await app.AllValueEntitiesAsync());
    }

    [Fact]
    public async Task AnotherMediaType_Returns415()
    {
        var response = await app.AsAgency("MEXT").PostAsync("/api/imports", Content(Encoding.UTF8.GetBytes("x"), "application/vnd.ms-excel"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("\"3,2\"", "thousands separator")]   // not 32
    [InlineData("\"1,0,0\"", "thousands separator")] // not 100
    [InlineData("①⓪", "is not a number")]            // not 10
    [InlineData("\"12,34.5\"", "thousands separator")]
    [InlineData("3,2", "more than the header")]  // unquoted: not the value 3 and a stray cell
    [InlineData("1e400", "finite")]
    public async Task ACellThatIsNotPlainlyANumber_IsRefused_NotMisread(string cell, string message)
    {
        var (status, body) = await Import(Encoding.UTF8.GetBytes($"indicator,year,value\nresearch-time-share,2025,{cell}\n"), "text/csv");
        Assert.Equal(HttpStatusCode.OK, status);
        var row = body.GetProperty("results")[0];
        Assert.Equal("rejected", row.GetProperty("outcome").GetString());
        Assert.Equal("value", row.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Contains(message, row.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Null(await Stored("research-time-share", "total", 2025));
    }

    [Theory]
    [InlineData("\"15,020\"", 15020)]
    [InlineData("\"123,456\"", 123456)]
    [InlineData("１５，０２０", 15020)]   // full-width digits and separator, as Excel may write them
    [InlineData("15020", 15020)]
    public async Task ThousandsSeparatorsBetweenGroupsOfThree_AndFullWidthDigits_AreRead(string cell, double expected)
    {
        var (status, body) = await Import(Encoding.UTF8.GetBytes($"indicator,series,year,value\ndoctoral-students-degrees,enrolments,2024,{cell}\n"), "text/csv");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("accepted", body.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal(expected, await Stored("doctoral-students-degrees", "enrolments", 2024));
    }

    [Fact]
    public async Task AFullWidthYear_IsReadAsTheFullWidthValueBesideIt()
    {
        var (status, body) = await Import(Encoding.UTF8.GetBytes("indicator,year,value\nwomen-professors-share,２０２３,２０．５\n"), "text/csv");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("accepted", body.GetProperty("results")[0].GetProperty("outcome").GetString());
        Assert.Equal(20.5, await Stored("women-professors-share", "total", 2023));
    }

    [Fact]
    public async Task AFileWithCarriageReturnOnlyLineEndings_IsReadRowByRow()
    {
        var (status, body) = await Import(Encoding.UTF8.GetBytes("indicator,year,value\rwomen-professors-share,2022,19.1\rwomen-professors-share,2021,18.7\r"), "text/csv");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((2, 2), (body.GetProperty("rows").GetInt32(), body.GetProperty("accepted").GetInt32()));
        Assert.Equal(18.7, await Stored("women-professors-share", "total", 2021));
    }
}
