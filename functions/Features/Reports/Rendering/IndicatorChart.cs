using System.Globalization;
using Reporting.Features.Indicators;
using ScottPlot;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// One indicator's chart, drawn by ScottPlot straight onto the PDF canvas so lines, markers and labels stay vector
/// graphics and text: every series over the years (provisional values as hollow markers), each series' base, the
/// target, and the path from the base to the target that the plan requires (compound growth for values, linear for
/// ranks). The legend sits below the plot, where it can hide nothing; the unit is set horizontally above the axis; tick
/// labels are computed here (whole ranks, the indicator's own number format, invariant of the machine's locale).
/// An indicator without any value or base gets no chart but a framed 「データなし」.
/// </summary>
public static class IndicatorChart
{
    private static readonly string[] Palette = ["#1F4E79", "#C55A11", "#548235", "#7030A0"];
    private const string TargetColor = "#C00000";
    private const string PathColor = "#D86A6A";
    private static readonly TextStyle UnitStyle = new(7.5f, Color: 0xFF444444, LineHeight: 1.2f);
    private const float UnitBand = 12f;

    /// <summary>
    /// ScottPlot keeps process-wide state (a typeface cache, the font resolvers) and draws text through SkiaSharp's
    /// legacy SKPaint API. Measured: 16 renderings of one snapshot on 8 threads gave 13 different PDFs of ~490 KB, the
    /// charts drawn with another rendering's typeface; locking only plot.Render was not enough. Charts are a small part
    /// of a rendering, so they are built and drawn one at a time.
    /// </summary>
    private static readonly object ScottPlotLock = new();

    /// <summary>What the chart shows, decided from the snapshot alone.</summary>
    private sealed record Spec(
        Indicator Indicator,
        IReadOnlyList<(string Label, string Color, double[] Years, double[] Values)> Lines,
        IReadOnlyList<(string Label, string Color, double[] Years, double[] Values)> Provisional,
        IReadOnlyList<(string Label, string Color, double Year, double Value, bool Target)> Markers,
        IReadOnlyList<(string Label, double[] Years, double[] Values)> Trajectories,
        (string Label, double Value)? Bound,
        int FirstYear,
        int LastYear,
        IReadOnlyDictionary<string, double[]> ProvisionalYears)
    {
        public bool HasData => Lines.Count > 0 || Markers.Any(m => !m.Target);
    }

    /// <summary>The chart, or a framed 「データなし」 with the reason when there is nothing to plot.</summary>
    public static Figure Create(IndicatorSnapshot item, float height)
    {
        var spec = Build(item);
        if (!spec.HasData)
        {
            var reason = item.Progress.Series.FirstOrDefault()?.Components.Reason ?? "提出された値がない。";
            return new Figure(48, (ctx, canvas, width, h) => NoData(ctx, canvas, width, h, reason)) { Alt = $"データなし：{reason}" };
        }
        // The legend wraps below the plot: each row it takes is added to the figure, so the plot keeps its height.
        var labels = spec.Lines.Select(l => l.Label).Concat(spec.Provisional.Select(p => p.Label)).Concat(spec.Markers.Select(m => m.Label))
            .Concat(spec.Trajectories.Select(t => t.Label)).Concat(spec.Bound is { } bound ? [bound.Label] : []).ToList();
        float Height(RenderContext ctx, float width) => height + (LegendRows(ctx, labels, width) - 1) * LegendRowHeight;
        return new Figure(Height, (ctx, canvas, width, h) =>
        {
            ctx.DrawLine(canvas, $"（{(spec.Indicator.ValueKind == ValueKind.Rank ? "位" : spec.Indicator.Unit)}）", UnitStyle, 0, 0, width);
            canvas.Save();
            canvas.Translate(0, UnitBand);
            lock (ScottPlotLock) Draw(spec, ctx, canvas, width, h - UnitBand);
            canvas.Restore();
        })
        {
            Alt = Describe(spec),
            Data = DataTable(spec),
        };
    }

    /// <summary>What the chart shows, in words: each line from its first to its latest value, the base, the target.</summary>
    private static string Describe(Spec spec)
    {
        var i = spec.Indicator;
        var parts = new List<string> { $"{i.Name}の推移（{ValueFormat.Period(spec.FirstYear, i)}～{ValueFormat.Period(spec.LastYear, i)}）を示す折れ線グラフ。" };
        foreach (var (label, _, years, values) in spec.Lines)
        {
            var first = (Year: (int)years[0], Value: values[0]);
            var last = (Year: (int)years[^1], Value: values[^1]);
            parts.Add(years.Length == 1
                ? $"{label}は{ValueFormat.Period(first.Year, i)}の{i.FormatValue(first.Value)}のみ。"
                : $"{label}は{ValueFormat.Period(first.Year, i)}の{i.FormatValue(first.Value)}から{ValueFormat.Period(last.Year, i)}の{i.FormatValue(last.Value)}（{years.Length}時点）。");
        }
        foreach (var (label, _, years, _) in spec.Provisional)
        {
            parts.Add($"{label}：{string.Join("、", years.Select(y => ValueFormat.Period((int)y, i)))}。");
        }
        foreach (var (label, _, year, value, _) in spec.Markers)
        {
            parts.Add($"{label}は{ValueFormat.Period((int)year, i)}の{i.FormatValue(value)}。");
        }
        if (spec.Bound is { } bound) parts.Add($"{bound.Label}を破線で示す。");
        foreach (var (label, _, _) in spec.Trajectories) parts.Add($"{label}を破線で示す。");
        return string.Concat(parts);
    }

    /// <summary>The figures the chart was drawn from: one row per year, one column per line, marker and path.</summary>
    private static Table DataTable(Spec spec)
    {
        var i = spec.Indicator;
        var unit = i.ValueKind == ValueKind.Rank ? "位" : i.Unit;
        var columns = new List<(string Title, Func<int, string> Cell)>();
        foreach (var (label, _, years, values) in spec.Lines)
        {
            var early = spec.ProvisionalYears.GetValueOrDefault(label, []);
            columns.Add((label, y =>
            {
                var k = Array.IndexOf(years, (double)y);
                if (k < 0) return "";
                var provisional = Array.IndexOf(early, (double)y) >= 0;
                return i.FormatNumber(values[k]) + (provisional ? "（速報）" : "");
            }));
        }
        foreach (var (label, _, year, value, _) in spec.Markers)
        {
            columns.Add((label, y => y == (int)year ? i.FormatNumber(value) : ""));
        }
        foreach (var (label, years, values) in spec.Trajectories)
        {
            columns.Add((label, y => Array.IndexOf(years, (double)y) is var k and >= 0 ? i.FormatNumber(values[k]) : ""));
        }
        if (spec.Bound is { } bound)
        {
            columns.Add((bound.Label, _ => i.FormatNumber(bound.Value)));
        }
        var allYears = spec.Lines.SelectMany(l => l.Years).Concat(spec.Markers.Select(m => m.Year)).Concat(spec.Trajectories.SelectMany(t => t.Years))
            .Select(y => (int)y).Distinct().Order().ToList();
        return new Table(
            [new(i.Period.Years > 1 ? "期間" : i.YearSuffix, 1f, NoWrap: true), .. columns.Select(c => new Column($"{c.Title}（{unit}）", 1f, Align.Right))],
            allYears.Select(y => (IReadOnlyList<string>)[ValueFormat.Period(y, i), .. columns.Select(c => c.Cell(y))]).ToList());
    }

    private const float LegendRowHeight = 16f;
    private static readonly TextStyle LegendStyle = new(8f);

    /// <summary>
    /// How many rows the legend wraps to: each entry is its symbol and padding (about 36 pt) plus its text. An
    /// over-estimate only leaves a little more room for the plot.
    /// </summary>
    private static int LegendRows(RenderContext ctx, IReadOnlyList<string> labels, float width)
    {
        var rows = 1;
        var x = 0f;
        var available = width - 24;
        foreach (var label in labels)
        {
            var w = ctx.Measure(label, LegendStyle) + 36;
            if (x > 0 && x + w > available)
            {
                rows++;
                x = 0;
            }
            x += w;
        }
        return rows;
    }

    private static void NoData(RenderContext ctx, SKCanvas canvas, float width, float height, string reason)
    {
        if (!ctx.Collecting)
        {
            using var frame = new SKPaint { Color = new SKColor(0xFFB0B0B0), StrokeWidth = 0.6f, IsStroke = true, IsAntialias = true };
            canvas.DrawRect(0.5f, 0.5f, width - 1, height - 1, frame);
        }
        var style = new TextStyle(9f, Bold: true, Color: 0xFF666666);
        ctx.DrawLine(canvas, "データなし", style, 0, 8, width, Align.Center);
        ctx.DrawLine(canvas, reason, TextStyle.Note, 0, 8 + ctx.LineHeight(style), width, Align.Center);
    }

    private static Spec Build(IndicatorSnapshot item)
    {
        var indicator = item.Definition;
        var multi = item.Series.Count > 1;
        var lines = new List<(string, string, double[], double[])>();
        var provisional = new List<(string, string, double[], double[])>();
        var markers = new List<(string, string, double, double, bool)>();
        var trajectories = new List<(string, double[], double[])>();
        var years = new List<int>();
        var provisionalYears = new Dictionary<string, double[]>();

        for (var i = 0; i < item.Series.Count; i++)
        {
            var series = item.Series[i];
            var color = Palette[i % Palette.Length];
            var values = series.Values.Where(v => double.IsFinite(v.Value)).ToList();
            if (values.Count > 0)
            {
                var lineLabel = multi ? series.Name : "実績値";
                lines.Add((lineLabel, color, values.Select(v => (double)v.Year).ToArray(), values.Select(v => v.Value).ToArray()));
                years.AddRange(values.Select(v => v.Year));
                var early = values.Where(v => v.Status == Submissions.ValueStatus.Provisional).ToList();
                if (early.Count > 0)
                {
                    provisionalYears[lineLabel] = early.Select(v => (double)v.Year).ToArray();
                    provisional.Add((multi ? $"速報値（{series.Name}）" : "速報値", color, early.Select(v => (double)v.Year).ToArray(), early.Select(v => v.Value).ToArray()));
                }
            }
            // The base the assessment used (the base year's submitted value, or the plan's figure), so the chart and
            // the evaluation beside it start from the same point.
            var used = item.Progress.Series.FirstOrDefault(p => p.SeriesId == series.SeriesId)?.Components;
            var planned = indicator.BaselineFor(series.SeriesId);
            var (baseValue, baseYear) = used is { BaseValue: { } v, BaseYear: { } y } && used.Method != Progress.ProgressMethod.CumulativeProRata
                ? (v, y)
                : planned is { Value: { } pv } && indicator.IsComparable(planned) ? (pv, indicator.BaseYearOf(planned)) : (double.NaN, 0);
            if (double.IsFinite(baseValue))
            {
                markers.Add((multi ? $"基準値（{series.Name}）" : "基準値", color, baseYear, baseValue, false));
                years.Add(baseYear);
                if (indicator.Target is { Kind: TargetKind.Reach, Value: { } yT, Year: not null } && indicator.TargetLabelYear is { } T && T > baseYear)
                {
                    // The path the target requires: compound growth for values, a straight line for ranks.
                    var path = Enumerable.Range(baseYear, T - baseYear + 1).Select(y => (double)y).ToArray();
                    var rank = indicator.ValueKind == ValueKind.Rank || baseValue <= 0 || yT <= 0;
                    var pathValues = path.Select(y => rank
                        ? baseValue + (yT - baseValue) * (y - baseYear) / (T - baseYear)
                        : baseValue * Math.Pow(yT / baseValue, (y - baseYear) / (T - baseYear))).ToArray();
                    if (pathValues.All(double.IsFinite))
                    {
                        trajectories.Add((multi ? $"目標への経路（{series.Name}）" : "目標への経路", path, pathValues));
                    }
                }
            }
        }

        (string, double)? bound = null;
        var target = indicator.Target;
        if (target is { Kind: TargetKind.Reach, Value: { } targetValue, Year: not null } && indicator.TargetLabelYear is { } targetYear)
        {
            markers.Add(("目標", TargetColor, targetYear, targetValue, true));
            years.Add(targetYear);
        }
        else if (target is { Kind: TargetKind.KeepRank, Value: { } limit })
        {
            bound = ($"目標（第{limit.ToString("0", CultureInfo.InvariantCulture)}位以内）", limit);
            if (indicator.TargetLabelYear is { } y) years.Add(y);
        }
        else if (target is { Kind: TargetKind.Cumulative, Value: { } total, FromYear: { } from, ToYear: { } to } && to >= from)
        {
            // A yearly chart cannot show a total: show the yearly pace the total requires over its period.
            var pace = total / (to - from + 1);
            trajectories.Add(($"目標の年平均（{indicator.FormatNumber(pace)}）", [from, to], [pace, pace]));
            years.Add(from);
            years.Add(to);
        }
        if (years.Count == 0)
        {
            years.Add(item.Progress.Series.FirstOrDefault()?.Components.CurrentYear ?? 2025);
        }
        return new Spec(indicator, lines, provisional, markers, trajectories, bound, years.Min(), years.Max(), provisionalYears);
    }

    private static void Draw(Spec spec, RenderContext ctx, SKCanvas canvas, float width, float height)
    {
        var family = ctx.Fonts.ChartFamily;
        var indicator = spec.Indicator;
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
            path.Color = Color.FromHex(PathColor); // solid: transparency makes Skia emit soft-mask groups per chart
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
            line.MarkerShape = MarkerShape.FilledCircle;
            line.LegendText = label;
            values.AddRange(ys);
        }
        foreach (var (label, color, years, ys) in spec.Provisional)
        {
            // Over the filled marker: a white disc with the series' ring, so a provisional value reads as hollow.
            var early = plot.Add.ScatterPoints(years, ys);
            early.Color = Color.FromHex(color);
            early.MarkerShape = MarkerShape.OpenCircle;
            early.MarkerSize = 7;
            early.MarkerLineWidth = 1.4f;
            early.MarkerFillColor = Colors.White;
            early.LegendText = label;
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
        var xStep = Math.Max(1, (int)Math.Ceiling((spec.LastYear - spec.FirstYear + 1) / 8.0));
        var xTicks = new ScottPlot.TickGenerators.NumericManual();
        for (var y = spec.FirstYear; y <= spec.LastYear; y += xStep) xTicks.AddMajor(y, y.ToString(CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = xTicks;

        var (lo, hi) = values.Count > 0 ? (values.Min(), values.Max()) : (0, 1);
        var span = Math.Max(hi - lo, Math.Abs(hi) * 0.1 + (rank ? 2 : 1e-9));
        var (bottom, top) = rank ? (hi + Math.Max(1.5, span * 0.15), Math.Max(0.4, lo - Math.Max(1.5, span * 0.15)))
            : (Math.Max(0, lo - span * 0.15), hi + span * 0.15);
        if (!double.IsFinite(bottom) || !double.IsFinite(top) || bottom == top) (bottom, top) = (0, 1);
        plot.Axes.SetLimitsY(bottom, top);
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var t in Ticks(Math.Min(bottom, top), Math.Max(bottom, top), rank)) yTicks.AddMajor(t, TickLabel(t, indicator, rank));
        plot.Axes.Left.TickGenerator = yTicks;

        plot.Axes.Bottom.Label.Text = indicator.YearAxisLabel;
        plot.Axes.Left.Label.Text = "";
        plot.Axes.Bottom.Label.FontSize = 9;
        plot.Axes.Bottom.Label.Bold = false;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 8.5f;
        plot.Axes.Left.TickLabelStyle.FontSize = 8.5f;
        plot.Axes.Bottom.TickLabelStyle.FontName = family;
        plot.Axes.Left.TickLabelStyle.FontName = family;
        plot.Axes.Bottom.Label.FontName = family;

        // The top axis has no ticks or label: without a cap its empty panel leaves a band of white above the plot.
        plot.Axes.Title.IsVisible = false;
        plot.Axes.Top.MaximumSize = 6;
        plot.ShowLegend(Edge.Bottom);
        plot.Legend.FontSize = 8f;
        plot.Legend.FontName = family;
        plot.Legend.SetBestFontOnEachRender = false;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.TightHorizontalWrapping = true;

        if (ctx.Collector is { } collector)
        {
            // The characters ScottPlot will draw: the ticks (set above, by hand), the axis label and the legend. Nothing
            // needs rendering to know them.
            foreach (var tick in xTicks.Ticks.Concat(yTicks.Ticks)) collector.Add(tick.Label, bold: false);
            collector.Add(plot.Axes.Bottom.Label.Text, bold: false);
            foreach (var label in spec.Lines.Select(l => l.Label).Concat(spec.Provisional.Select(p => p.Label)).Concat(spec.Markers.Select(m => m.Label))
                         .Concat(spec.Trajectories.Select(t => t.Label)).Concat(spec.Bound is { } bb ? [bb.Label] : []))
            {
                collector.Add(label, bold: false);
            }
            return;
        }
        // ScottPlot lays a new plot out in a first render and draws again when that changed the layout; on a PDF
        // canvas both would be written. Settle the layout on a canvas that draws nothing, then draw once.
        using (var settle = new SKNoDrawCanvas((int)width, (int)height))
        {
            plot.Render(settle, (int)width, (int)height);
        }
        plot.Render(canvas, (int)width, (int)height);
    }

    /// <summary>About five round ticks over [lo, hi]: steps of 1, 2, 2.5 or 5 × 10ⁿ; whole numbers for ranks.</summary>
    private static IEnumerable<double> Ticks(double lo, double hi, bool rank)
    {
        var range = hi - lo;
        if (!(range > 0) || !double.IsFinite(range)) yield break;
        var raw = range / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= raw);
        if (rank) step = Math.Max(1, Math.Ceiling(step));
        var first = Math.Ceiling(lo / step) * step;
        for (var t = first; t <= hi + step * 1e-9 && t - first < step * 100; t += step)
        {
            if (rank && t < 1) continue;
            yield return Math.Round(t, 10);
        }
    }

    private static string TickLabel(double value, Indicator indicator, bool rank)
    {
        if (rank) return value.ToString("0", CultureInfo.InvariantCulture);
        var decimals = value == Math.Round(value) ? 0 : Math.Min(indicator.Decimals + 1, 4);
        return value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('#', decimals), CultureInfo.InvariantCulture);
    }
}
