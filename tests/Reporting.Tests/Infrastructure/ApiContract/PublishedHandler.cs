using System.Diagnostics;
using System.Text;

namespace Reporting.Tests.Infrastructure.ApiContract;

/// <summary>
/// The deployment package's app served by the development host as a program, on a free port against Azurite with its own
/// tables: what an agency's tools reach over HTTP (<see cref="PublishedApp"/>).
/// </summary>
public sealed class PublishedHandler : IAsyncLifetime
{
    private readonly StringBuilder output = new();
    private Process? process;

    public string BaseUrl { get; private set; } = "";
    public Tokens Tokens { get; } = new(ReportingApp.Issuer, ReportingApp.Audience, Tokens.TestKey);

    /// <summary>What the handler printed, for a failing test's message.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    public async Task InitializeAsync()
    {
        var port = Azurite.FreePort();
        var settings = PublishedApp.Settings("c" + Guid.NewGuid().ToString("N")[..10]);
        settings["Report__WarmUpOnStart"] = "false";
        process = PublishedApp.Start(settings, port, output);
        BaseUrl = $"http://127.0.0.1:{port}";
        using var http = new HttpClient();
        await PublishedApp.WaitUntilReadyAsync(http, BaseUrl, process, output);
    }

    public Task DisposeAsync()
    {
        if (process is not null) PublishedApp.Stop(process);
        process?.Dispose();
        return Task.CompletedTask;
    }
}
