using System.Net;
using System.Text;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// Every HTTP function × every kind of caller, through the real worker: a function added without a rule here fails the
/// test. Allow means the caller gets past authorization (any status but 401 or 403, and no 5xx).
/// </summary>
public sealed class AuthorizationMatrixTests(AppFixture app) : IClassFixture<AppFixture>
{
    public enum Caller { None, OwnAgency, OtherAgency, Staff, Admin }

    private const int Allow = 0;

    private sealed record Rule(string Path, string? Body, string ContentType, int None, int OwnAgency, int OtherAgency, int Staff, int Admin)
    {
        public int Expected(Caller c) => c switch
        {
            Caller.None => None, Caller.OwnAgency => OwnAgency, Caller.OtherAgency => OtherAgency, Caller.Staff => Staff, _ => Admin,
        };
    }

    private const string Json = "application/json";

    // "Own agency" is MEXT, which submits research-time-share; "other agency" is JPO.
    private static readonly Dictionary<string, Rule> Rules = new()
    {
        ["GET /api/health"] = new("/api/health", null, Json, Allow, Allow, Allow, Allow, Allow),
        ["GET /api/health/ready"] = new("/api/health/ready", null, Json, Allow, Allow, Allow, Allow, Allow),
        ["GET /api/openapi.json"] = new("/api/openapi.json", null, Json, Allow, Allow, Allow, Allow, Allow),
        ["GET /api/indicators"] = new("/api/indicators", null, Json, 401, Allow, Allow, Allow, Allow),
        ["GET /api/indicators/{id}"] = new("/api/indicators/research-time-share", null, Json, 401, Allow, Allow, Allow, Allow),
        ["PATCH /api/indicators/{id}"] = new("/api/indicators/research-time-share", """{"source": "matrix", "reason": "matrix"}""", Json, 401, 403, 403, 403, Allow),
        ["GET /api/indicators/{id}/changes"] = new("/api/indicators/research-time-share/changes", null, Json, 401, Allow, Allow, Allow, Allow),
        ["GET /api/agencies"] = new("/api/agencies", null, Json, 401, Allow, Allow, Allow, Allow),
        ["PUT /api/agencies/{code}"] = new("/api/agencies/MATRIX", """{"name": "行列庁"}""", Json, 401, 403, 403, 403, Allow),
        ["PUT /api/indicators/{id}/target"] = new("/api/indicators/research-time-share/target", """{"kind": "reach", "value": 50, "year": 2030}""", Json, 401, 403, 403, 403, Allow),
        ["GET /api/indicators/{id}/values"] = new("/api/indicators/research-time-share/values", null, Json, 401, Allow, Allow, Allow, Allow),
        ["GET /api/indicators/{id}/values/{year}"] = new("/api/indicators/research-time-share/values/2025", null, Json, 401, Allow, Allow, Allow, Allow),
        ["PUT /api/indicators/{id}/values/{year}"] = new("/api/indicators/research-time-share/values/2025", """{"value": 33, "reason": "matrix"}""", Json, 401, Allow, 403, 403, Allow),
        ["POST /api/imports"] = new("/api/imports?dryRun=true", "indicator,year,value\nresearch-time-share,2025,33\n", "text/csv", 401, Allow, Allow, 403, 403),
        ["POST /api/imports/rows"] = new("/api/imports/rows?dryRun=true", """[{"indicator": "research-time-share", "year": 2025, "value": 33}]""", Json, 401, Allow, Allow, 403, 403),
        ["GET /api/windows"] = new("/api/windows", null, Json, 401, Allow, Allow, Allow, Allow),
        ["PUT /api/windows/{fiscalYear}"] = new("/api/windows/2030", """{"opensOn": "2031-04-01", "closesOn": "2031-06-30"}""", Json, 401, 403, 403, 403, Allow),
        ["GET /api/progress/{fiscalYear}"] = new("/api/progress/2025", null, Json, 401, 403, 403, Allow, Allow),
        ["GET /api/completeness/{fiscalYear}"] = new("/api/completeness/2025", null, Json, 401, 403, 403, Allow, Allow),
        ["POST /api/reports"] = new("/api/reports", """{"fiscalYear": 2025}""", Json, 401, 403, 403, Allow, Allow),
        ["GET /api/reports"] = new("/api/reports", null, Json, 401, 403, 403, Allow, Allow),
        ["GET /api/reports/{fiscalYear}"] = new("/api/reports/2025", null, Json, 401, 403, 403, Allow, Allow),
        ["POST /api/reports/{fiscalYear}/publish"] = new("/api/reports/2025/publish", """{"id": "20200101T000000000Z-0000abcd"}""", Json, 401, 403, 403, Allow, Allow),

        // The web interface: a person who is not signed in is sent to sign in (303), another role is refused (403).
        ["GET /{ignored:maxlength(0)?}"] = new("/", null, Json, Allow, Allow, Allow, Allow, Allow),
        ["GET /assets/{name}"] = new("/assets/ui.css", null, Json, Allow, Allow, Allow, Allow, Allow),
        ["GET /signin"] = new("/signin", null, Json, Allow, Allow, Allow, Allow, Allow),
        ["POST /signin"] = new("/signin", "role=admin", Form, Allow, Allow, Allow, Allow, Allow),
        ["POST /signout"] = new("/signout", "", Form, Allow, Allow, Allow, Allow, Allow),
        ["GET /agency"] = new("/agency", null, Json, 303, Allow, Allow, 403, 403),
        ["GET /agency/import"] = new("/agency/import", null, Json, 303, Allow, Allow, 403, 403),
        ["GET /agency/import/template.csv"] = new("/agency/import/template.csv", null, Json, 303, Allow, Allow, 403, 403),
        ["POST /agency/import"] = new("/agency/import", "action=preview", Form, 303, Allow, Allow, 403, 403),
        ["GET /agency/indicators/{id}"] = new("/agency/indicators/research-time-share", null, Json, 303, Allow, 403, 403, 403),
        ["POST /agency/indicators/{id}"] = new("/agency/indicators/research-time-share", "series=total&year=2025&value=abc&etag=", Form, 303, Allow, 403, 403, 403),
        ["GET /agency/indicators/{id}/history"] = new("/agency/indicators/research-time-share/history?year=2025", null, Json, 303, Allow, 403, 403, 403),
        ["GET /staff"] = new("/staff", null, Json, 303, 403, 403, Allow, Allow),
        ["GET /staff/reports"] = new("/staff/reports", null, Json, 303, 403, 403, Allow, Allow),
        ["POST /staff/reports"] = new("/staff/reports", "fiscalYear=abc", Form, 303, 403, 403, Allow, Allow),
        ["GET /staff/reports/{fiscalYear}/publish"] = new("/staff/reports/2025/publish?id=20200101T000000000Z-0000abcd", null, Json, 303, 403, 403, Allow, Allow),
        ["POST /staff/reports/{fiscalYear}/publish"] = new("/staff/reports/2025/publish", "id=20200101T000000000Z-0000abcd", Form, 303, 403, 403, Allow, Allow),
        ["GET /staff/reports/{fiscalYear}/file"] = new("/staff/reports/2025/file?id=20200101T000000000Z-0000abcd&format=pdf", null, Json, 303, 403, 403, Allow, Allow),
        ["GET /manage/windows"] = new("/manage/windows", null, Json, 303, 403, 403, 403, Allow),
        ["POST /manage/windows"] = new("/manage/windows", "fiscalYear=abc", Form, 303, 403, 403, 403, Allow),
        ["GET /manage/targets"] = new("/manage/targets", null, Json, 303, 403, 403, 403, Allow),
        ["GET /manage/targets/{id}"] = new("/manage/targets/research-time-share", null, Json, 303, 403, 403, 403, Allow),
        ["POST /manage/targets/{id}"] = new("/manage/targets/research-time-share", "kind=", Form, 303, 403, 403, 403, Allow),
    };

    private const string Form = "application/x-www-form-urlencoded";

    private static string Normalize(string route) => "/" + route.Trim('/');

    [Fact]
    public void EveryEndpoint_HasARule_AndEveryRuleAnEndpoint()
    {
        var endpoints = Reporting.Infrastructure.HttpOperation.All
            .SelectMany(o => o.Methods.Select(m => $"{m} {Normalize(o.Path)}"))
            .ToHashSet();
        Assert.Empty(endpoints.Except(Rules.Keys));
        Assert.Empty(Rules.Keys.Except(endpoints));
    }

    public static TheoryData<string, Caller> Cases()
    {
        var data = new TheoryData<string, Caller>();
        foreach (var key in Rules.Keys)
            foreach (var caller in Enum.GetValues<Caller>())
                data.Add(key, caller);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Endpoint_AnswersEachCaller_AsItsRuleSays(string endpoint, Caller caller)
    {
        var rule = Rules[endpoint];
        var client = caller switch
        {
            Caller.None => app.Factory.As(null),
            Caller.OwnAgency => app.Factory.AsAgency("MEXT"),
            Caller.OtherAgency => app.Factory.AsAgency("JPO"),
            Caller.Staff => app.Factory.AsStaff(),
            _ => app.Factory.AsAdmin(),
        };
        var method = new HttpMethod(endpoint.Split(' ')[0]);
        var request = new HttpRequestMessage(method, rule.Path);
        if (rule.Body is not null) request.Content = new StringContent(rule.Body, Encoding.UTF8, rule.ContentType);
        // As a browser sends it from this site's own page (a form of the web interface must come from there).
        request.Headers.Add("Origin", app.Factory.BaseAddress.GetLeftPart(UriPartial.Authority));
        var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        var expected = rule.Expected(caller);
        if (expected == Allow)
        {
            Assert.True(status is not (401 or 403) && status < 500, $"{endpoint} as {caller}: {status} {await response.Content.ReadAsStringAsync()}");
        }
        else
        {
            Assert.Equal(expected, status);
            if (status == 303)
            {
                Assert.StartsWith("/signin?returnUrl=", response.Headers.Location!.OriginalString);
            }
            else
            {
                // The API answers a problem; a page of the web interface answers a page that says why.
                Assert.Equal(endpoint.Contains(" /api/", StringComparison.Ordinal) ? "application/problem+json" : "text/html", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }
}
