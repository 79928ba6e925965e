using System.Text.Json;
using System.Text.Json.Serialization;
using Reporting.Features.Reports;
using Reporting.Infrastructure;

namespace Reporting.Hosting;

/// <summary>The custom-handler invocation payload the Functions host POSTs to /{FunctionName} for non-HTTP triggers.</summary>
public sealed record InvocationRequest(
    [property: JsonPropertyName("Data")] Dictionary<string, JsonElement>? Data,
    [property: JsonPropertyName("Metadata")] Dictionary<string, JsonElement>? Metadata);

/// <summary>The reply the host expects: outputs by binding name, log lines, and a return value. Any non-2xx fails the invocation.</summary>
public sealed record InvocationResponse(
    [property: JsonPropertyName("Outputs")] Dictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    // Written even when null, as the host's own invocation responses are (the app's JSON otherwise omits nulls).
    [property: JsonPropertyName("ReturnValue"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? ReturnValue);

/// <summary>
/// The <c>AnnualReport</c> timer function: generates the report of the latest completed fiscal year (Japan time).
/// The Functions host calls it on the NCRONTAB schedule of the AnnualReportSchedule app setting; standalone,
/// <see cref="AnnualReportScheduler"/> does.
/// </summary>
public static class AnnualReportFunction
{
    public const string Name = "AnnualReport";

    public static IEndpointRouteBuilder MapAnnualReport(this IEndpointRouteBuilder app)
    {
        // Not under /api: the host calls functions by name on loopback, and never proxies an outside request here.
        app.MapPost($"/{Name}", Invoke).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    internal static async Task<IResult> Invoke(HttpRequest request, ReportService reports, TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("Reporting.AnnualReport");
        InvocationRequest? invocation = null;
        try
        {
            invocation = await JsonSerializer.DeserializeAsync(request.Body, Json.Info<InvocationRequest>(), cancellationToken);
        }
        catch (JsonException ex)
        {
            logger.LogWarning(ex, "AnnualReport invocation body is not the host's JSON payload");
            return TypedResults.Json(new InvocationResponse([], ["Invocation payload is not valid JSON."], null), Json.Info<InvocationResponse>(), statusCode: StatusCodes.Status400BadRequest);
        }

        var pastDue = invocation?.Data?.Values.Any(v => v.ValueKind == JsonValueKind.Object && v.TryGetProperty("IsPastDue", out var p) && p.ValueKind == JsonValueKind.True) == true;
        var fiscalYear = JapanTime.LatestCompletedFiscalYear(clock);
        try
        {
            var (info, created) = await reports.GenerateAsync(fiscalYear, pastDue ? "timer (past due)" : "timer", cancellationToken);
            var line = created
                ? $"Annual report for FY{fiscalYear} ({JapanTime.FiscalYearLabel(fiscalYear)}) stored as {info.Id}, {info.Size} bytes."
                : $"Annual report for FY{fiscalYear} ({JapanTime.FiscalYearLabel(fiscalYear)}) is up to date: {info.Id} already shows the current data.";
            return TypedResults.Json(new InvocationResponse([], [line], null), Json.Info<InvocationResponse>());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Annual report for FY{FiscalYear} failed", fiscalYear);
            return TypedResults.Json(new InvocationResponse([], [$"Annual report for FY{fiscalYear} failed: {ex.GetType().Name}."], null), Json.Info<InvocationResponse>(),
                statusCode: StatusCodes.Status500InternalServerError);
        }
    }
}
