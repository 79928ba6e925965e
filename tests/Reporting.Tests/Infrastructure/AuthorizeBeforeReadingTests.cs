using System.Net;
using System.Security.Claims;
using static Reporting.Tests.Infrastructure.Requests;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// Who may call comes before what the request says: a caller who may not write a value learns that (403), whatever its
/// body holds, and a token whose agency is not one well-formed code speaks for no agency at all.
/// </summary>
public sealed class AuthorizeBeforeReadingTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private ReportingApp App => fixture.Factory;

    [Theory]
    [InlineData("{")]
    [InlineData("""{"value": "thirty"}""")]
    [InlineData("""{"value": 101, "value": 30.3}""")]
    [InlineData("[]")]
    public async Task Another_agencys_indicator_with_a_malformed_body_is_refused_as_forbidden(string body)
    {
        var response = await App.AsAgency("JPO").PutAsync("/api/indicators/research-time-share/values/2025", Body(body));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("submitted by MEXT", (await JsonOf(response)).GetProperty("detail").GetString());
    }

    public static TheoryData<string, string[]> MalformedAgencies => new()
    {
        { "a list", ["MEXT,CAO"] },
        { "a wildcard", ["*"] },
        { "padding", ["CAO "] },
        { "full-width letters", ["ＣＡＯ"] },
        { "an array (two claims)", ["MEXT", "CAO"] },
        { "empty", [""] },
    };

    [Theory]
    [MemberData(nameof(MalformedAgencies))]
    public async Task A_token_whose_agency_is_not_one_well_formed_code_is_forbidden_before_its_body_is_read(string what, string[] agencies)
    {
        var claims = new List<Claim> { new("roles", "agency"), new("sub", "test-" + what) };
        claims.AddRange(agencies.Select(a => new Claim("agency", a)));
        var client = App.As(App.Tokens.Create(claims));
        // A body that would be a 400 if it were read.
        var put = await client.PutAsync("/api/indicators/smart-city-municipalities/values/2025", Body("""{"value": "x"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        var import = await client.PostAsync("/api/imports/rows", Body("not json"));
        Assert.Equal(HttpStatusCode.Forbidden, import.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/indicators")).StatusCode);
    }

    [Fact]
    public async Task An_agency_role_in_any_letter_case_is_the_agency()
    {
        var token = App.Tokens.Create([new("roles", "agency.mext"), new("sub", "test-role-case")]);
        var response = await App.As(token).PutAsync("/api/indicators/research-time-share/values/2024", Body("""{"value": 31.5}"""));
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, response.StatusCode.ToString());
    }

    [Fact]
    public async Task A_body_naming_a_field_twice_is_refused_naming_it_and_nothing_is_stored()
    {
        var before = await App.AllValueEntitiesAsync();
        var response = await App.AsAgency("MEXT").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 101, "value": 30.3}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than once", (await JsonOf(response)).GetProperty("errors").GetProperty("value")[0].GetString());
        Assert.Equal(before.Count, (await App.AllValueEntitiesAsync()).Count);
    }

    [Fact]
    public async Task Minus_zero_is_stored_and_shown_as_zero()
    {
        var response = await App.AsAgency("CAO").PutAsync("/api/indicators/smart-city-municipalities/values/2024", Body("""{"value": -0}"""));
        Assert.True(response.IsSuccessStatusCode, response.StatusCode.ToString());
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"value\":0,", text);
        Assert.DoesNotContain("-0", text);
        var stored = await App.AsStaff().GetStringAsync("/api/indicators/smart-city-municipalities/values/2024");
        Assert.Contains("\"value\":0,", stored);
    }
}
