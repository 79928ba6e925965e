using System.Diagnostics;
using Microsoft.Extensions.Options;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;

namespace Reporting.Features.Reports;

/// <summary>
/// Renders a small throw-away report in the background once the process has answered its first request, so the first real report does
/// not pay for loading the fonts and the native libraries (Skia, HarfBuzz) and for compiling the layout and chart code
/// — on a fresh instance that is most of the first report's time. Nothing is stored.
/// </summary>
public sealed class ReportWarmup(ReportService reports, Hosting.FirstAnswer firstAnswer, IOptions<ReportOptions> options, TimeProvider clock,
    ILogger<ReportWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WarmUpOnStart) return;
        // Not before the first answer: the Functions host waits for that one, and on two cores the warm-up would slow it.
        await firstAnswer.Answered.WaitAsync(stoppingToken);
        var watch = Stopwatch.StartNew();
        try
        {
            var pdf = await Task.Run(() => reports.Render(Sample(clock.GetUtcNow())).Pdf, stoppingToken);
            logger.LogInformation("Report rendering warmed up in {Milliseconds} ms ({Bytes} bytes, discarded)", watch.ElapsedMilliseconds, pdf.Length);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failure here will show again, with its context, in the first real report: only note it.
            logger.LogWarning(ex, "Report warm-up failed after {Milliseconds} ms", watch.ElapsedMilliseconds);
        }
    }

    /// <summary>Two indicators of the plan (a rank and a share) with three synthetic years: every component is exercised.</summary>
    private static ReportSnapshot Sample(DateTimeOffset now)
    {
        var items = PlanCatalog.Indicators.Where(i => i.Id is "top10-papers-rank" or "research-time-share").Select(indicator =>
        {
            var observations = indicator.Series.ToDictionary(s => s.Id, s => (IReadOnlyList<Observation>)
                Enumerable.Range(2022, 3).Select(y => new Observation(y, indicator.ValueKind == ValueKind.Rank ? 13 - (y - 2022) : 30 + (y - 2022))).ToList());
            return new IndicatorSnapshot(indicator,
                indicator.Series.Select(s => new SeriesSnapshot(s.Id, s.Name,
                    observations[s.Id].Select(o => new ValuePoint(o.Year, o.Value, "試行", 1, indicator.Agency, now)).ToList())).ToList(),
                ProgressAssessor.Assess(indicator, observations));
        }).ToList();
        return new ReportSnapshot(2024, now, "warm-up", "warm-up", items);
    }
}
