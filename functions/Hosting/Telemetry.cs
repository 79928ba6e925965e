using System.Diagnostics;
using System.Diagnostics.Metrics;
using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Reporting.Hosting;

/// <summary>
/// Traces, metrics and logs with OpenTelemetry, exported to Application Insights with the app's managed identity (the
/// Bicep disables local authentication, so no instrumentation key works). The app's own spans (report generation,
/// rendering, publishing) and the Azure SDK's storage spans sit under the invocation span of the function that caused
/// them. Off unless APPLICATIONINSIGHTS_CONNECTION_STRING or Telemetry:Enabled is set: locally nothing is
/// registered, so nothing is paid for at start-up.
/// </summary>
public static class Telemetry
{
    public const string Name = "Reporting";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Submitted values, tagged with the agency and the outcome (created, revised, unchanged, refused).</summary>
    public static readonly Counter<long> Submissions =
        Meter.CreateCounter<long>("reporting.submissions", unit: "{value}", description: "Values submitted, by agency and outcome");

    public static void RecordSubmission(string agency, string outcome, long count = 1) =>
        Submissions.Add(count, new KeyValuePair<string, object?>("agency", agency), new KeyValuePair<string, object?>("outcome", outcome));

    public static void AddReportingTelemetry(this Microsoft.Azure.Functions.Worker.Builder.FunctionsApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var connectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        var toAzureMonitor = !string.IsNullOrWhiteSpace(connectionString);
        if (!toAzureMonitor && !configuration.GetValue<bool>("Telemetry:Enabled"))
        {
            return;
        }
        // The Azure SDK emits a span per storage call only with this switch on.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        var console = configuration.GetValue<bool>("Telemetry:Console");
        TokenCredential? credential = toAzureMonitor ? Credential(configuration) : null;

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("reporting", serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing =>
            {
                tracing.AddSource(Name, "Azure.*", "Microsoft.Azure.Functions.Worker")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (toAzureMonitor) tracing.AddAzureMonitorTraceExporter(o => { o.ConnectionString = connectionString; o.Credential = credential; });
                if (console) tracing.AddConsoleExporter();
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Name).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (toAzureMonitor) metrics.AddAzureMonitorMetricExporter(o => { o.ConnectionString = connectionString; o.Credential = credential; });
                if (console) metrics.AddConsoleExporter();
            });
        // The worker's invocation spans, under the host's trace context (the host's own span is the request's).
        otel.UseFunctionsWorkerDefaults();
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
            if (toAzureMonitor) logging.AddAzureMonitorLogExporter(o => { o.ConnectionString = connectionString; o.Credential = credential; });
        });
    }

    /// <summary>
    /// The identity Application Insights accepts: the user-assigned one named by APPLICATIONINSIGHTS_AUTHENTICATION_STRING
    /// ("ClientId=…;Authorization=AAD", the form the Functions host reads), else the storage identity, else the system one.
    /// </summary>
    private static TokenCredential Credential(IConfiguration configuration)
    {
        var clientId = (configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"] ?? "").Split(';')
            .Select(part => part.Split('=', 2))
            .Where(kv => kv.Length == 2 && kv[0].Trim().Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(kv => kv[1].Trim())
            .FirstOrDefault() ?? configuration["Storage:ClientId"];
        return string.IsNullOrWhiteSpace(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }
}
