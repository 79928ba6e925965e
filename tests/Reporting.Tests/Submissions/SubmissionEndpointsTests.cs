using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Submissions;

public sealed class SubmissionEndpointsTests(AppFixture app) : IClassFixture<AppFixture>
{
    private ReportingApp Factory => app.Factory;

    [Fact]
    public async Task Put_WhenNew_Returns201_ThenRevision_Returns200_AndKeepsHistory()
    {
        var mext = Factory.AsAgency("MEXT");
        var created = await mext.PutAsync("/api/indicators/research-time-share/values/2024", Body("""{"value": 33.5, "note": "速報値"}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await JsonOf(created);
        Assert.Equal(33.5, first.GetProperty("value").GetDouble());
        Assert.Equal(1, first.GetProperty("revision").GetInt32());
        Assert.Equal("MEXT", first.GetProperty("agency").GetString());

        var revised = await mext.PutAsync("/api/indicators/research-time-share/values/2024", Body("""{"value": 34.1, "note": "確報値"}"""));
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        Assert.Equal(2, (await JsonOf(revised)).GetProperty("revision").GetInt32());

        var values = await JsonOf(await mext.GetAsync("/api/indicators/research-time-share/values?history=true"));
        var value = Assert.Single(values.GetProperty("values").EnumerateArray());
        Assert.Equal(34.1, value.GetProperty("value").GetDouble());
        var history = value.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal(33.5, history[0].GetProperty("value").GetDouble());
        Assert.False(history[0].TryGetProperty("previousValue", out _));
        Assert.Equal(34.1, history[1].GetProperty("value").GetDouble());
        Assert.Equal(33.5, history[1].GetProperty("previousValue").GetDouble());
        Assert.Equal("MEXT tester", history[1].GetProperty("submittedBy").GetString());
        Assert.Equal("確報値", history[1].GetProperty("note").GetString());
        Assert.True(history[1].GetProperty("submittedAt").GetDateTimeOffset() > DateTimeOffset.MinValue);

        var withoutHistory = await JsonOf(await mext.GetAsync("/api/indicators/research-time-share/values"));
        Assert.False(withoutHistory.GetProperty("values")[0].TryGetProperty("history", out _));
    }

    [Fact]
    public async Task Put_WithANoteTheReportCannotPrint_Is400NamingTheCharacter_AndStoresNothing()
    {
        var mext = Factory.AsAgency("MEXT");
        var refused = await mext.PutAsync("/api/indicators/doctoral-students-degrees/values/2023", Body("""{"series": "enrolments", "value": 15000, "note": "増加😀"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await JsonOf(refused);
        var message = problem.GetProperty("errors").GetProperty("note")[0].GetString();
        Assert.Contains("😀", message);
        Assert.Contains("U+1F600", message);
        Assert.DoesNotContain((await Factory.AllValueEntitiesAsync()), e => e.PartitionKey == "doctoral-students-degrees" && e.RowKey.Contains("2023"));

        // A JIS X 0213 kanji the main face lacks is printed with the fallback face: accepted.
        var accepted = await mext.PutAsync("/api/indicators/doctoral-students-degrees/values/2023", Body("""{"series": "enrolments", "value": 15000, "note": "𠮷田研究室"}"""));
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Theory]
    [InlineData("ja", true)]
    [InlineData("ja-JP,en;q=0.5", true)]
    [InlineData("en-US,ja;q=0.8", false)]
    [InlineData(null, false)]
    public async Task Put_Refused_AnswersInJapanese_WhenTheCallerPrefersIt(string? acceptLanguage, bool japanese)
    {
        var mext = Factory.AsAgency("MEXT");
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/indicators/research-time-share/values/2024") { Content = Body("""{"value": 120}""") };
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var refused = await mext.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(japanese ? "ja" : "en", Assert.Single(refused.Content.Headers.ContentLanguage));
        var problem = await JsonOf(refused);
        var message = problem.GetProperty("errors").GetProperty("value")[0].GetString()!;
        // The field keeps its wire name in either language; the message is the rule's, in the language asked for.
        Assert.Contains(japanese ? "0から100までの値を入力してください" : "is a percentage and must be between 0 and 100", message);
        Assert.StartsWith("value: ", problem.GetProperty("detail").GetString());
        Assert.Equal(japanese ? "入力内容に誤りがあります" : "The request is not valid", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Put_SameValueAndNoteTwice_DoesNotAddARevision()
    {
        var mext = Factory.AsAgency("MEXT");
        Assert.Equal(HttpStatusCode.Created, (await mext.PutAsync("/api/indicators/women-professors-share/values/2025", Body("""{"value": 20.1}"""))).StatusCode);
        var again = await mext.PutAsync("/api/indicators/women-professors-share/values/2025", Body("""{"value": 20.1}"""));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(1, (await JsonOf(again)).GetProperty("revision").GetInt32());
        var entities = (await Factory.AllValueEntitiesAsync()).Where(e => e.PartitionKey == "women-professors-share").ToList();
        Assert.Single(entities); // one revision: the second PUT was a retry, not a change
    }

    [Fact]
    public async Task Put_WithSeries_StoresEachSeriesSeparately()
    {
        var mext = Factory.AsAgency("MEXT");
        Assert.Equal(HttpStatusCode.Created, (await mext.PutAsync("/api/indicators/doctoral-students-degrees/values/2025", Body("""{"series": "enrolments", "value": 16020}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await mext.PutAsync("/api/indicators/doctoral-students-degrees/values/2025", Body("""{"series": "degrees", "value": 15600}"""))).StatusCode);
        var values = (await JsonOf(await mext.GetAsync("/api/indicators/doctoral-students-degrees/values"))).GetProperty("values").EnumerateArray()
            .ToDictionary(v => v.GetProperty("series").GetString()!, v => v.GetProperty("value").GetDouble());
        Assert.Equal(16020, values["enrolments"]);
        Assert.Equal(15600, values["degrees"]);
    }

    [Fact]
    public async Task Put_ConcurrentRevisionsOfOneValue_AllLandInOneUnbrokenHistory()
    {
        var mext = Factory.AsAgency("MEXT");
        var tasks = Enumerable.Range(1, 12).Select(i =>
            mext.PutAsync("/api/indicators/challenging-research-projects/values/2025", Body($$"""{"value": {{7000 + i}}}"""))).ToList();
        var responses = await Task.WhenAll(tasks);
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);

        var value = (await JsonOf(await mext.GetAsync("/api/indicators/challenging-research-projects/values?history=true"))).GetProperty("values")[0];
        var history = value.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(1, 12), history.Select(h => h.GetProperty("revision").GetInt32()));
        Assert.Equal(12, value.GetProperty("revision").GetInt32());
        Assert.Equal(history[^1].GetProperty("value").GetDouble(), value.GetProperty("value").GetDouble());
        // Each revision records the value it replaced: the chain is unbroken.
        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1].GetProperty("value").GetDouble(), history[i].GetProperty("previousValue").GetDouble());
        }
    }

    [Fact]
    public async Task Put_WhenAgencyDoesNotOwnIndicator_Returns403_AndStoresNothing()
    {
        var before = await Factory.AllValueEntitiesAsync();
        var response = await Factory.AsAgency("JPO").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 40}"""));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("MEXT", (await JsonOf(response)).GetProperty("detail").GetString());
        Assert.Equal(before.Count, (await Factory.AllValueEntitiesAsync()).Count);
    }

    [Fact]
    public async Task Put_ByStaff_Returns403()
    {
        var response = await Factory.AsStaff().PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 40}"""));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Put_ByAdminWithoutAReason_Returns400_AndWithOne_IsKeptInTheHistory()
    {
        var before = await Factory.AllValueEntitiesAsync();
        var refused = await Factory.AsAdmin().PutAsync("/api/indicators/smart-city-municipalities/values/2025", Body("""{"value": 95}"""));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await JsonOf(refused)).GetProperty("errors").TryGetProperty("reason", out _));
        Assert.Equal(before.Count, (await Factory.AllValueEntitiesAsync()).Count);

        var corrected = await Factory.AsAdmin().PutAsync("/api/indicators/smart-city-municipalities/values/2025",
            Body("""{"value": 95, "reason": "内閣府からの訂正依頼（2026-11-20）"}"""));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        var history = (await JsonOf(await Factory.AsStaff().GetAsync("/api/indicators/smart-city-municipalities/values?history=true")))
            .GetProperty("values")[0].GetProperty("history")[0];
        Assert.Equal("内閣府からの訂正依頼（2026-11-20）", history.GetProperty("reason").GetString());
        Assert.Equal("ADMIN", history.GetProperty("agency").GetString());
    }

    public static TheoryData<string, string, string, string> BadInput => new()
    {
        // indicator, year, body, field named in the problem
        { "research-time-share", "2025", """{"value": 100.5}""", "value" },
        { "research-time-share", "2025", """{"value": -0.1}""", "value" },
        { "research-time-share", "2025", """{"value": "40"}""", "value" },
        { "research-time-share", "2025", """{"value": null}""", "value" },
        { "research-time-share", "2025", """{}""", "value" },
        { "research-time-share", "2025", """{"value": 1e400}""", "value" },
        { "top10-papers-rank", "2025", """{"value": 0}""", "value" },
        { "top10-papers-rank", "2025", """{"value": 3.5}""", "value" },
        { "researchers-abroad-long-term", "2025", """{"value": -1}""", "value" },
        { "researchers-abroad-long-term", "2025", """{"value": 10.5}""", "value" },
        { "industry-joint-research-income", "2025", """{"value": -5}""", "value" },
        { "industry-joint-research-income", "2025", """{"value": 1e300}""", "value" },
        { "research-time-share", "1999", """{"value": 40}""", "year" },
        { "research-time-share", "2027", """{"value": 40}""", "year" },
        { "research-time-share", "20x5", """{"value": 40}""", "year" },
        { "women-professors-share", "2027", """{"value": 20}""", "year" },
        { "research-time-share", "2025", """{"value": 40, "note": "a\u0000b"}""", "note" },
        { "research-time-share", "2025", """{"value": 40, "unexpected": 1}""", "unexpected" },
        { "research-time-share", "2025", """{"value": 40,""", "body" },
        { "research-time-share", "2025", """not json""", "body" },
        { "doctoral-students-degrees", "2025", """{"value": 16000}""", "series" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task Put_WithBadInput_Returns400ProblemNamingTheField_AndStoresNothing(string indicator, string year, string body, string field)
    {
        var before = await Factory.AllValueEntitiesAsync();
        var response = await Factory.AsAgency("MEXT").PutAsync($"/api/indicators/{indicator}/values/{year}", Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonOf(response);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
        Assert.Equal(before.Count, (await Factory.AllValueEntitiesAsync()).Count);
    }

    [Fact]
    public async Task Put_WithOverlongNote_Returns400()
    {
        var note = new string('あ', 1001);
        var response = await Factory.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025",
            Body(JsonSerializer.Serialize(new { value = 40, note })));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("errors").TryGetProperty("note", out _));
    }

    [Fact]
    public async Task Put_YearOfCurrentFiscalYear_IsAccepted_ButNotTheNext()
    {
        // The fake clock is 2026-11-23 JST: fiscal year 2026 is current.
        var mext = Factory.AsAgency("MEXT");
        Assert.Equal(HttpStatusCode.Created, (await mext.PutAsync("/api/indicators/researchers-abroad-long-term/values/2026", Body("""{"value": 4100}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await mext.PutAsync("/api/indicators/researchers-abroad-long-term/values/2027", Body("""{"value": 4100}"""))).StatusCode);
    }

    [Theory]
    [InlineData("/api/indicators/no-such-indicator/values/2025", """{"value": 1}""")]
    [InlineData("/api/indicators/doctoral-students-degrees/values/2025", """{"series": "postdocs", "value": 1}""")]
    [InlineData("/api/indicators/..%2F..%2Fsecrets/values/2025", """{"value": 1}""")]
    public async Task Put_UnknownIndicatorOrSeries_Returns404Problem(string path, string body)
    {
        var before = await Factory.AllValueEntitiesAsync();
        var response = await Factory.AsAgency("MEXT").PutAsync(path, Body(body));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before.Count, (await Factory.AllValueEntitiesAsync()).Count);
    }

    [Fact]
    public async Task Get_ValuesOfUnknownIndicator_Returns404()
    {
        var response = await Factory.AsStaff().GetAsync("/api/indicators/nope/values");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"value": "33"}""", "value", "must be a JSON number, not the string \"33\".")]
    [InlineData("""{"note": "x"}""", "value", "is required: a JSON number.")]
    [InlineData("""{"value": null}""", "value", "is required: a JSON number.")]
    [InlineData("""{"value": 1e400}""", "value", "is not a finite number.")]
    [InlineData("""{"value": 33, "status": "maybe"}""", "status", "must be one of final, provisional, not the string \"maybe\".")]
    [InlineData("""{"value": 33, "colour": "red"}""", "colour", "is not a field of this request (its fields are value, series, status, note, reason).")]
    [InlineData("""[33]""", "body", "must be a JSON object, not an array: send")]
    [InlineData("""{"value": 33,""", "body", "is not valid JSON (line 1, position")]
    public async Task Put_ABodyThatIsNotWhatTheDescriptionSays_IsRefusedInTheApisTerms(string body, string field, string message)
    {
        var response = await Factory.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var said = (await JsonOf(response)).GetProperty("errors").GetProperty(field)[0].GetString()!;
        Assert.StartsWith(message, said);
    }

    [Theory]
    [InlineData("Provisional")]   // NSwag's System.Text.Json client sends the C# member name
    [InlineData("PROVISIONAL")]
    [InlineData("provisional")]
    public async Task Put_StatusInAnyLetterCase_IsRead_AsGeneratedClientsSendIt(string status)
    {
        var response = await Factory.AsAgency("MEXT").PutAsync("/api/indicators/international-coauthorship-rate/values/2023",
            Body($$"""{"value": 35.1, "status": "{{status}}"}"""));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("provisional", (await JsonOf(response)).GetProperty("status").GetString());
    }
}
