using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// The real Azure Storage emulator for every storage test. scripts/test.sh starts one on free ports and passes its
/// connection string in REPORTING_TEST_STORAGE; run without it (dotnet test alone), the first test starts one from
/// node_modules, in memory. Never a mock.
/// </summary>
public static class Azurite
{
    private static readonly Lazy<string> Shared = new(() =>
    {
        var configured = Environment.GetEnvironmentVariable("REPORTING_TEST_STORAGE");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;
        var server = new AzuriteServer(inMemory: true);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server.ConnectionString;
    });

    public static class Instance
    {
        public static string ConnectionString => Shared.Value;
    }

    public static string Connection(int blobPort, int tablePort) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// An Azurite process on free ports: in memory, or persisted to a folder so that it can be stopped (a storage outage)
/// and started again on the same ports with the same data.
/// </summary>
public sealed class AzuriteServer : IDisposable
{
    private readonly bool inMemory;
    private readonly string location = Path.Combine(Path.GetTempPath(), "reporting-azurite-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int blob = Azurite.FreePort();
    private readonly int queue = Azurite.FreePort();
    private readonly int table = Azurite.FreePort();
    private Process? process;

    public string ConnectionString => Azurite.Connection(blob, table);

    public AzuriteServer(bool inMemory = false)
    {
        this.inMemory = inMemory;
        Start();
    }

    public void Start()
    {
        var executable = Repo.Path_("node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException("Azurite is not installed: run 'npm ci' at the repository root, or scripts/test.sh.");
        }
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (inMemory) start.ArgumentList.Add("--inMemoryPersistence");
        else { start.ArgumentList.Add("--location"); start.ArgumentList.Add(location); }
        foreach (var a in new[] { "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString() })
        {
            start.ArgumentList.Add(a);
        }
        process = Process.Start(start)!;
        WaitFor(blob);
        WaitFor(table);
    }

    /// <summary>Stops Azurite the way a service goes away: asked to terminate, it closes its listeners and saves its data.</summary>
    public void Stop()
    {
        if (process is null || process.HasExited) return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) kill.WaitForExit();
        if (!process.WaitForExit(15_000)) process.Kill(entireProcessTree: true);
        process = null;
    }

    private static void WaitFor(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        throw new TimeoutException($"Azurite did not open port {port} within 30 s.");
    }

    public void Dispose()
    {
        Stop();
        if (!inMemory)
        {
            try { Directory.Delete(location, recursive: true); } catch (IOException) { }
        }
    }
}
