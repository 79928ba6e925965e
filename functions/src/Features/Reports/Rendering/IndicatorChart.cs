using Reporting.Features.Indicators;
using ScottPlot;
using SkiaSharp;

namespace Reporting.Features.Reports.Rendering;

/// <summary>
/// One indicator's chart, drawn by ScottPlot straight onto the PDF canvas so lines, markers and labels stay vector
/// graphics and text. Shows every series over the years, each series' baseline, and the target.
/// </summary>
public static class IndicatorChart
{
    private static readonly string[] Palette = ["#1F4E79", "#C55A11", "#548235", "#7030A0"];

    public static Figure Create(IndicatorSnapshot item, float height) => new(height, (canvas, width, h) => Draw(item, canvas, width, h));

    public static void Draw(IndicatorSnapshot item, SKCanvas canvas, float width, float height)
    {
        var indicator = item.Definition;
        var plot = new Plot();
        plot.Font.Set(ReportFonts.FamilyName);
        plot.FigureBackground.Color = Colors.White;
        plot.DataBackground.Color = Colors.White;
        plot.Grid.MajorLineColor = Color.FromHex("#E3E3E3");

        var years = new List<int>();
        var values = new List<double>();
        for (var i = 0; i < item.Series.Count; i++)
        {
            var series = item.Series[i];
            var color = Color.FromHex(Palette[i % Palette.Length]);
            if (series.Values.Count > 0)
            {
                var line = plot.Add.Scatter(series.Values.Select(v => (double)v.Year).ToArray(), series.Values.Select(v => v.Value).ToArray());
                line.Color = color;
                line.LineWidth = 1.6f;
                line.MarkerSize = 5;
                line.LegendText = item.Series.Count > 1 ? series.Name : "実績値";
                years.AddRange(series.Values.Select(v => v.Year));
                values.AddRange(series.Values.Select(v => v.Value));
            }
            if (indicator.BaselineFor(series.SeriesId) is { Value: { } baseValue } baseline)
            {
                var marker = plot.Add.Marker(baseline.Year, baseValue);
                marker.MarkerShape = MarkerShape.OpenSquare;
                marker.MarkerSize = 9;
                marker.Color = color;
                marker.LegendText = item.Series.Count > 1 ? $"基準値（{series.Name}）" : "基準値";
                years.Add(baseline.Year);
                values.Add(baseValue);
            }
        }

        var target = indicator.Target;
        if (target is { Kind: TargetKind.Reach, Value: { } targetValue, Year: { } targetYear })
        {
            var marker = plot.Add.Marker(targetYear, targetValue);
            marker.MarkerShape = MarkerShape.FilledDiamond;
            marker.MarkerSize = 10;
            marker.Color = Color.FromHex("#C00000");
            marker.LegendText = "目標";
            years.Add(targetYear);
            values.Add(targetValue);
        }
        else if (target is { Kind: TargetKind.KeepRank, Value: { } bound })
        {
            var line = plot.Add.HorizontalLine(bound);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Color.FromHex("#C00000");
            line.LineWidth = 1.2f;
            line.LegendText = $"目標（第{bound:0}位以内）";
            values.Add(bound);
            if (target.Year is { } y) years.Add(y);
        }
        else if (target is { Kind: TargetKind.Cumulative, Value: { } total, FromYear: { } from, ToYear: { } to })
        {
            // A yearly chart cannot show a total; show the yearly pace the total requires.
            var pace = total / (to - from + 1);
            var line = plot.Add.Line(from, pace, to, pace);
            line.LinePattern = LinePattern.Dashed;
            line.Color = Color.FromHex("#C00000");
            line.LineWidth = 1.2f;
            line.LegendText = $"目標の年平均（{ValueFormat.Number(pace)}）";
            years.Add(from);
            years.Add(to);
            values.Add(pace);
        }

        if (years.Count == 0)
        {
            years.Add(item.Progress.Series.FirstOrDefault()?.Components.CurrentYear ?? 2025);
        }
        var minYear = years.Min();
        var maxYear = years.Max();
        plot.Axes.SetLimitsX(minYear - 0.6, maxYear + 0.6);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(Math.Max(1, (int)Math.Ceiling((maxYear - minYear + 1) / 8.0)))
        {
            LabelFormatter = v => v.ToString("0"),
        };
        plot.Axes.Bottom.Label.Text = indicator.YearType == YearType.Fiscal ? "年度" : "年";
        plot.Axes.Left.Label.Text = indicator.ValueKind == ValueKind.Rank ? "順位（位）" : indicator.Unit;
        plot.Axes.Bottom.Label.FontSize = 10;
        plot.Axes.Left.Label.FontSize = 10;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 9;
        plot.Axes.Left.TickLabelStyle.FontSize = 9;

        // The legend sits inside the axes in one row; the value range is padded on the legend's side so it never
        // hides a point: above the data, or below it for ranks (first place is drawn at the top).
        var rank = indicator.ValueKind == ValueKind.Rank;
        if (values.Count > 0)
        {
            var lo = values.Min();
            var hi = values.Max();
            var span = Math.Max(hi - lo, Math.Abs(hi) * 0.1 + (rank ? 2 : 1e-9));
            if (rank)
            {
                plot.Axes.SetLimitsY(hi + 1 + span * 0.6, Math.Max(0.5, lo - 1));
            }
            else
            {
                plot.Axes.SetLimitsY(Math.Max(0, lo - span * 0.15), hi + span * 0.6);
            }
        }
        plot.Legend.IsVisible = true;
        plot.Legend.Alignment = rank ? Alignment.LowerLeft : Alignment.UpperLeft;
        plot.Legend.Orientation = Orientation.Horizontal;
        plot.Legend.FontSize = 8.5f;
        plot.Legend.FontName = ReportFonts.FamilyName;
        plot.Render(canvas, (int)width, (int)height);
    }
}
