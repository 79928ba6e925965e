using static Reporting.Tests.Infrastructure.Requests;
using System.Net;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Indicators;
using Reporting.Tests.Infrastructure;
using Reporting.Tests.Reports;

namespace Reporting.Tests.Indicators;

/// <summary>
/// Ownership and wording of the catalog are data an administrator corrects with a reason, not code: an indicator's
/// agency (which moves the right to submit with it), its display name and its source note; agencies and their Japanese
/// names are registered through the API. Every correction is audited and printed in the report's revision appendix.
/// </summary>
public sealed class CatalogAdministrationTests : AppTest
{
    private string DigitalToken() => app.Tokens.Create([new Claim("roles", "agency"), new Claim("agency", "DIGITAL"), new Claim("sub", "test-digital"), new Claim("name", "DIGITAL tester")]);

    [Fact]
    public async Task Agencies_AreSeededFromThePlan_WithTheirJapaneseNames()
    {
        var agencies = (await JsonOf(await app.AsAgency("MEXT").GetAsync("/api/agencies"))).EnumerateArray()
            .ToDictionary(a => a.GetProperty("code").GetString()!, a => a.GetProperty("name").GetString());
        Assert.Equal("文部科学省", agencies["MEXT"]);
        Assert.Equal("デジタル庁", agencies["DIGITAL"]);
        Assert.Equal("総務省", agencies["MIC"]);
        Assert.Equal("科学技術・学術政策研究所", agencies["NISTEP"]);
    }

    [Fact]
    public async Task MovingAnIndicatorToAnotherAgency_MovesTheRightToSubmit_AndIsAuditedInTheReport()
    {
        var admin = app.AsAdmin();
        var moved = await admin.PatchAsync("/api/indicators/smart-city-municipalities",
            Body("""{"agency": "DIGITAL", "reason": "スマートシティ施策の所管がデジタル庁に移管されたため"}"""));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var body = await JsonOf(moved);
        Assert.Equal(("DIGITAL", "デジタル庁"), (body.GetProperty("agency").GetString(), body.GetProperty("agencyName").GetString()));

        // The old owner is refused, the new one may submit.
        Assert.Equal(HttpStatusCode.Forbidden, (await app.AsAgency("CAO").PutAsync("/api/indicators/smart-city-municipalities/values/2025", Body("""{"value": 95}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await app.As(DigitalToken()).PutAsync("/api/indicators/smart-city-municipalities/values/2025", Body("""{"value": 95}"""))).StatusCode);

        var changes = (await JsonOf(await app.AsStaff().GetAsync("/api/indicators/smart-city-municipalities/changes"))).EnumerateArray().ToList();
        var change = Assert.Single(changes);
        Assert.Equal(("agency", "CAO", "DIGITAL", "admin tester"), (change.GetProperty("field").GetString(), change.GetProperty("oldValue").GetString(),
            change.GetProperty("newValue").GetString(), change.GetProperty("changedBy").GetString()));
        Assert.Equal("スマートシティ施策の所管がデジタル庁に移管されたため", change.GetProperty("reason").GetString());

        Assert.Equal(HttpStatusCode.Created, (await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);
        var text = Pdf.Flat(Pdf.Text(await (await app.AsStaff().GetAsync("/api/reports/2025")).Content.ReadAsByteArrayAsync()));
        Assert.Contains("指標の定義の変更", text);
        Assert.Contains("スマートシティ施策の所管がデジタル庁に移管されたため", text);
        Assert.Contains("担当府省デジタル庁", text);
        var csv = System.Text.Encoding.UTF8.GetString(await (await app.AsStaff().GetAsync("/api/reports/2025?format=csv")).Content.ReadAsByteArrayAsync());
        Assert.Contains("DIGITAL,デジタル庁", csv);
    }

    [Fact]
    public async Task CorrectingTheNameAndSource_ChangesWhatTheReportPrints_AndSurvivesANewCatalogVersion()
    {
        var admin = app.AsAdmin();
        var corrected = await admin.PatchAsync("/api/indicators/business-funded-higher-ed-rd-share",
            Body("""{"name": "高等教育機関の研究開発費に占める企業負担割合", "source": "科学技術研究調査（総務省）", "reason": "出典の記載漏れを補う"}"""));
        Assert.Equal(HttpStatusCode.OK, corrected.StatusCode);
        Assert.Equal(2, (await JsonOf(await app.AsStaff().GetAsync("/api/indicators/business-funded-higher-ed-rd-share/changes"))).GetArrayLength());

        var store = app.Services.GetRequiredService<IndicatorStore>();
        await store.SeedAsync(PlanCatalog.Indicators, PlanCatalog.Version + 1, PlanCatalog.Agencies);
        var kept = (await store.FindAsync("business-funded-higher-ed-rd-share"))!;
        Assert.Equal(("高等教育機関の研究開発費に占める企業負担割合", "科学技術研究調査（総務省）"), (kept.Name, kept.Source));

        Assert.Equal(HttpStatusCode.Created, (await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""))).StatusCode);
        var text = Pdf.Flat(Pdf.Text(await (await app.AsStaff().GetAsync("/api/reports/2025")).Content.ReadAsByteArrayAsync()));
        Assert.Contains("高等教育機関の研究開発費に占める企業負担割合", text);
        Assert.Contains("資料：科学技術研究調査（総務省）", text);
    }

    [Fact]
    public async Task ANewAgency_IsRegisteredByAnAdmin_AndCanThenBeMadeResponsible()
    {
        var admin = app.AsAdmin();
        var unknown = await admin.PatchAsync("/api/indicators/public-private-rd-investment", Body("""{"agency": "MOF", "reason": "試験"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await JsonOf(unknown)).GetProperty("errors").TryGetProperty("agency", out _));

        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsync("/api/agencies/MOF", Body("""{"name": "財務省"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PatchAsync("/api/indicators/public-private-rd-investment", Body("""{"agency": "MOF", "reason": "試験"}"""))).StatusCode);
        Assert.Equal("財務省", (await JsonOf(await app.AsStaff().GetAsync("/api/indicators/public-private-rd-investment"))).GetProperty("agencyName").GetString());
    }

    [Fact]
    public async Task AnAgencyTokenForAnUnregisteredAgency_MaySubmitNothing()
    {
        var response = await app.AsAgency("NOWHERE").PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33}"""));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not registered", (await JsonOf(response)).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("""{"agency": "DIGITAL"}""", "reason")]
    [InlineData("""{"agency": "DIGITAL", "reason": "  "}""", "reason")]
    [InlineData("""{"reason": "なし"}""", "body")]
    [InlineData("""{"name": "", "reason": "空"}""", "name")]
    [InlineData("""{"name": "二行\nの名前", "reason": "改行"}""", "name")]
    [InlineData("""{"agency": "NOWHERE", "reason": "未登録"}""", "agency")]
    public async Task ACorrectionWithoutAReasonOrWithBadFields_IsRefused_AndChangesNothing(string body, string field)
    {
        var before = await app.StoreFingerprintAsync();
        var response = await app.AsAdmin().PatchAsync("/api/indicators/smart-city-municipalities", Body(body));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonOf(response)).GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
        Assert.Equal(before, await app.StoreFingerprintAsync());
    }

    [Fact]
    public async Task ConcurrentAdminEdits_AreEachWrittenOrRefusedAsAConflict_NeverA500()
    {
        var admin = app.AsAdmin();
        await app.ReadyAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(n => admin.PutAsync("/api/indicators/government-rd-investment/target",
            Body($$"""{"kind": "cumulative", "value": {{130 + n}}, "fromYear": 2026, "toYear": 2030, "reason": "並行{{n}}"}"""))));
        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.OK);
        foreach (var conflict in answers.Where(a => a.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("application/problem+json", conflict.Content.Headers.ContentType?.MediaType);
        }
        // Every accepted edit is in the audit trail, and only those.
        var changes = await JsonOf(await app.AsStaff().GetAsync("/api/indicators/government-rd-investment/changes"));
        Assert.Equal(answers.Count(a => a.StatusCode == HttpStatusCode.OK), changes.GetArrayLength());
    }
}
