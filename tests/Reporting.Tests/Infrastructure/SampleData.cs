using System.Net;
using System.Text;
using Reporting.Features.Indicators;

namespace Reporting.Tests.Infrastructure;

/// <summary>Five years of plausible values for every series of every indicator, submitted through the API by the owning agency.</summary>
public static class SampleData
{
    public static double ValueFor(Indicator indicator, int seriesIndex, int year)
    {
        var step = year - 2021;
        return indicator.ValueKind switch
        {
            ValueKind.Rank => 4 + seriesIndex + (step % 3),
            ValueKind.Percentage => Math.Round(20.5 + 1.3 * step + seriesIndex, 1),
            // Within each indicator's plausible range: municipalities are counted in tens, people in tens of thousands.
            ValueKind.Count when indicator.Maximum < 15000 => 80 + 10 * step + indicator.Order,
            ValueKind.Count => 15000 + 173 * step + 37 * seriesIndex + indicator.Order,
            _ => indicator.Unit == "兆円" ? Math.Round(4.1 + 0.07 * step, 2) : Math.Round((indicator.Unit == "人" ? 0.05 : 90000) * (1 + 0.031 * step), 3),
        };
    }

    public static async Task<List<(Indicator Indicator, string Series, int Year, double Value)>> SubmitAsync(ReportingApp app, int fromYear = 2021, int toYear = 2025)
    {
        var submitted = new List<(Indicator, string, int, double)>();
        foreach (var indicator in PlanCatalog.Indicators)
        {
            var client = app.AsAgency(indicator.Agency);
            for (var s = 0; s < indicator.Series.Count; s++)
            {
                for (var year = fromYear; year <= toYear; year++)
                {
                    var value = ValueFor(indicator, s, year);
                    var json = $$"""{"series": "{{indicator.Series[s].Id}}", "value": {{value.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, "note": "試験データ{{year}}"}""";
                    var response = await client.PutAsync($"/api/indicators/{indicator.Id}/values/{year}", new StringContent(json, Encoding.UTF8, "application/json"));
                    if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
                    {
                        throw new InvalidOperationException($"{indicator.Id} {year}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    submitted.Add((indicator, indicator.Series[s].Id, year, value));
                }
            }
        }
        return submitted;
    }
}
