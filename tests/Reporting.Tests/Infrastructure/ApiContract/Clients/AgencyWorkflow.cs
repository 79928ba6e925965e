// Compiled at test time with the C# clients NSwag generates from the served API description (GeneratedClientTests):
// this is the code an agency's and the secretariat's developers would write against their generated client, as is.
// Agency.Reporting is generated with NSwag's defaults (System.Text.Json); Agency.Reporting.Wrapped with
// wrapResponses, which gives the status code and headers of every answer.
using System.Text;
using Agency.Reporting;
using Xunit;
using Wrapped = Agency.Reporting.Wrapped;

namespace Agency.Workflow;

public static class AgencyWorkflow
{
    /// <summary>The agency's and the staff's whole year, through the generated clients only.</summary>
    public static async Task RunAsync(HttpClient agencyHttp, HttpClient staffHttp, HttpClient adminHttp)
    {
        var agency = new ReportingClient(agencyHttp) { BaseUrl = agencyHttp.BaseAddress!.ToString() };
        var staff = new ReportingClient(staffHttp) { BaseUrl = staffHttp.BaseAddress!.ToString() };
        var admin = new ReportingClient(adminHttp) { BaseUrl = adminHttp.BaseAddress!.ToString() };

        // Health and readiness, without a token's roles mattering.
        Assert.Equal("ok", (await agency.GetHealthAsync()).Status);
        Assert.Equal("healthy", (await agency.GetReadinessAsync()).Status);

        // The catalog, with enums read as strings.
        var indicators = await agency.ListIndicatorsAsync();
        Assert.Equal(18, indicators.Count);
        var share = indicators.Single(i => i.Id == "research-time-share");
        Assert.Equal(IndicatorGroup.Research, share.Group);
        Assert.Equal(ValueKind.Percentage, share.ValueKind);
        Assert.Equal(YearType.Fiscal, share.YearType);
        Assert.Equal("MEXT", share.Agency);
        Assert.Equal(1, share.Decimals);
        var doctoral = await agency.GetIndicatorAsync("doctoral-students-degrees");
        Assert.Equal(["enrolments", "degrees"], doctoral.Series.Select(s => s.Id));

        // A new value: typed 201 (the value with its ETag), created only if there was none (If-None-Match: *).
        var created = await agency.SubmitValueAsync("research-time-share", 2024, null, "*",
            new SubmitValueRequest { Value = 33.5, Status = ValueStatus.Provisional, Note = "速報値" });
        Assert.Equal(33.5, created.Value);
        Assert.Equal(ValueStatus.Provisional, created.Status);
        Assert.Equal(1, created.Revision);
        Assert.False(string.IsNullOrEmpty(created.ETag));
        var read = await agency.GetValueAsync("research-time-share", 2024, null, null);
        Assert.Equal(created.ETag, read.ETag);

        // Revised with If-Match: 200 with the new revision.
        var revised = await agency.SubmitValueAsync("research-time-share", 2024, created.ETag, null,
            new SubmitValueRequest { Value = 34.1, Status = ValueStatus.Final, Note = "確報値" });
        Assert.Equal(2, revised.Revision);
        Assert.Equal(34.1, revised.Value);
        Assert.NotEqual(created.ETag, revised.ETag);

        // A stale If-Match: a typed 412 problem, and nothing changes.
        var stale = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => agency.SubmitValueAsync("research-time-share", 2024, created.ETag, null,
            new SubmitValueRequest { Value = 35.0 }));
        Assert.Equal(412, stale.StatusCode);
        Assert.Equal(412, stale.Result.Status);
        Assert.False(string.IsNullOrEmpty(stale.Result.Detail));
        Assert.Equal(34.1, (await agency.GetValueAsync("research-time-share", 2024, null, null)).Value);

        // An invalid value: a typed 400 naming the field.
        var invalid = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() => agency.SubmitValueAsync("research-time-share", 2023, null, null,
            new SubmitValueRequest { Value = 250 }));
        Assert.Equal(400, invalid.StatusCode);
        Assert.True(invalid.Result.Errors.ContainsKey("value"), string.Join(", ", invalid.Result.Errors.Keys));
        // A series the indicator needs, left out: 400 naming series.
        var noSeries = await Assert.ThrowsAsync<ApiException<HttpValidationProblemDetails>>(() => agency.SubmitValueAsync("doctoral-students-degrees", 2024, null, null,
            new SubmitValueRequest { Value = 15000 }));
        Assert.True(noSeries.Result.Errors.ContainsKey("series"));
        // Another agency's indicator: a typed 403.
        var notOurs = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => agency.SubmitValueAsync("pph-partner-rank", 2024, null, null,
            new SubmitValueRequest { Value = 5 }));
        Assert.Equal(403, notOurs.StatusCode);

        // The history of a value.
        var history = await agency.ListValuesAsync("research-time-share", true);
        var value2024 = history.Values.Single(v => v.Year == 2024);
        Assert.Equal([33.5, 34.1], value2024.History.Select(h => h.Value)); // oldest first
        Assert.Equal(ValueStatus.Final, value2024.Status);

        // A CSV import, checked first (dry run: nothing written), then for real; then JSON rows.
        const string csv = "indicator,series,year,value,status,note\n"
            + "doctoral-students-degrees,enrolments,2024,\"15,020\",provisional,速報値\n"
            + "doctoral-students-degrees,degrees,2023,15100,final,\n"
            + "research-time-share,,2023,101,final,\n";
        var dry = await agency.ImportCsvAsync(true, new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        Assert.True(dry.DryRun);
        Assert.Equal((3, 2, 1), (dry.Rows, dry.Accepted, dry.Rejected));
        Assert.Equal(RowOutcome.Rejected, dry.Results.Single(r => r.Row == 3).Outcome);
        Assert.Equal("value", dry.Results.Single(r => r.Row == 3).Errors.Single().Field);
        await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => agency.GetValueAsync("doctoral-students-degrees", 2024, "enrolments", null));
        var imported = await agency.ImportCsvAsync(false, new MemoryStream(Encoding.UTF8.GetBytes(csv)));
        Assert.Equal(2, imported.Accepted);
        Assert.Equal(15020, (await agency.GetValueAsync("doctoral-students-degrees", 2024, "enrolments", null)).Value);
        var rows = await agency.ImportRowsAsync(false,
        [
            new ImportRowRequest { Indicator = "research-time-share", Year = 2025, Value = 35.2, Status = ValueStatus.Provisional, Note = "JSON行" },
            new ImportRowRequest { Indicator = "doctoral-students-degrees", Series = "degrees", Year = 2024, Value = 15200 },
        ]);
        Assert.Equal((2, 0), (rows.Accepted, rows.Rejected));
        Assert.All(rows.Results, r => Assert.Equal(WriteKind.Created, r.Change));

        // The administrator: a submission window, a target, a catalog correction; all typed, all audited.
        var window = await admin.SetWindowAsync(2026, new SetWindowRequest { OpensOn = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), ClosesOn = new DateTimeOffset(2027, 3, 31, 0, 0, 0, TimeSpan.Zero) });
        Assert.Equal(2026, window.FiscalYear);
        Assert.Contains(await agency.ListWindowsAsync(), w => w.FiscalYear == 2026);
        var smartCity = await admin.SetTargetAsync("smart-city-municipalities", new SetTargetRequest { Kind = TargetKind.Reach, Value = 300, Year = 2030, Reason = "CSTI決定" });
        Assert.Equal(TargetKind.Reach, smartCity.Target.Kind);
        Assert.Equal(300, smartCity.Target.Value);
        var corrected = await admin.CorrectIndicatorAsync("smart-city-municipalities", new CorrectIndicatorRequest { Source = "内閣府調べ（令和7年度）", Reason = "出典の表記を統一" });
        Assert.Equal("内閣府調べ（令和7年度）", corrected.Source);
        Assert.Contains(await agency.ListIndicatorChangesAsync("smart-city-municipalities"), c => c.Field == CatalogField.Target);
        var mof = await admin.SetAgencyAsync("MOF", new SetAgencyRequest { Name = "財務省" });
        Assert.Equal(("MOF", "財務省"), (mof.Code, mof.Name));
        Assert.Contains(await agency.ListAgenciesAsync(), a => a.Code == "MEXT");
        // An agency may not generate reports: a typed 403.
        Assert.Equal(403, (await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => agency.ListReportsAsync())).StatusCode);

        // The secretariat: completeness, progress, the report (PDF bytes, CSV), publication.
        var completeness = await staff.GetCompletenessAsync(2025);
        Assert.Equal(2025, completeness.FiscalYear);
        Assert.Contains(completeness.Agencies, a => a.Agency == "MEXT" && a.Submitted >= 4);
        var progress = await staff.GetProgressAsync(2025);
        Assert.Equal(18, progress.Count);
        Assert.Contains(progress, p => p.IndicatorId == "research-time-share" && p.Series.Single().Components.CurrentYear == 2025 && p.Series.Single().Components.CurrentValue == 35.2);

        var report = await staff.CreateReportAsync(new CreateReportRequest { FiscalYear = 2025 });
        Assert.Equal(ReportStatus.Draft, report.Status);
        Assert.Equal(2025, report.FiscalYear);
        Assert.Contains(await staff.ListReportsAsync(), r => r.Id == report.Id);
        byte[] pdf;
        using (var file = await staff.DownloadReportAsync(2025, null, null))
        using (var bytes = new MemoryStream())
        {
            Assert.Equal(200, file.StatusCode);
            Assert.Equal("application/pdf", file.Headers["Content-Type"].Single());
            await file.Stream.CopyToAsync(bytes);
            pdf = bytes.ToArray();
        }
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));
        Assert.Equal(report.Size, pdf.Length);
        using (var file = await staff.DownloadReportAsync(2025, report.Id, Format.Csv))
        using (var reader = new StreamReader(file.Stream, Encoding.UTF8))
        {
            var text = await reader.ReadToEndAsync();
            Assert.Contains("research-time-share", text);
        }
        using (var file = await staff.DownloadReportAsync(2025, report.Id, Format.Snapshot))
        using (var reader = new StreamReader(file.Stream, Encoding.UTF8))
        {
            Assert.StartsWith("{\"fiscalYear\":2025,", await reader.ReadToEndAsync());
        }
        var published = await staff.PublishReportAsync(2025, new PublishReportRequest { Id = report.Id });
        Assert.Equal(ReportStatus.Final, published.Status);
        // The year is locked for agencies: a typed 409 that says so.
        var locked = await Assert.ThrowsAsync<ApiException<ProblemDetails>>(() => agency.SubmitValueAsync("research-time-share", 2025, null, null,
            new SubmitValueRequest { Value = 36 }));
        Assert.Equal(409, locked.StatusCode);
        Assert.Contains(report.Id, locked.Result.Detail);

        // With wrapResponses the status code and the headers are there too: 201 with ETag and Location, 200 on a revision.
        var wrapped = new Wrapped.ReportingClient(agencyHttp) { BaseUrl = agencyHttp.BaseAddress!.ToString() };
        var first = await wrapped.SubmitValueAsync("women-professors-share", 2023, null, null, new Wrapped.SubmitValueRequest { Value = 20.5 });
        Assert.Equal(201, first.StatusCode);
        Assert.Equal(first.Result.ETag, first.Headers["ETag"].Single());
        Assert.Contains("/api/indicators/women-professors-share/values/2023", first.Headers["Location"].Single());
        var second = await wrapped.SubmitValueAsync("women-professors-share", 2023, first.Result.ETag, null, new Wrapped.SubmitValueRequest { Value = 20.6 });
        Assert.Equal(200, second.StatusCode);
        Assert.Equal(second.Result.ETag, second.Headers["ETag"].Single());
    }
}
