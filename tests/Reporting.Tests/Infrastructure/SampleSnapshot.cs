using Microsoft.Extensions.DependencyInjection;
using Reporting.Features.Reports;

namespace Reporting.Tests.Infrastructure;

/// <summary>The app with the sample submissions and the FY2025 report snapshot built from them (a class fixture).</summary>
public sealed class SampleSnapshot : IAsyncLifetime
{
    public ReportingApp App { get; } = new();
    public ReportSnapshot Snapshot { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await SampleData.SubmitAsync(App);
        Snapshot = await App.Services.GetRequiredService<ReportService>().BuildSnapshotAsync(2025, "test");
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}
