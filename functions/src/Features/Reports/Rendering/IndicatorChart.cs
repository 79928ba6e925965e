using System.Globalization;
using Reporting.Features.Indicators;
using ScottPlot;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// One indicator's chart, drawn by ScottPlot straight onto the PDF canvas so lines, markers and labels stay vector
/// graphics and text: every series over the years, each series' baseline, the target, and the path from the baseline
/// to the target that the plan requires (compound growth for values, linear for ranks).
/// </summary>
public static class IndicatorChart
{
    private static readonly string[] Palette = ["#1F4E79", "#C55A11", "#548235", "#7030A0"];
    private const string TargetColor = "#C00000";
    private static readonly object ScottPlotLock = new();

    /// <summary>What the chart shows, decided from the snapshot alone: the figure's texts are known before drawing.</summary>
    private sealed record Spec(
        IndicatorSnapshot Item,
        IReadOnlyList<(string Label, string Color, double[] Years, double[] Values)> Lines,
        IReadOnlyList<(string Label, string Color, double Year, double Value, bool Target)> Markers,
        IReadOnlyList<(string Label, double[] Years, double[] Values)> Trajectories,
        (string Label, double Value)? Bound,
        string XLabel,
        string YLabel,
        int FirstYear,
        int LastYear)
    {
        public IEnumerable<string> Texts =>
            Lines.Select(l => l.Label).Concat(Markers.Select(m => m.Label)).Concat(Trajectories.Select(t => t.Label))
                .Concat(Bound is { } b ? [b.Label] : []).Concat([XLabel, YLabel])
                // Tick labels are numbers: digits, separators, signs and the exponent ScottPlot may use.
                .Append("0123456789,.-−+E");
    }

    public static Figure Create(IndicatorSnapshot item, float height)
    {
        var spec = Build(item);
        return new Figure(height, spec.Texts.ToList(), (ctx, canvas, width, h) =>
        {
            // ScottPlot keeps process-wide state (typeface cache, font resolvers) and draws text through SkiaSharp's
            // legacy SKPaint API. Measured: 16 renderings of one snapshot on 8 threads gave 13 different PDFs of
            // ~490 KB, the charts drawn with another rendering's typeface (a third font embedded); locking only
            // plot.Render was not enough. Charts are a small part of a rendering, so they are drawn one at a time.
            lock (ScottPlotLock) Draw(spec, ctx.Fonts.ChartFamily, canvas, width, h);
        });
    }

    private static Spec Build(IndicatorSnapshot item)
    {
        var indicator = item.Definition;
        var multi = item.Series.Count > 1;
        var lines = new List<(string, string, double[], double[])>();
        var markers = new List<(string, string, double, double, bool)>();
        var trajectories = new List<(string, double[], double[])>();
        var years = new List<int>();

        for (var i = 0; i < item.Series.Count; i++)
        {
            var series = item.Series[i];
            var color = Palette[i % Palette.Length];
            if (series.Values.Count > 0)
            {
                lines.Add((multi ? series.Name : "実績値", color, series.Values.Select(v => (double)v.Year).ToArray(), series.Values.Select(v => v.Value).ToArray()));
                years.AddRange(series.Values.Select(v => v.Year));
            }
            // The base the assessment used (the base year's submitted value, or the plan's figure), so the chart and
            // the evaluation beside it start from the same point.
            var used = item.Progress.Series.FirstOrDefault(p => p.SeriesId == series.SeriesId)?.Components;
            var planned = indicator.BaselineFor(series.SeriesId);
            var (baseValue, baseYear) = used is { BaseValue: { } v, BaseYear: { } y } && used.Method != Progress.ProgressMethod.CumulativeProRata
                ? (v, y)
                : planned is { Value: { } pv } ? (pv, planned.Year) : (double.NaN, 0);
            if (double.IsFinite(baseValue))
            {
                markers.Add((multi ? $"基準値（{series.Name}）" : "基準値", color, baseYear, baseValue, false));
                years.Add(baseYear);
                if (indicator.Target is { Kind: TargetKind.Reach, Value: { } yT, Year: { } T } && T > baseYear)
                {
                    // The path the target requires: compound growth for values, a straight line for ranks.
                    var path = Enumerable.Range(baseYear, T - baseYear + 1).Select(y => (double)y).ToArray();
                    var rank = indicator.ValueKind == ValueKind.Rank || baseValue <= 0 || yT <= 0;
                    var values = path.Select(y => rank
                        ? baseValue + (yT - baseValue) * (y - baseYear) / (T - baseYear)
                        : baseValue * Math.Pow(yT / baseValue, (y - baseYear) / (T - baseYear))).ToArray();
                    if (values.All(double.IsFinite))
                    {
                        trajectories.Add((multi ? $"目標への経路（{series.Name}）" : "目標への経路", path, values));
                    }
                }
            }
        }

        (string, double)? bound = null;
        var target = indicator.Target;
        if (target is { Kind: TargetKind.Reach, Value: { } targetValue, Year: { } targetYear })
        {
            markers.Add(("目標", TargetColor, targetYear, targetValue, true));
            years.Add(targetYear);
        }
        else if (target is { Kind: TargetKind.KeepRank, Value: { } limit })
        {
            bound = ($"目標（第{limit:0}位以内）", limit);
            if (target.Year is { } y) years.Add(y);
        }
        else if (target is { Kind: TargetKind.Cumulative, Value: { } total, FromYear: { } from, ToYear: { } to })
        {
            // A yearly chart cannot show a total: show the yearly pace the total requires over its period.
            var pace = total / (to - from + 1);
            trajectories.Add(($"目標の年平均（{ValueFormat.Number(pace)}）", [from, to], [pace, pace]));
            years.Add(from);
            years.Add(to);
        }
        if (years.Count == 0)
        {
            years.Add(item.Progress.Series.FirstOrDefault()?.Components.CurrentYear ?? 2025);
        }
        return new Spec(item, lines, markers, trajectories, bound,
            indicator.YearType == YearType.Fiscal ? "年度" : "年",
            indicator.ValueKind == ValueKind.Rank ? "順位（位）" : indicator.Unit,
            years.Min(), years.Max());
    }

    private static void Draw(Spec spec, string family, SKCanvas canvas, float width, float height)
    {
        var indicator = spec.Item.Definition;
        var rank = indicator.ValueKind == ValueKind.Rank;
        var plot = new Plot();
        plot.Font.Set(family);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = Color.FromHex("#E3E3E3");

        var values = new List<double>();
        foreach (var (label, years, ys) in spec.Trajectories)
        {
            var path = plot.Add.Scatter(years, ys);
            path.Color = Color.FromHex("#D86A6A"); // solid: transparency makes Skia emit soft-mask groups per chart
            path.LinePattern = LinePattern.Dashed;
            path.LineWidth = 1.1f;
            path.MarkerSize = 0;
            path.LegendText = label;
            values.AddRange(ys);
        }
        foreach (var (label, color, years, ys) in spec.Lines)
        {
            var line = plot.Add.Scatter(years, ys);
            line.Color = Color.FromHex(color);
            line.LineWidth = 1.6f;
            line.MarkerSize = 5;
            line.LegendText = label;
            values.AddRange(ys);
        }
        foreach (var (label, color, year, value, isTarget) in spec.Markers)
        {
            var marker = plot.Add.Marker(year, value);
            marker.MarkerShape = isTarget ? MarkerShape.FilledDiamond : MarkerShape.OpenSquare;
            marker.MarkerSize = isTarget ? 10 : 9;
            marker.Color = Color.FromHex(color);
            marker.LegendText = label;
            values.Add(value);
        }
        if (spec.Bound is { } b)
        {
            var line = plot.Add.HorizontalLine(b.Value);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Color.FromHex(TargetColor);
            line.LineWidth = 1.2f;
            line.LegendText = b.Label;
            values.Add(b.Value);
        }

        plot.Axes.SetLimitsX(spec.FirstYear - 0.6, spec.LastYear + 0.6);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(Math.Max(1, (int)Math.Ceiling((spec.LastYear - spec.FirstYear + 1) / 8.0)))
        {
            LabelFormatter = v => v.ToString("0", CultureInfo.InvariantCulture),
        };
        plot.Axes.Bottom.Label.Text = spec.XLabel;
        plot.Axes.Left.Label.Text = spec.YLabel;
        plot.Axes.Bottom.Label.FontSize = 10;
        plot.Axes.Left.Label.FontSize = 10;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 9;
        plot.Axes.Left.TickLabelStyle.FontSize = 9;

        // The legend sits inside the axes in one row; the value range is padded on the legend's side so it never
        // hides a point: above the data, or below it for ranks (first place is drawn at the top).
        if (values.Count > 0)
        {
            var lo = values.Min();
            var hi = values.Max();
            var span = Math.Max(hi - lo, Math.Abs(hi) * 0.1 + (rank ? 2 : 1e-9));
            if (rank) plot.Axes.SetLimitsY(hi + 1 + span * 0.6, Math.Max(0.5, lo - 1));
            else plot.Axes.SetLimitsY(Math.Max(0, lo - span * 0.15), hi + span * 0.6);
        }
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = rank ? Alignment.LowerLeft : Alignment.UpperLeft;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.FontSize = 8.5f;
        plot.Legend.FontName = family;
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Left.Label.Bold = false;
        // ScottPlot lays a new plot out in a first render and draws again when that changed the layout; on a PDF
        // canvas both would be written. Settle the layout on a canvas that draws nothing, then draw once.
        using (var settle = new SKNoDrawCanvas((int)width, (int)height))
        {
            plot.Render(settle, (int)width, (int)height);
        }
        plot.Render(canvas, (int)width, (int)height);
    }
}
