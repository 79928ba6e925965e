using System.Text.Json;
using CsCheck;
using Microsoft.Extensions.Options;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Features.Reports;
using Reporting.Features.Reports.Rendering;
using Reporting.Features.Submissions;
using Reporting.Infrastructure;

namespace Reporting.Tests.Reports;

/// <summary>
/// Whatever the API accepts, the report renders: random data sets of values that pass the catalog's rules (at the
/// bounds of each indicator's range and precision, provisional, flagged, revised, with notes up to the accepted length)
/// and random targets that pass the target rules are assessed and rendered to every stored file without an error.
/// </summary>
public sealed class ReportPropertyTests
{
    private static readonly Lazy<ReportFonts> Fonts = new(() => new ReportFonts(Options.Create(new ReportOptions())));
    private static readonly Lazy<ReportRenderer> Renderer = new(() => new ReportRenderer(new ReportDocument(Fonts.Value)));

    private static readonly DateTimeOffset At = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    /// <summary>A value the PUT endpoint accepts for <paramref name="indicator"/>.</summary>
    private static Gen<double> Accepted(Indicator indicator)
    {
        var step = Math.Pow(10, -indicator.Decimals);
        var max = indicator.Maximum;
        var min = indicator.Minimum;
        return Gen.Frequency(
            (1, Gen.OneOf(min, max, min + step, step * 7)),
            (4, Gen.Double[min, max].Select(v => Math.Round(v, indicator.Decimals))),
            (3, Gen.Double[min, Math.Min(max, 100)].Select(v => Math.Round(v, indicator.Decimals))))
            .Where(v => ValueRules.CheckNumber(v, indicator) is null);
    }

    private static readonly Gen<string?> Notes = Gen.Frequency(
        (3, Gen.Const<string?>((string?)null)),
        (2, Gen.OneOf<string?>("速報値", "確報値に更新", "𠮷野家調べ", "=SUM(A1)", "Supercalifragilisticexpialidociousandevenlongerwordswithoutspaces")),
        (1, Gen.Char['あ', 'ん'].Array[1, ValueRules.MaxNoteLength].Select(c => (string?)new string(c))));

    private static Gen<IndicatorSnapshot> Item(Indicator plan, int fiscalYear) =>
        from target in Gen.Select(Gen.Enum<TargetKind>(), Accepted(plan), Gen.Int[2020, 2040], Gen.Int[2020, 2040], Gen.Int[0, 6])
        let validated = TargetRules.Validate(plan, target.Item1, target.Item2, null, target.Item3, target.Item4, target.Item4 + target.Item5, null, null, Fonts.Value.Repertoire).Target
        let indicator = plan with { Target = validated ?? plan.Target }
        from series in Gen.Select(Gen.Int[2015, fiscalYear].Array[0, 8], Accepted(plan).Array[12], Notes.Array[12], Gen.Int[1, 4].Array[12], Gen.Bool.Array[12], Gen.Bool.Array[12])
            .Array[plan.Series.Count]
        let values = plan.Series.Select((s, n) =>
        {
            var (years, numbers, notes, revisions, provisional, flagged) = series[n];
            return (s, years.Distinct().Order().Select((y, k) => new ValuePoint(y, numbers[k], notes[k], revisions[k], indicator.Agency, At,
                revisions[k] > 1 ? Enumerable.Range(1, revisions[k]).Select(r => new ValueRevision(r, numbers[k] / r, r > 1 ? numbers[k] / (r - 1) : null, notes[k], "tester", indicator.Agency, At)).ToList() : null,
                provisional[k] ? ValueStatus.Provisional : ValueStatus.Final, flagged[k], flagged[k] ? "前年の3倍" : null)).ToList());
        }).ToList()
        select new IndicatorSnapshot(indicator,
            values.Select(v => new SeriesSnapshot(v.s.Id, v.s.Name, v.Item2)).ToList(),
            ProgressAssessor.Assess(indicator, values.ToDictionary(v => v.s.Id, v => (IReadOnlyList<Observation>)v.Item2.Select(p => new Observation(p.Year, p.Value)).ToList())));

    private static Gen<List<T>> All<T>(IEnumerable<Gen<T>> gens) =>
        gens.Aggregate(Gen.Const(new Func<List<T>>(() => [])), (all, gen) => from list in all from item in gen select list.Append(item).ToList());

    private static readonly Gen<ReportSnapshot> Snapshots =
        from fiscalYear in Gen.Int[2024, 2026]
        from picked in Gen.Int[0, PlanCatalog.Indicators.Count - 1].Array[2, 5]
        from items in All(picked.Distinct().Order().Select(i => Item(PlanCatalog.Indicators[i], fiscalYear)))
        select new ReportSnapshot(fiscalYear, At, "property", "内閣府", items, PlanCatalog.Agencies,
            [new CatalogChange(items[0].Definition.Id, CatalogField.Agency, "CAO", "DIGITAL", "admin", At, "所管の移管")]);

    [Fact]
    public void EverySnapshotOfAcceptedData_RendersEveryFile()
    {
        Snapshots.Sample(snapshot =>
        {
            var artifacts = Renderer.Value.Render(snapshot);
            Assert.Equal("%PDF-", System.Text.Encoding.ASCII.GetString(artifacts.Pdf, 0, 5));
            Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(artifacts.SummaryJson).RootElement.ValueKind);
            JsonSerializer.Deserialize<ReportSnapshot>(artifacts.SnapshotJson, Json.Options);
            Assert.True(artifacts.SummaryCsv.Length > 3);
        }, iter: 40, threads: 1);
    }
}
