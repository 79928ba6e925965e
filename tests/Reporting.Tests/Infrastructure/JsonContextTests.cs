using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Reports;
using Reporting.Hosting;
using Reporting.Infrastructure;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// The serializers generated at compile time (what the native build can run) write exactly what the reflection-based
/// serializer wrote before them with the same options: stored snapshots keep their bytes and hashes, and nothing an
/// API client reads changes.
/// </summary>
public sealed class JsonContextTests(SampleSnapshot data) : IClassFixture<SampleSnapshot>
{
    private static readonly JsonSerializerOptions Reflection = new(Json.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    [Fact]
    public void TheGeneratedSerializers_WriteTheSnapshotAndItsSummaryAsReflectionDid()
    {
        var artifacts = data.App.Services.GetRequiredService<ReportService>().Render(data.Snapshot);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(data.Snapshot, Reflection), JsonSerializer.SerializeToUtf8Bytes(data.Snapshot, Json.Info<ReportSnapshot>()));
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(data.Snapshot, Reflection), artifacts.SnapshotJson);

        var rows = JsonSerializer.Deserialize<List<SummaryRow>>(artifacts.SummaryJson, Reflection)!;
        Assert.NotEmpty(rows);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<SummaryRow>>(rows, Reflection), artifacts.SummaryJson);
    }

    [Fact]
    public void TheGeneratedSerializers_ReadWhatReflectionWrote()
    {
        var written = JsonSerializer.SerializeToUtf8Bytes(data.Snapshot, Reflection);
        var read = JsonSerializer.Deserialize(written, Json.Info<ReportSnapshot>())!;
        Assert.Equal(written, JsonSerializer.SerializeToUtf8Bytes(read, Reflection));
    }
}
