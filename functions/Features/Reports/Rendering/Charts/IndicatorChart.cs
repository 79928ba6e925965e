using System.Globalization;
using Reporting.Features.Indicators;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// One indicator's chart, drawn as vector lines, markers and text into a <see cref="Drawing"/> that the PDF page and the
/// HTML edition's SVG both use: every series over the years (provisional values as hollow markers), each series' base, the
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

    /// <summary>A chart: the picture, what it shows in words, and the figures it was drawn from (none without data).</summary>
    public sealed record ChartFigure(Picture Picture, string Description, TableContent? Data);

    /// <summary>The chart, or a framed 「データなし」 with the reason when there is nothing to plot.</summary>
    public static ChartFigure Create(IndicatorSnapshot item, float height)
    {
        var spec = Build(item);
        if (!spec.HasData)
        {
            var reason = item.Progress.Series.FirstOrDefault()?.Components.Reason ?? "提出された値がない。";
            return new ChartFigure(new Picture((_, _) => 48, (ctx, canvas, width, h) => NoData(ctx, canvas, width, h, reason)), $"データなし：{reason}", null);
        }
        // The legend wraps below the plot: each row it takes is added to the figure, so the plot keeps its height.
        var legend = Legend(spec);
        float Height(RenderContext ctx, float width) => height + (Wrap(ctx, legend, width).Count - 1) * LegendRowHeight;
        var picture = new Picture(Height, (ctx, canvas, width, h) =>
        {
            ctx.DrawLine(canvas, $"（{(spec.Indicator.ValueKind == ValueKind.Rank ? "位" : spec.Indicator.Unit)}）", UnitStyle, 0, 0, width);
            canvas.Save();
            canvas.Translate(0, UnitBand);
            Draw(spec, legend, ctx, canvas, width, h - UnitBand);
            canvas.Restore();
        });
        return new ChartFigure(picture, Describe(spec), DataTable(spec));
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
    private static TableContent DataTable(Spec spec)
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
        return new TableContent(
            [new(i.Period.Years > 1 ? "期間" : i.YearSuffix, 1f, NoWrap: true), .. columns.Select(c => new Column($"{c.Title}（{unit}）", 1f, Align.Right))],
            allYears.Select(y => (IReadOnlyList<string>)[ValueFormat.Period(y, i), .. columns.Select(c => c.Cell(y))]).ToList());
    }

    private const float LegendRowHeight = 16f;
    private static readonly TextStyle LegendStyle = new(8f);

    private static void NoData(RenderContext ctx, Canvas canvas, float width, float height, string reason)
    {
        canvas.Rect(0.5f, 0.5f, width - 1, height - 1, null, new Stroke(0xFFB0B0B0, 0.6f));
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

    private static readonly TextStyle TickStyle = new(8.5f, LineHeight: 1.3f);
    private static readonly TextStyle AxisLabelStyle = new(9f, LineHeight: 1.3f);
    private const uint Ink = 0xFF1A1A1A;
    private const uint GridColor = 0xFFE3E3E3;
    private static readonly float[] Dashed = [4f, 2.5f];

    private static uint Argb(string hex) => 0xFF000000 | Convert.ToUInt32(hex[1..], 16);

    /// <summary>One entry of the legend: how its symbol is drawn, centred at (x, y), and its text.</summary>
    private sealed record LegendEntry(string Label, Action<Canvas, float, float> Symbol);

    /// <summary>
    /// The plot: a frame with grid lines at the ticks, tick labels, the year axis's label, then the series (paths to the
    /// target first, so the values are drawn over them), and the legend in rows below.
    /// </summary>
    private static void Draw(Spec spec, IReadOnlyList<LegendEntry> legend, RenderContext ctx, Canvas canvas, float width, float height)
    {
        var indicator = spec.Indicator;
        var rank = indicator.ValueKind == ValueKind.Rank;

        var values = spec.Trajectories.SelectMany(t => t.Values).Concat(spec.Lines.SelectMany(l => l.Values))
            .Concat(spec.Markers.Select(m => m.Value)).Concat(spec.Bound is { } bd ? [bd.Value] : []).ToList();
        var (lo, hi) = values.Count > 0 ? (values.Min(), values.Max()) : (0, 1);
        var span = Math.Max(hi - lo, Math.Abs(hi) * 0.1 + (rank ? 2 : 1e-9));
        var (bottom, top) = rank ? (hi + Math.Max(1.5, span * 0.15), Math.Max(0.4, lo - Math.Max(1.5, span * 0.15)))
            : (Math.Max(0, lo - span * 0.15), hi + span * 0.15);
        if (!double.IsFinite(bottom) || !double.IsFinite(top) || bottom == top) (bottom, top) = (0, 1);
        var yTicks = Ticks(Math.Min(bottom, top), Math.Max(bottom, top), rank).Select(t => (Value: t, Label: TickLabel(t, indicator, rank))).ToList();
        var xStep = Math.Max(1, (int)Math.Ceiling((spec.LastYear - spec.FirstYear + 1) / 8.0));
        var xTicks = new List<(double Value, string Label)>();
        for (var y = spec.FirstYear; y <= spec.LastYear; y += xStep) xTicks.Add((y, y.ToString(CultureInfo.InvariantCulture)));

        var rows = Wrap(ctx, legend, width);
        var tickHeight = ctx.LineHeight(TickStyle);
        var labelWidth = yTicks.Select(t => ctx.Measure(t.Label, TickStyle)).DefaultIfEmpty(0).Max();
        var left = labelWidth + 8;
        var right = width - 10;
        var plotTop = 6f;
        var plotBottom = height - rows.Count * LegendRowHeight - 6 - ctx.LineHeight(AxisLabelStyle) - tickHeight - 4;
        var (xMin, xMax) = (spec.FirstYear - 0.6, spec.LastYear + 0.6);
        float X(double year) => (float)(left + (year - xMin) / (xMax - xMin) * (right - left));
        float Y(double value) => (float)(plotTop + (top - value) / (top - bottom) * (plotBottom - plotTop));

        var grid = new Stroke(GridColor, 0.5f);
        foreach (var (value, _) in yTicks) canvas.Line(left, Y(value), right, Y(value), grid);
        foreach (var (value, _) in xTicks) canvas.Line(X(value), plotTop, X(value), plotBottom, grid);
        var axis = new Stroke(Ink, 0.8f);
        canvas.Rect(left, plotTop, right - left, plotBottom - plotTop, null, axis);
        foreach (var (value, label) in yTicks)
        {
            canvas.Line(left - 3, Y(value), left, Y(value), axis);
            var w = ctx.Measure(label, TickStyle);
            ctx.DrawLine(canvas, label, TickStyle, left - 5 - w, Y(value) - tickHeight / 2, w);
        }
        foreach (var (value, label) in xTicks)
        {
            canvas.Line(X(value), plotBottom, X(value), plotBottom + 3, axis);
            var w = ctx.Measure(label, TickStyle);
            ctx.DrawLine(canvas, label, TickStyle, X(value) - w / 2, plotBottom + 4, w);
        }
        var axisLabelTop = plotBottom + 4 + tickHeight;
        ctx.DrawLine(canvas, indicator.YearAxisLabel, AxisLabelStyle, left, axisLabelTop, right - left, Align.Center);

        foreach (var (_, years, ys) in spec.Trajectories)
        {
            canvas.Path(Polyline(years.Select(X), ys.Select(Y)), null, new Stroke(Argb(PathColor), 1.1f, Dashed));
        }
        if (spec.Bound is { } b)
        {
            canvas.Line(left, Y(b.Value), right, Y(b.Value), new Stroke(Argb(TargetColor), 1.2f, Dashed));
        }
        foreach (var (_, color, years, ys) in spec.Lines)
        {
            var c = Argb(color);
            if (years.Length > 1) canvas.Path(Polyline(years.Select(X), ys.Select(Y)), null, new Stroke(c, 1.6f));
            for (var k = 0; k < years.Length; k++) canvas.Path(PathData.Circle(X(years[k]), Y(ys[k]), 2.5f), c, null);
        }
        foreach (var (_, color, years, ys) in spec.Provisional)
        {
            for (var k = 0; k < years.Length; k++) OpenCircle(canvas, X(years[k]), Y(ys[k]), Argb(color));
        }
        foreach (var (_, color, year, value, isTarget) in spec.Markers)
        {
            if (isTarget) Diamond(canvas, X(year), Y(value), Argb(color));
            else OpenSquare(canvas, X(year), Y(value), Argb(color));
        }

        // The legend: rows centred under the plot.
        var rowTop = axisLabelTop + ctx.LineHeight(AxisLabelStyle) + 6;
        foreach (var row in rows)
        {
            var rowWidth = row.Sum(e => EntryWidth(ctx, e));
            var x = left + (right - left - rowWidth) / 2;
            foreach (var entry in row)
            {
                entry.Symbol(canvas, x + SymbolWidth / 2, rowTop + LegendRowHeight / 2);
                ctx.DrawLine(canvas, entry.Label, LegendStyle, x + SymbolWidth + 4, rowTop + (LegendRowHeight - ctx.LineHeight(LegendStyle)) / 2, EntryWidth(ctx, entry));
                x += EntryWidth(ctx, entry);
            }
            rowTop += LegendRowHeight;
        }
    }

    private const float SymbolWidth = 22f;

    private static float EntryWidth(RenderContext ctx, LegendEntry entry) => ctx.Measure(entry.Label, LegendStyle) + 36;

    /// <summary>
    /// The legend's entries in rows, each entry its symbol and padding (36 pt) and its text: the figure's height and
    /// the drawing both come from this.
    /// </summary>
    private static List<List<LegendEntry>> Wrap(RenderContext ctx, IReadOnlyList<LegendEntry> entries, float width)
    {
        var rows = new List<List<LegendEntry>> { new() };
        var x = 0f;
        foreach (var entry in entries)
        {
            var w = EntryWidth(ctx, entry);
            if (x > 0 && x + w > width - 24)
            {
                rows.Add([]);
                x = 0;
            }
            rows[^1].Add(entry);
            x += w;
        }
        return rows;
    }

    private static List<LegendEntry> Legend(Spec spec)
    {
        var entries = new List<LegendEntry>();
        foreach (var (label, color, _, _) in spec.Lines)
        {
            var c = Argb(color);
            entries.Add(new(label, (cv, x, y) =>
            {
                cv.Line(x - SymbolWidth / 2, y, x + SymbolWidth / 2, y, new Stroke(c, 1.6f));
                cv.Path(PathData.Circle(x, y, 2.5f), c, null);
            }));
        }
        foreach (var (label, color, _, _) in spec.Provisional) entries.Add(new(label, (cv, x, y) => OpenCircle(cv, x, y, Argb(color))));
        foreach (var (label, color, _, _, isTarget) in spec.Markers)
        {
            entries.Add(new(label, isTarget ? (cv, x, y) => Diamond(cv, x, y, Argb(color)) : (cv, x, y) => OpenSquare(cv, x, y, Argb(color))));
        }
        foreach (var (label, _, _) in spec.Trajectories)
        {
            entries.Add(new(label, (cv, x, y) => cv.Line(x - SymbolWidth / 2, y, x + SymbolWidth / 2, y, new Stroke(Argb(PathColor), 1.1f, Dashed))));
        }
        if (spec.Bound is { } bound)
        {
            entries.Add(new(bound.Label, (cv, x, y) => cv.Line(x - SymbolWidth / 2, y, x + SymbolWidth / 2, y, new Stroke(Argb(TargetColor), 1.2f, Dashed))));
        }
        return entries;
    }

    private static PathData Polyline(IEnumerable<float> xs, IEnumerable<float> ys)
    {
        var path = new PathData();
        var first = true;
        foreach (var (x, y) in xs.Zip(ys))
        {
            if (first) path.MoveTo(x, y); else path.LineTo(x, y);
            first = false;
        }
        return path;
    }

    /// <summary>A provisional value: a white disc with the series' ring, over the filled marker, so it reads as hollow.</summary>
    private static void OpenCircle(Canvas canvas, float x, float y, uint color) => canvas.Path(PathData.Circle(x, y, 3.5f), 0xFFFFFFFF, new Stroke(color, 1.4f));

    private static void OpenSquare(Canvas canvas, float x, float y, uint color) => canvas.Rect(x - 4f, y - 4f, 8f, 8f, null, new Stroke(color, 1.2f));

    private static void Diamond(Canvas canvas, float x, float y, uint color) =>
        canvas.Path(PathData.Polygon((x, y - 5.5f), (x + 5.5f, y), (x, y + 5.5f), (x - 5.5f, y)), color, null);

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
