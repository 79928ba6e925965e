using System.Text;

namespace Reporting.Tests.Infrastructure;

/// <summary>A fresh app (own tables and container) for each test of a class.</summary>
public abstract class AppTest : IDisposable
{
    protected readonly ReportingApp app = new();

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>One app shared by the tests of a class (IClassFixture).</summary>
public sealed class AppFixture : IDisposable
{
    public ReportingApp Factory { get; } = new();
    public void Dispose() => Factory.Dispose();
}

public static class Requests
{
    public static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");
}
