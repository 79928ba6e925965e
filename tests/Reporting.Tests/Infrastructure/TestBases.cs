using System.Text;
using System.Text.Json;

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

    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>A PUT of <paramref name="json"/> with the HTTP preconditions a client may send.</summary>
    public static HttpRequestMessage Put(string path, string json, string? ifMatch = null, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = Body(json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        return request;
    }
}
