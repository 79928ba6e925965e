using System.Text;
using Azure;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Reports;
using Reporting.Tests.Infrastructure;

namespace Reporting.Tests.Reliability;

/// <summary>
/// A report's files are written create-only. When storage applies a write but its answer is lost (an outage, a dropped
/// connection), the SDK sends the same write again and storage answers that the blob exists. That is this run's own
/// write, not a conflict: the run must go on (and not answer 500), while a different file under the same name is still
/// refused. Saving the same report twice is exactly that retry, against a real Azurite.
/// </summary>
public sealed class RetriedReportSaveTests : IClassFixture<RetriedReportSaveTests.WithApp>
{
    public sealed class WithApp : IDisposable
    {
        public ReportingApp App { get; } = new();
        public void Dispose() => App.Dispose();
    }

    private readonly ReportStore store;

    public RetriedReportSaveTests(WithApp fixture)
    {
        // The first request provisions storage (tables, container) as a deployed app finds it.
        fixture.App.AsStaff().GetAsync("/api/indicators").GetAwaiter().GetResult().EnsureSuccessStatusCode();
        store = fixture.App.Services.GetRequiredService<ReportStore>();
    }

    private static ReportArtifacts Artifacts(string pdf) => new(
        Encoding.UTF8.GetBytes("{}"), new string('a', 64), Encoding.UTF8.GetBytes(pdf), Encoding.UTF8.GetBytes("a,b\n"), Encoding.UTF8.GetBytes("[]"),
        new string('b', 64), Encoding.UTF8.GetBytes("<!DOCTYPE html>"));

    [Fact]
    public async Task Writing_the_same_files_again_after_a_lost_answer_completes_the_report()
    {
        var at = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        var id = ReportStore.NewId(at);
        var first = await store.SaveAsync(2031, id, 1, at, "test", Artifacts("%PDF-1.7 one"), _ => Task.FromResult(true));
        var again = await store.SaveAsync(2031, id, 1, at, "test", Artifacts("%PDF-1.7 one"), _ => Task.FromResult(true));
        Assert.NotNull(first);
        Assert.Equal(first, again);
        Assert.Equal(id, Assert.Single(await store.ListAsync(2031)).Id);
    }

    [Fact]
    public async Task A_different_file_under_the_same_name_is_still_refused()
    {
        var at = new DateTimeOffset(2026, 6, 2, 0, 0, 0, TimeSpan.Zero);
        var id = ReportStore.NewId(at);
        await store.SaveAsync(2032, id, 1, at, "test", Artifacts("%PDF-1.7 one"), _ => Task.FromResult(true));
        var refused = await Assert.ThrowsAsync<RequestFailedException>(() =>
            store.SaveAsync(2032, id, 1, at, "test", Artifacts("%PDF-1.7 two"), _ => Task.FromResult(true)));
        Assert.Equal(409, refused.Status);
    }
}
