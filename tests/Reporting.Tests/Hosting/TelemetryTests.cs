using static Reporting.Tests.Infrastructure.Requests;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using OpenTelemetry.Trace;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Hosting;

/// <summary>
/// With telemetry on (in Azure: Application Insights), a submission and a report generation are each one trace: the
/// request span of the worker's ASP.NET Core side, the app's own spans, and a span per storage call beneath it; accepted
/// and refused submissions are counted per agency.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly List<Activity> exported = [];
    private readonly ReportingApp app;

    public TelemetryTests()
    {
        app = new ReportingApp(new Dictionary<string, string> { ["Telemetry:Enabled"] = "true" })
        {
            TestServices = services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)),
        };
    }

    public void Dispose() => app.Dispose();

    private async Task<List<Activity>> TraceOf(HttpResponseMessage response, string route)
    {
        // The server span ends as the response completes: wait for the exporter to have it.
        for (var i = 0; i < 100; i++)
        {
            lock (exported)
            {
                // The worker's ASP.NET Core request span, named by the function's route template (api/…).
                var server = exported.LastOrDefault(a => a.Kind == ActivityKind.Server && a.DisplayName.Contains(route.TrimStart('/'), StringComparison.Ordinal));
                if (server is not null) return exported.Where(a => a.TraceId == server.TraceId).ToList();
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no server span for {route} among {exported.Count} exported");
    }

    [Fact]
    public async Task ASubmission_IsOneTrace_WithTheRequestAndItsStorageSpans_AndIsCounted()
    {
        var measured = new List<(long Value, string Agency, string Outcome)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == "Reporting") l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => p.Value?.ToString() ?? "");
            lock (measured) measured.Add((value, t.GetValueOrDefault("agency", ""), t.GetValueOrDefault("outcome", "")));
        });
        listener.Start();

        await app.ReadyAsync();
        var mext = app.AsAgency("MEXT");
        var put = await mext.PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 33.1}"""));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        var trace = await TraceOf(put, "/api/indicators/{id}/values/{year}");
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, (await mext.PutAsync("/api/indicators/research-time-share/values/2025", Body("""{"value": 333}"""))).StatusCode);
        lock (measured)
        {
            Assert.Contains((1L, "MEXT", "created"), measured);
            Assert.Contains((1L, "MEXT", "refused"), measured);
        }
    }

    [Fact]
    public async Task AReportGeneration_IsOneTrace_WithGenerateRenderAndBlobSpans()
    {
        await app.ReadyAsync();
        var created = await app.AsStaff().PostAsync("/api/reports", Body("""{"fiscalYear": 2025}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var trace = await TraceOf(created, "/api/reports");
        var generate = Assert.Single(trace, a => a.DisplayName == "report.generate");
        Assert.Equal(2025, generate.GetTagItem("reporting.fiscal_year"));
        var render = Assert.Single(trace, a => a.DisplayName == "report.render");
        Assert.Equal(generate.SpanId, render.ParentSpanId);
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Azure.Storage.Blobs", StringComparison.Ordinal));
        Assert.Contains(trace, a => a.Source.Name.StartsWith("Azure.Data.Tables", StringComparison.Ordinal));
    }
}
