using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Reporting.Features.Health;
using Reporting.Features.Completeness;
using Reporting.Features.Imports;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Features.Reports;
using Reporting.Features.Reports.Rendering;
using Reporting.Features.Submissions;
using Reporting.Hosting;
using Reporting.Infrastructure;

// Nothing we print or parse may depend on the machine's locale (LANG=de_DE would print 16.000 for 16,000).
System.Globalization.CultureInfo.DefaultThreadCurrentCulture = System.Globalization.CultureInfo.InvariantCulture;
System.Globalization.CultureInfo.DefaultThreadCurrentUICulture = System.Globalization.CultureInfo.InvariantCulture;

if (args is [RenderCommand.Verb, .. var renderArgs])
{
    return RenderCommand.Run(renderArgs);
}

// The content root is the app's own folder, not the working directory: the host starts us in the function app root,
// and watching a large tree for configuration changes costs start-up time the Functions host waits for.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddLocalSettings(builder.Environment.ContentRootPath);

var mode = HostMode.Detect(builder.Configuration);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Loopback only: under the host, only the host calls us; standalone, it is a developer's machine.
    kestrel.Listen(System.Net.IPAddress.Loopback, mode.Port);
    kestrel.Limits.MaxRequestBodySize = 1 * 1024 * 1024;
});

builder.AddReportingTelemetry();
builder.Services.AddSingleton(mode);
// Under the Functions host every request arrives through the host's proxy (YARP) on loopback, which says who the caller
// was and which host and scheme they used in X-Forwarded-*. Only that peer is believed: the same headers from anywhere
// else are ignored. Rate limits, the OpenAPI server URL and logs then see the real caller.
builder.Services.Configure<ForwardedHeadersOptions>(o =>
{
    o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
    o.KnownIPNetworks.Clear();
    o.KnownProxies.Clear();
    o.KnownProxies.Add(IPAddress.Loopback);
    o.KnownProxies.Add(IPAddress.IPv6Loopback);
});
builder.Services.AddReadinessChecks();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
{
    c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
    c.ProblemDetails.Extensions.TryAdd("traceId", c.HttpContext.TraceIdentifier);
});
builder.Services.AddExceptionHandler<RefusalExceptionHandler>();
builder.Services.AddExceptionHandler<StorageInterruptedHandler>();
builder.Services.AddReportingStorage(builder.Configuration);
builder.Services.AddReportingAuth(builder.Configuration);
builder.Services.AddReportingRateLimits(builder.Configuration);
builder.Services.AddReportingOpenApi(builder.Configuration);
builder.Services.Configure<ReportOptions>(builder.Configuration.GetSection(ReportOptions.Section));

builder.Services.AddSingleton<IndicatorStore>();
builder.Services.AddSingleton<IStartupTask, CatalogSeeder>();
builder.Services.AddSingleton<StartupGate>();
builder.Services.AddSingleton<FirstAnswer>();
builder.Services.AddHostedService<StartupTasks>();
builder.Services.Configure<SubmissionOptions>(builder.Configuration.GetSection(SubmissionOptions.Section));
builder.Services.AddSingleton<LatestValues>();
builder.Services.AddSingleton<ValueStore>();
builder.Services.AddSingleton<SubmissionControls>();
builder.Services.AddSingleton<SubmitValues>();
builder.Services.AddSingleton<PublishReport>();
builder.Services.AddSingleton<ProgressService>();
builder.Services.AddSingleton<ReportFonts>();
builder.Services.AddSingleton(services => services.GetRequiredService<ReportFonts>().Repertoire);
builder.Services.AddSingleton<ReportDocument>();
builder.Services.AddSingleton<ReportRenderer>();
builder.Services.AddSingleton<ReportStore>();
builder.Services.AddSingleton<ReportCoordinator>();
builder.Services.AddSingleton<ReportService>();
builder.Services.AddHostedService<ReportWarmup>();
if (!mode.UnderFunctionsHost)
{
    builder.Services.AddHostedService<AnnualReportScheduler>();
}

var app = builder.Build();

app.UseForwardedHeaders();
app.Use((context, next) =>
{
    // Every answer is what its Content-Type says (no sniffing), and API answers are for their caller only.
    context.Response.OnStarting(() =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        if (string.IsNullOrEmpty(headers.CacheControl) && context.Request.Path.StartsWithSegments("/api") && context.Request.Path != "/api/openapi.json")
        {
            headers.CacheControl = "no-store";
        }
        return Task.CompletedTask;
    });
    return next(context);
});
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    // Clients get a status and a generic problem: never a stack trace or a storage error message.
    StatusCodeSelector = ex => ex switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when StorageFaults.IsUnavailable(ex) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    },
});
app.UseStatusCodePages();
app.UseStartupGate();
app.UseAuthentication();
app.UseRateLimiter();
app.UseAuthorization();

// The host polls "/" until it answers before it sends invocations.
app.MapGet("/", (HostMode m) => TypedResults.Ok(new ReadinessAnswer("reporting", m.Name))).AllowAnonymous().ExcludeFromDescription();
app.MapHealth();
app.MapIndicators().MapSubmissions();
app.MapReports();
app.MapProgress();
app.MapWindows();
app.MapCompleteness();
app.MapImports();
// The description of the API is not data: API Management and client generators import it by URL, without a token.
app.MapOpenApi("/api/openapi.json").AllowAnonymous();
app.MapAnnualReport();

app.Logger.LogInformation("Reporting listening on http://127.0.0.1:{Port} ({Mode})", mode.Port, mode.Name);
app.Run();
return 0;

public partial class Program;

/// <summary>The answer to the Functions host's readiness probe.</summary>
public sealed record ReadinessAnswer(string Service, string Mode);
