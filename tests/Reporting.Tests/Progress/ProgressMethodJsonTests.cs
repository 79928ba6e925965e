using System.Text.Json;
using Reporting.Features.Progress;
using Reporting.Infrastructure;

namespace Reporting.Tests.Progress;

/// <summary>
/// The assessment method is written camelCase like every enum of the API, so that generated clients (which read an enum
/// by its member name) can read it; snapshots stored by earlier versions (cagr-ratio) still read.
/// </summary>
public sealed class ProgressMethodJsonTests
{
    [Theory]
    [InlineData(ProgressMethod.CagrRatio, "cagrRatio")]
    [InlineData(ProgressMethod.RankPace, "rankPace")]
    [InlineData(ProgressMethod.RankBound, "rankBound")]
    [InlineData(ProgressMethod.CumulativeProRata, "cumulativeProRata")]
    [InlineData(ProgressMethod.GrowthOnly, "growthOnly")]
    public void IsWrittenCamelCase(ProgressMethod method, string written)
    {
        Assert.Equal($"\"{written}\"", JsonSerializer.Serialize(method, Json.Options));
    }

    [Theory]
    [InlineData("cagr-ratio", ProgressMethod.CagrRatio)]            // snapshots of earlier versions
    [InlineData("cumulative-pro-rata", ProgressMethod.CumulativeProRata)]
    [InlineData("cagrRatio", ProgressMethod.CagrRatio)]
    [InlineData("GrowthOnly", ProgressMethod.GrowthOnly)]           // a generated C# client's member name
    public void ReadsEveryFormItWasEverWrittenIn(string text, ProgressMethod method)
    {
        Assert.Equal(method, JsonSerializer.Deserialize<ProgressMethod>($"\"{text}\"", Json.Options));
    }

    [Theory]
    [InlineData("\"ratio\"")]
    [InlineData("\"1\"")]
    [InlineData("\"-1\"")]
    [InlineData("0")]
    [InlineData("\"\"")]
    public void RefusesAnythingElse(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ProgressMethod>(json, Json.Options));
    }
}
