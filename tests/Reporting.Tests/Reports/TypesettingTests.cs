using Reporting.Features.Reports.Rendering;

namespace Reporting.Tests.Reports;

/// <summary>
/// The demo report and the stress report, made once and shared by every class that reads them (each takes minutes of a
/// CPU to render and check).
/// </summary>
[CollectionDefinition(Name)]
public sealed class RenderedReports : ICollectionFixture<DemoReport>, ICollectionFixture<StressReportTests.WithReport>
{
    public const string Name = "Rendered reports";
}

/// <summary>Japanese typesetting rules that hold in every line the report draws, read back from the PDF's text layer.</summary>
[Trait("Tier", "Full")]
[Collection(RenderedReports.Name)]
public sealed class TypesettingTests(DemoReport demo, StressReportTests.WithReport stress)
{
    /// <summary>
    /// Every line of the text layer, in both of poppler's readings: as drawn (-raw: each run where the report put it, so a
    /// formula's pieces between its fractions are lines of their own) and in reading order.
    /// </summary>
    private static IEnumerable<string> Lines(byte[] pdf) =>
        Pdf.Text(pdf, raw: true).Split('\n').Concat(Pdf.Text(pdf, raw: false).Split('\n'))
            .Select(l => l.Replace("\f", "").TrimStart()).Where(l => l.Length > 0);

    public static TheoryData<string> Reports => ["demo", "stress"];

    [Theory]
    [MemberData(nameof(Reports))]
    public void No_line_of_the_report_begins_with_a_character_that_may_not_begin_a_line(string which)
    {
        var pdf = which == "demo" ? demo.Pdf : stress.Pdf;
        var offending = Lines(pdf).Where(l => LineBreaker.NoLineStart.Contains(l[0])).Distinct().ToList();
        Assert.True(offending.Count == 0, $"{offending.Count} lines begin with 行頭禁則 characters:\n" + string.Join("\n", offending.Take(20)));
    }
}
