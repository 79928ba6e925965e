using System.Text.Json;
using CsCheck;
using Reporting.Features.Indicators;
using Reporting.Features.Progress;
using Reporting.Infrastructure;

namespace Reporting.Tests.Progress;

/// <summary>
/// The assessor is total: for arbitrary finite inputs — any target kind, direction and value kind, baselines with or
/// without values, targets and observations at the extremes of double (0, 5e-324, 1e300, ±MaxValue), repeated years —
/// it never throws, every number it returns is finite, and its result always serialises.
/// </summary>
public sealed class ProgressPropertyTests
{
    /// <summary>Finite doubles, with the troublesome ones often: zero, subnormals, the largest, negatives.</summary>
    internal static readonly Gen<double> Finite = Gen.Frequency(
        (2, Gen.OneOf(0.0, 5e-324, -5e-324, 1e-300, 1e300, double.MaxValue, -double.MaxValue, 1.0, 3.0, 13.0, 50.0, 1000.0)),
        (2, Gen.Double.Where(double.IsFinite)),
        (4, Gen.Double[-10, 300]));

    private static readonly Gen<double?> MaybeFinite = Gen.Frequency((1, Gen.Const<double?>((double?)null)), (4, Finite.Select(d => (double?)d)));
    private static readonly Gen<int> Year = Gen.Int[1995, 2110];
    private static readonly Gen<int?> MaybeYear = Gen.Frequency((1, Gen.Const<int?>((int?)null)), (6, Year.Select(y => (int?)y)));

    private static readonly Gen<Indicator> Indicators =
        from template in Gen.OneOf(PlanCatalog.Indicators.ToArray())
        from kind in Gen.Enum<TargetKind>()
        from valueKind in Gen.Enum<ValueKind>()
        from direction in Gen.Enum<Direction>()
        from target in Gen.Select(MaybeFinite, MaybeYear, MaybeYear, MaybeYear)
        from baselines in Gen.Select(MaybeFinite, Year, Gen.Int[0, 3]).Array[template.Series.Count]
        select template with
        {
            ValueKind = valueKind,
            Direction = direction,
            Target = new Target(kind, target.Item1, target.Item2, target.Item3, target.Item4, "目標"),
            Baseline = template.Series.Select((s, n) => new Baseline(s.Id, baselines[n].Item1, baselines[n].Item2, baselines[n].Item2 + baselines[n].Item3, "基準")).ToList(),
        };

    private static readonly Gen<(Indicator Indicator, Dictionary<string, IReadOnlyList<Observation>> Observations)> Cases =
        from indicator in Indicators
        from values in Gen.Select(Year, Finite).Array[0, 8].Array[indicator.Series.Count]
        select (indicator, indicator.Series.Select((s, n) => (s.Id, (IReadOnlyList<Observation>)values[n].Select(v => new Observation(v.Item1, v.Item2)).ToList()))
            .ToDictionary(p => p.Id, p => p.Item2));

    /// <summary>Every number of an assessment: the indicator's score and each series' components.</summary>
    internal static IEnumerable<double> Numbers(IndicatorProgress p) =>
        new[] { p.Score }.Concat(p.Series.SelectMany(s => new[]
        {
            s.Components.BaseValue, s.Components.CurrentValue, s.Components.TargetValue, s.Components.ObservedGrowth, s.Components.RequiredGrowth,
            s.Components.Ratio, s.Components.Score, s.Components.ProgressShare, s.Components.ElapsedShare, s.Components.CumulativeTotal,
            s.Components.ProRataTarget,
        })).Where(n => n is not null).Select(n => n!.Value);

    [Fact]
    public void Assessment_OfAnyFiniteInput_NeverThrows_IsFinite_AndSerialises()
    {
        Cases.Sample(c =>
        {
            var progress = ProgressAssessor.Assess(c.Indicator, c.Observations);
            Assert.All(Numbers(progress), n => Assert.True(double.IsFinite(n), $"{n} in {c.Indicator.Id}"));
            Assert.All(progress.Series, s =>
            {
                Assert.Equal(s.Status == ProgressStatus.NotAssessable, s.Components.Score is null);
                Assert.False(string.IsNullOrWhiteSpace(s.Components.Reason));
                if (s.Components.Score is { } score) Assert.InRange(score, -5, 5);
            });
            Assert.Equal(progress.Status == ProgressStatus.NotAssessable, progress.Score is null);
            // System.Text.Json refuses NaN and ±∞: a serialisable result is a finite one, as the API and snapshot need.
            JsonSerializer.SerializeToUtf8Bytes(progress, Json.Options);
        }, iter: 3000);
    }

    [Fact]
    public void Assessment_OfTheStatusesItself_AgreesWithItsScoreBands()
    {
        // For one series that is assessed and not achieved, the status is the band of its own printed score.
        Cases.Sample(c =>
        {
            var progress = ProgressAssessor.Assess(c.Indicator, c.Observations);
            foreach (var s in progress.Series.Where(s => s.Status is not (ProgressStatus.NotAssessable or ProgressStatus.Achieved)))
            {
                if (s.Components.Method is ProgressMethod.RankBound) continue;
                Assert.Equal(ProgressAssessor.FromScore(s.Components.Score!.Value), s.Status);
            }
        }, iter: 2000);
    }
}
