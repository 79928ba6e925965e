using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Azure.Functions.Worker.Invocation;
using Reporting.Features.Health;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Features.Reports;
using Reporting.Features.Reports.Rendering;
using Reporting.Features.Imports;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;
using Reporting.Infrastructure.Middleware;

namespace Reporting.Hosting;

/// <summary>
/// The app as an Azure Functions isolated worker: the ASP.NET Core integration for HTTP triggers, the worker middleware
/// every invocation passes (problems, start-up, caller checks), and the services the functions are built from. Program.cs
/// and the tests' in-process workers build the app with this one method.
/// </summary>
public static class ReportingWorker
{
    public static FunctionsApplicationBuilder AddReporting(this FunctionsApplicationBuilder builder)
    {
        builder.ConfigureFunctionsWebApplication();
        // After the ASP.NET Core integration, so that each sees the invocation's HttpContext; in this order.
        builder.UseMiddleware<ProblemResponses>();
        builder.UseMiddleware<StartupWait>();
        builder.UseMiddleware<CallerChecks>();

        // The generated function index and executor, registered here too: the worker finds them through the entry
        // assembly, which in the tests' in-process workers is the test runner.
        builder.Services.AddSingleton<IFunctionMetadataProvider, GeneratedFunctionMetadataProvider>();
        builder.Services.AddSingleton<IFunctionExecutor, DirectFunctionExecutor>();

        var configuration = builder.Configuration;
        var services = builder.Services;
        builder.AddReportingTelemetry();
        services.AddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o => Json.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions.TryAdd("traceId", c.HttpContext.TraceIdentifier);
        });
        services.AddReadinessChecks();
        services.AddReportingStorage(configuration);
        services.AddReportingAuth(configuration);
        services.Configure<RateLimitOptions>(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<RequestQuota>();
        services.AddSingleton<ApiDocument>();
        services.Configure<ReportOptions>(configuration.GetSection(ReportOptions.Section));

        services.AddSingleton<IndicatorStore>();
        services.AddSingleton<IStartupTask, CatalogSeeder>();
        services.AddSingleton<StartupGate>();
        services.AddSingleton<FirstAnswer>();
        services.AddHostedService<StartupTasks>();
        services.Configure<SubmissionOptions>(configuration.GetSection(SubmissionOptions.Section));
        services.AddSingleton<LatestValues>();
        services.AddSingleton<ValueStore>();
        services.AddSingleton<SubmissionControls>();
        services.AddSingleton<SubmitValues>();
        services.AddSingleton<ImportValues>();
        services.AddSingleton<SetWindow>();
        services.AddSingleton<Features.Submissions.Pages.AgencyDesk>();
        services.AddSingleton<CorrectIndicator>();
        services.AddSingleton<SetTarget>();
        services.AddSingleton<SetAgency>();
        services.AddSingleton<PublishReport>();
        services.AddSingleton<DownloadReport>();
        services.AddSingleton<ProgressService>();
        services.AddSingleton<ReportFonts>();
        services.AddSingleton(sp => sp.GetRequiredService<ReportFonts>().Repertoire);
        services.AddSingleton<ReportDocument>();
        services.AddSingleton<ReportRenderer>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<ReportCoordinator>();
        services.AddSingleton<ReportService>();
        services.AddHostedService<ReportWarmup>();
        return builder;
    }
}
