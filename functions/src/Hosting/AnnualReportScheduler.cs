using NCrontab;
using Reporting.Features.Reports;
using Reporting.Infrastructure;

namespace Reporting.Hosting;

/// <summary>
/// Standalone only: runs the AnnualReport schedule in-process, from the same AnnualReportSchedule setting the host's
/// timer trigger reads (six-field NCRONTAB, evaluated in UTC as the host on Linux does).
/// </summary>
public sealed class AnnualReportScheduler(IConfiguration configuration, IServiceProvider services, TimeProvider clock, ILogger<AnnualReportScheduler> logger)
    : BackgroundService
{
    public const string Setting = "AnnualReportSchedule";

    public static CrontabSchedule Parse(string expression) =>
        CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = expression.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var expression = configuration[Setting];
        if (string.IsNullOrWhiteSpace(expression))
        {
            logger.LogWarning("{Setting} is not set: the annual report runs only on demand", Setting);
            return;
        }
        var schedule = Parse(expression);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            logger.LogInformation("Next AnnualReport run at {NextUtc:O} (Japan time {NextJst:O})", next, JapanTime.ToJapan(next));
            try
            {
                // Task.Delay cannot wait ~50 days at once and an annual schedule may be further away: wait in steps.
                for (var remaining = next - now; remaining > TimeSpan.Zero; remaining = next - clock.GetUtcNow())
                {
                    await Task.Delay(remaining < TimeSpan.FromDays(1) ? remaining : TimeSpan.FromDays(1), clock, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                await using var scope = services.CreateAsyncScope();
                var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
                var (info, created) = await reports.GenerateAsync(JapanTime.LatestCompletedFiscalYear(clock), "timer", stoppingToken);
                logger.LogInformation("Scheduled annual report: {ReportId} ({Outcome})", info.Id, created ? "new" : "unchanged data, no new report");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Scheduled annual report failed; next attempt at the next occurrence");
            }
        }
    }
}
