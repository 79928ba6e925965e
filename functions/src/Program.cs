using Reporting.Features.Health;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Features.Reports;
using Reporting.Features.Reports.Rendering;
using Reporting.Features.Submissions;
using Reporting.Hosting;
using Reporting.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddLocalSettings(builder.Environment.ContentRootPath);

var mode = HostMode.Detect(builder.Configuration);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Loopback only: under the host, only the host calls us; standalone, it is a developer's machine.
    kestrel.Listen(System.Net.IPAddress.Loopback, mode.Port);
    kestrel.Limits.MaxRequestBodySize = 1 * 1024 * 1024;
});

builder.Services.AddSingleton(mode);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
{
    c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
    c.ProblemDetails.Extensions.TryAdd("traceId", c.HttpContext.TraceIdentifier);
});
builder.Services.AddReportingStorage(builder.Configuration);
builder.Services.AddReportingAuth(builder.Configuration);
builder.Services.Configure<ReportOptions>(builder.Configuration.GetSection(ReportOptions.Section));

builder.Services.AddSingleton<IndicatorStore>();
builder.Services.AddHostedService<CatalogSeeder>();
builder.Services.AddSingleton<ValueStore>();
builder.Services.AddSingleton<ProgressService>();
builder.Services.AddSingleton<ReportFonts>();
builder.Services.AddSingleton<ReportDocument>();
builder.Services.AddSingleton<ReportStore>();
builder.Services.AddSingleton<ReportService>();
if (!mode.UnderFunctionsHost)
{
    builder.Services.AddHostedService<AnnualReportScheduler>();
}

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();

// The host polls "/" until it answers before it sends invocations.
app.MapGet("/", (HostMode m) => TypedResults.Ok(new { service = "reporting", mode = m.Name })).AllowAnonymous().ExcludeFromDescription();
app.MapHealth();
app.MapIndicators().MapSubmissions();
app.MapReports();
app.MapProgress();
app.MapAnnualReport();

app.Logger.LogInformation("Reporting listening on http://127.0.0.1:{Port} ({Mode})", mode.Port, mode.Name);
app.Run();

public partial class Program;
