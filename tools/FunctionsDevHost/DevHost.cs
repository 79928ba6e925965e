using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace FunctionsDevHost;

public sealed class DevHostOptions
{
    /// <summary>The function app's build output: host.json, functions.metadata and the app's assembly.</summary>
    public required string AppDirectory { get; init; }

    /// <summary>Where HTTP is served (0: a free port). The Functions host's own default is 7071.</summary>
    public int Port { get; init; } = 7071;

    /// <summary>The app settings the worker runs with (a local.settings.json's Values).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>Start the worker process (dotnet App.dll), as the host does; false when the caller hosts the worker itself (tests).</summary>
    public bool StartWorker { get; init; } = true;

    /// <summary>Run timer triggers on their schedules (they can always be run with POST /admin/functions/{name}).</summary>
    public bool RunTimers { get; init; } = true;

    /// <summary>Where timers keep their schedule status between runs; none: every start is a first start.</summary>
    public string? StateDirectory { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public ILoggerFactory? Loggers { get; init; }
}

/// <summary>
/// A development stand-in for the Azure Functions host, for this repository: it starts the app's worker as the host does
/// (or waits for one the caller hosts), speaks the host's gRPC protocol to it, serves its HTTP triggers at
/// <c>http://127.0.0.1:{port}/{routePrefix}/…</c>, runs its timer triggers on their schedules, and invokes any function on
/// <c>POST /admin/functions/{name}</c> as the host's admin API does. Not a replacement for the host: no keys, no scale, no
/// other triggers; where Core Tools are installed, <c>func start</c> is the way.
/// </summary>
public sealed class DevHost : IAsyncDisposable
{
    public const string Version = "4.0.0-devhost";

    private readonly WebApplication grpc;
    private readonly WebApplication front;
    private readonly WorkerChannel channel;
    private Process? process;
    private readonly CancellationTokenSource stopping = new();
    private readonly ILogger logger;
    private Task timers = Task.CompletedTask;
    private TimerTriggers timerTriggers = null!;

    private DevHost(WebApplication grpc, WebApplication front, WorkerChannel channel, ILogger logger, FunctionApp app)
    {
        this.grpc = grpc;
        this.front = front;
        this.channel = channel;
        this.logger = logger;
        App = app;
    }

    public FunctionApp App { get; }

    /// <summary>Where the app's HTTP triggers are served: http://127.0.0.1:{port}.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The gRPC endpoint a worker connects to (its --functions-uri).</summary>
    public Uri GrpcAddress { get; private set; } = null!;

    /// <summary>The id the worker must give in StartStream (its --functions-worker-id).</summary>
    public string WorkerId => channel.WorkerId;

    /// <summary>The worker is initialised and every function is loaded.</summary>
    public Task Ready => channel.Ready;

    /// <summary>The worker process, when this host started it (its output goes to this host's log).</summary>
    public Process? WorkerProcess => process;

    public static async Task<DevHost> StartAsync(DevHostOptions options, CancellationToken cancellationToken = default)
    {
        var loggers = options.Loggers ?? LoggerFactory.Create(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            // The app's own logs (through the worker) at Information; the frameworks' request chatter at Warning.
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddFilter("Yarp", LogLevel.Warning)
            .AddFilter("Grpc", LogLevel.Warning));
        var logger = loggers.CreateLogger("FunctionsDevHost");
        var app = FunctionApp.Read(options.AppDirectory);
        var workers = new WorkerRegistry();
        var channel = new WorkerChannel(Guid.NewGuid().ToString(), app, loggers);
        workers.Add(channel);

        // The event stream: HTTP/2 without TLS (the worker connects with prior knowledge), loopback only.
        var grpcBuilder = WebApplication.CreateSlimBuilder();
        grpcBuilder.Logging.ClearProviders();
        // The owner of this host stops it (Ctrl+C in the program, disposal in the tests), not the process's signals.
        grpcBuilder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        grpcBuilder.Services.AddSingleton(loggers);
        grpcBuilder.Services.AddSingleton(workers);
        grpcBuilder.Services.AddGrpc(o =>
        {
            // As the host: no message size limit of its own (a worker's metadata can be large).
            o.MaxReceiveMessageSize = null;
            o.MaxSendMessageSize = null;
        });
        grpcBuilder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var grpc = grpcBuilder.Build();
        grpc.MapGrpcService<FunctionRpcService>();
        await grpc.StartAsync(cancellationToken);
        var grpcAddress = new Uri(grpc.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal) + "/");

        var frontBuilder = WebApplication.CreateSlimBuilder();
        frontBuilder.Logging.ClearProviders();
        frontBuilder.Services.AddSingleton<IHostLifetime, OwnedLifetime>();
        frontBuilder.Services.AddSingleton(loggers);
        frontBuilder.Services.AddHttpForwarder();
        frontBuilder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port);
            k.Limits.MaxRequestBodySize = null; // the app sets its own limits
        });
        var front = frontBuilder.Build();
        var host = new DevHost(grpc, front, channel, logger, app) { GrpcAddress = grpcAddress };
        var triggers = new HttpTriggers(channel, HttpTriggers.RoutesOf(app), front.Services.GetRequiredService<Yarp.ReverseProxy.Forwarder.IHttpForwarder>(), logger);
        var timerTriggers = new TimerTriggers(channel, options.Settings, options.StateDirectory, options.Clock, logger);
        front.MapPost("/admin/functions/{name}", async (string name, HttpContext context) =>
        {
            var functions = await channel.Ready;
            if (!functions.TryGetValue(name, out var function)) return Results.NotFound();
            // The host's admin API: the invocation runs with the input given (a timer's is its TimerInfo). This host answers
            // once the invocation has finished, so a script knows it is done; the host answers 202 at once.
            var result = function.Description.IsTimer
                ? await timerTriggers.InvokeAsync(function, pastDue: false, context.RequestAborted)
                : throw new NotSupportedException("Only timer functions are invoked through the admin API here; HTTP functions are called by their routes.");
            return result.Succeeded ? Results.StatusCode(StatusCodes.Status202Accepted) : Results.Problem(result.Error, statusCode: 500, title: $"{name} failed");
        });
        // Everything else is an HTTP trigger's (a catch-all ranks below the admin route).
        front.Map("{**path}", triggers.HandleAsync);
        // The forwarding path, exercised once before the worker starts (the Functions host is long running: its own
        // first forward is not what a new worker's first request waits for).
        front.MapGet("/admin/host/warmup", (HttpContext context) => triggers.WarmUpAsync(context));
        front.MapGet("/admin/host/ping", () => Results.NoContent());
        try
        {
            await front.StartAsync(cancellationToken);
        }
        catch
        {
            // The port is taken, say.
            await grpc.StopAsync(CancellationToken.None);
            throw;
        }
        host.BaseAddress = new Uri(front.Urls.First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal));
        using (var self = new HttpClient { BaseAddress = host.BaseAddress })
        {
            await self.GetAsync("/admin/host/warmup", cancellationToken);
        }
        // The worker last, once this host listens on both sides, as the Functions host (already running) starts it: its
        // start-up is then its own, not shared with this host's.
        if (options.StartWorker)
        {
            host.process = StartWorkerProcess(app, options.Settings, grpcAddress, channel.WorkerId, loggers.CreateLogger("Worker"));
        }
        host.timerTriggers = timerTriggers;
        if (options.RunTimers)
        {
            host.timers = Task.Run(() => timerTriggers.RunAsync(host.stopping.Token));
        }
        logger.LogInformation("Functions dev host: {Count} functions of {App} at {Address}", app.Functions.Count, app.Directory, host.BaseAddress);
        foreach (var route in HttpTriggers.RoutesOf(app))
        {
            logger.LogDebug("  {Name}: [{Methods}] {Address}{Template}", route.Function.Name, string.Join(",", route.Methods), host.BaseAddress, route.Template);
        }
        return host;
    }

    /// <summary>
    /// <c>dotnet App.dll</c> in the app's folder with the host's arguments (the worker 2.x reads the --functions-* ones) and
    /// environment: the app settings, the folder as FUNCTIONS_APPLICATION_DIRECTORY, the Development environment.
    /// </summary>
    private static Process StartWorkerProcess(FunctionApp app, IReadOnlyDictionary<string, string> settings, Uri grpcAddress, string workerId, ILogger logger)
    {
        var assembly = Path.Combine(app.Directory, app.Functions.FirstOrDefault()?.ScriptFile ?? throw new InvalidOperationException("The app has no functions."));
        var requestId = Guid.NewGuid().ToString();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = app.Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     assembly, "--host", "127.0.0.1", "--port", grpcAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--functions-uri", grpcAddress.ToString(), "--functions-worker-id", workerId, "--functions-request-id", requestId,
                     "--functions-grpc-max-message-length", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in settings)
        {
            // What the host's own environment already sets wins, as with func start.
            if (Environment.GetEnvironmentVariable(name) is null) start.Environment[name] = value;
        }
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = app.Directory;
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = app.Directory;
        start.Environment["AzureWebJobsScriptRoot"] = app.Directory;
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT") ?? "Development";
        // The worker's own server listens where the worker says (its HttpUri), not where this host's variables would put it.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "DOTNET_URLS" }) start.Environment.Remove(name);
        var started = DateTimeOffset.UtcNow;
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the worker (dotnet).");
        // When the worker started, for whoever measures its start-up (scripts/benchmark.sh).
        logger.LogInformation("Worker process {Pid} started at {UnixMilliseconds}", process.Id, started.ToUnixTimeMilliseconds());
        WorkerStartedAt = started;
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) logger.LogInformation("{Line}", line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) logger.LogWarning("{Line}", line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Forwards HTTP to <paramref name="server"/>: where an in-process worker's server listens.</summary>
    public void WorkerListensAt(Uri server) => channel.ListensAt(server);

    /// <summary>Runs a timer function now, as its schedule would (past due: as when an occurrence was missed).</summary>
    public async Task<InvocationResult> RunTimerAsync(string name, bool pastDue = false, CancellationToken cancellationToken = default)
    {
        var functions = await channel.Ready;
        if (!functions.TryGetValue(name, out var function) || !function.Description.IsTimer)
        {
            throw new ArgumentException($"{name} is not a timer function of the app.", nameof(name));
        }
        return await timerTriggers.InvokeAsync(function, pastDue, cancellationToken);
    }

    /// <summary>When this host started the worker process (null when the caller hosts the worker).</summary>
    internal static DateTimeOffset? WorkerStartedAt { get; private set; }

    /// <summary>Waits until the worker is initialised with every function loaded; throws if it exits first.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var exited = process is null ? Task.Delay(Timeout.Infinite, cancellationToken) : process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(channel.Ready, exited).WaitAsync(timeout, cancellationToken);
        if (first == exited) throw new InvalidOperationException($"The worker exited with code {process!.ExitCode} before it was ready.");
        await channel.Ready;
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        try
        {
            await channel.TerminateAsync();
            if (process is not null && !process.WaitForExit(TimeSpan.FromSeconds(5))) process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or SocketException)
        {
            logger.LogDebug(ex, "Stopping the worker");
        }
        channel.Close();
        try { await timers; } catch (OperationCanceledException) { }
        await front.StopAsync();
        await grpc.StopAsync();
        await front.DisposeAsync();
        await grpc.DisposeAsync();
        process?.Dispose();
    }
}

/// <summary>A lifetime that leaves the process's signals to the host's owner, which stops and disposes it.</summary>
internal sealed class OwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
