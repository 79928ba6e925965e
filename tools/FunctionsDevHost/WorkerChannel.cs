using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using FunctionsDevHost.Rpc;
using Google.Protobuf;
using Grpc.Core;

namespace FunctionsDevHost;

/// <summary>A function the worker has loaded: what the host invokes it by.</summary>
public sealed record LoadedFunction(string FunctionId, FunctionDescription Description);

/// <summary>The answer to one invocation: success, or the worker's failure.</summary>
public sealed record InvocationResult(bool Succeeded, string? Error, TypedData? ReturnValue);

/// <summary>
/// The event stream with one worker, as the Functions host keeps it: the worker connects and says who it is
/// (StartStream); the host initialises it (WorkerInitRequest, whose answer gives the worker's capabilities, among them
/// the address of its ASP.NET Core server), asks for its functions (FunctionsMetadataRequest), loads each one
/// (FunctionLoadRequest) and from then on invokes them (InvocationRequest). Answers are matched to requests by id: the
/// worker handles every message on its own task, so they come back in any order. One writer sends every message.
/// </summary>
public sealed class WorkerChannel(string workerId, FunctionApp app, ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger("FunctionsDevHost");
    private readonly ConcurrentDictionary<string, ILogger> workerLoggers = new(StringComparer.Ordinal);
    private readonly Channel<StreamingMessage> outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> pending = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<IReadOnlyDictionary<string, LoadedFunction>> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource closed = new();

    public string WorkerId => workerId;

    /// <summary>The worker's ASP.NET Core server (its HttpUri capability), where HTTP requests are forwarded.</summary>
    public Uri? HttpUri => address ?? capability;

    private Uri? capability;
    private Uri? address;

    /// <summary>
    /// Where the worker's server really listens, when its owner knows better than the capability (an in-process worker
    /// bound to a port the system chose after the capability was sent).
    /// </summary>
    public void ListensAt(Uri server) => address = server;

    /// <summary>Completes with the loaded functions by name once the worker is initialised; fails if it could not be.</summary>
    public Task<IReadOnlyDictionary<string, LoadedFunction>> Ready => ready.Task;

    /// <summary>Whether the worker has connected (StartStream).</summary>
    public Task Connected => connected.Task;

    /// <summary>Serves the worker's event stream until the worker goes or the host stops.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, closed.Token);
        var writer = Task.Run(async () =>
        {
            await foreach (var message in outbound.Reader.ReadAllAsync(linked.Token))
            {
                await responses.WriteAsync(message, linked.Token);
            }
        }, linked.Token);
        connected.TrySetResult();
        if (DevHost.WorkerStartedAt is { } started)
        {
            logger.LogInformation("Worker {WorkerId} connected {Milliseconds:0} ms after its process started", workerId, (DateTimeOffset.UtcNow - started).TotalMilliseconds);
        }
        _ = Task.Run(() => InitializeAsync(linked.Token), linked.Token);
        try
        {
            while (await requests.MoveNext(linked.Token))
            {
                Receive(requests.Current);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || ex is Grpc.Core.RpcException { StatusCode: StatusCode.Cancelled })
        {
            // The worker went away, or the host is stopping.
        }
        finally
        {
            closed.Cancel();
            foreach (var waiting in pending.Values) waiting.TrySetException(new IOException($"Worker {workerId} disconnected."));
            ready.TrySetException(new IOException($"Worker {workerId} disconnected before it was initialised."));
            try { await writer; } catch (OperationCanceledException) { } catch (IOException) { }
        }
    }

    private void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                Log(message.RpcLog);
                return;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                Complete("init", message);
                return;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                Complete("metadata", message);
                return;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                Complete("load:" + message.FunctionLoadResponse.FunctionId, message);
                return;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                Complete("invoke:" + message.InvocationResponse.InvocationId, message);
                return;
            case StreamingMessage.ContentOneofCase.WorkerStatusResponse:
                Complete("status:" + message.RequestId, message);
                return;
        }
    }

    private void Complete(string key, StreamingMessage message)
    {
        if (pending.TryRemove(key, out var waiting)) waiting.TrySetResult(message);
    }

    private async Task<StreamingMessage> AskAsync(string key, StreamingMessage message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var answer = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[key] = answer;
        try
        {
            await outbound.Writer.WriteAsync(message, cancellationToken);
            return await answer.Task.WaitAsync(timeout, cancellationToken);
        }
        finally
        {
            pending.TryRemove(key, out _);
        }
    }

    /// <summary>When each phase of the worker's start-up ended (from when it connected): what start-up time is made of.</summary>
    public IReadOnlyList<(string Phase, TimeSpan At)> Phases => phases;

    private readonly List<(string Phase, TimeSpan At)> phases = [];

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var since = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string name)
        {
            lock (phases) phases.Add((name, since.Elapsed));
        }
        try
        {
            var init = await AskAsync("init", new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                WorkerInitRequest = new WorkerInitRequest
                {
                    HostVersion = DevHost.Version,
                    FunctionAppDirectory = app.Directory,
                    WorkerDirectory = app.Directory,
                },
            }, TimeSpan.FromSeconds(30), cancellationToken);
            Require(init.WorkerInitResponse.Result, "initialise");
            Phase("initialised (WorkerInitResponse)");
            if (init.WorkerInitResponse.Capabilities.TryGetValue("HttpUri", out var httpUri) && httpUri.Length > 0)
            {
                capability = new Uri(httpUri);
            }

            var metadata = await AskAsync("metadata", new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = app.Directory },
            }, TimeSpan.FromSeconds(60), cancellationToken);
            Require(metadata.FunctionMetadataResponse.Result, "list its functions");
            Phase("functions indexed (FunctionMetadataResponse)");

            var indexed = metadata.FunctionMetadataResponse.FunctionMetadataResults;
            var declared = app.Functions.Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
            var found = indexed.Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
            if (!declared.SequenceEqual(found))
            {
                throw new InvalidOperationException(
                    $"functions.metadata lists [{string.Join(", ", declared)}] but the worker has [{string.Join(", ", found)}]: rebuild the app.");
            }

            var loads = indexed.Select(async function =>
            {
                var description = app.Functions.Single(f => f.Name == function.Name);
                var load = new FunctionLoadRequest
                {
                    FunctionId = function.FunctionId,
                    Metadata = new RpcFunctionMetadata
                    {
                        Name = function.Name,
                        Directory = "",
                        ScriptFile = function.ScriptFile,
                        EntryPoint = function.EntryPoint,
                        IsProxy = false,
                        Language = function.Language,
                    },
                };
                // The worker reads the bindings from this map (not from the raw JSON), as the host builds it.
                foreach (var raw in function.RawBindings)
                {
                    var binding = Binding.Parse(raw);
                    load.Metadata.Bindings[binding.Name] = new BindingInfo
                    {
                        Type = binding.Type,
                        Direction = binding.Direction.ToLowerInvariant() switch
                        {
                            "out" => BindingInfo.Types.Direction.Out,
                            "inout" => BindingInfo.Types.Direction.Inout,
                            _ => BindingInfo.Types.Direction.In,
                        },
                        DataType = binding.Property("dataType")?.ToLowerInvariant() switch
                        {
                            "string" => BindingInfo.Types.DataType.String,
                            "binary" => BindingInfo.Types.DataType.Binary,
                            "stream" => BindingInfo.Types.DataType.Stream,
                            _ => BindingInfo.Types.DataType.Undefined,
                        },
                    };
                }
                var answer = await AskAsync("load:" + function.FunctionId, new StreamingMessage { RequestId = Guid.NewGuid().ToString(), FunctionLoadRequest = load },
                    TimeSpan.FromSeconds(60), cancellationToken);
                Require(answer.FunctionLoadResponse.Result, $"load {function.Name}");
                return new LoadedFunction(function.FunctionId, description);
            });
            var loaded = await Task.WhenAll(loads);
            Phase("functions loaded (FunctionLoadResponse × " + loaded.Length + ")");
            logger.LogInformation("Worker {WorkerId}: {Count} functions loaded; start-up after connecting: {Phases}", workerId, loaded.Length,
                string.Join(", ", phases.Select(p => $"{p.Phase} +{p.At.TotalMilliseconds:0} ms")));
            ready.TrySetResult(loaded.ToDictionary(f => f.Description.Name, StringComparer.OrdinalIgnoreCase));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Worker {WorkerId} could not be initialised", workerId);
            ready.TrySetException(ex);
        }
    }

    private static void Require(StatusResult result, string what)
    {
        if (result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"The worker could not {what}: {result.Exception?.Message ?? result.Result}");
        }
    }

    /// <summary>
    /// Invokes a loaded function. <paramref name="inputs"/> are the input bindings by name; <paramref name="triggerMetadata"/>
    /// the binding data the worker binds other parameters from (route values, query parameters).
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(string invocationId, LoadedFunction function, IReadOnlyDictionary<string, TypedData> inputs,
        IReadOnlyDictionary<string, TypedData> triggerMetadata, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            // The worker reads the trace context of every invocation: an empty one starts a new trace.
            TraceContext = new RpcTraceContext { TraceParent = System.Diagnostics.Activity.Current?.Id ?? "", TraceState = "" },
        };
        foreach (var (name, data) in inputs) request.InputData.Add(new ParameterBinding { Name = name, Data = data });
        foreach (var (name, data) in triggerMetadata) request.TriggerMetadata[name] = data;
        StreamingMessage answer;
        try
        {
            answer = await AskAsync("invoke:" + invocationId, new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = request }, timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            await outbound.Writer.WriteAsync(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId } }, CancellationToken.None);
            return new InvocationResult(false, $"{function.Description.Name} did not finish within {timeout}.", null);
        }
        var result = answer.InvocationResponse.Result;
        return result.Status == StatusResult.Types.Status.Success
            ? new InvocationResult(true, null, answer.InvocationResponse.ReturnValue)
            : new InvocationResult(false, result.Exception?.Message ?? result.Status.ToString(), null);
    }

    /// <summary>Asks the worker to stop (it answers nothing and stops its host).</summary>
    public async Task TerminateAsync()
    {
        if (!connected.Task.IsCompleted) return;
        await outbound.Writer.WriteAsync(new StreamingMessage
        {
            WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) },
        });
    }

    public void Close() => closed.Cancel();

    private void Log(RpcLog log)
    {
        var level = log.Level switch
        {
            RpcLog.Types.Level.Trace => LogLevel.Trace,
            RpcLog.Types.Level.Debug => LogLevel.Debug,
            RpcLog.Types.Level.Information => LogLevel.Information,
            RpcLog.Types.Level.Warning => LogLevel.Warning,
            RpcLog.Types.Level.Error => LogLevel.Error,
            RpcLog.Types.Level.Critical => LogLevel.Critical,
            _ => LogLevel.None,
        };
        // Under the worker's own category, so the host's log filters apply to it as to its own.
        var categoryLogger = workerLoggers.GetOrAdd(log.Category ?? "Worker", loggers.CreateLogger);
        if (!categoryLogger.IsEnabled(level)) return;
        categoryLogger.Log(level, "{Message}{Exception}", log.Message, log.Exception is { Message.Length: > 0 } e ? Environment.NewLine + e.Message : "");
    }

    /// <summary>A string for the worker: a route value, a query parameter.</summary>
    public static TypedData Text(string value) => new() { String = value };

    public static TypedData Json<T>(T value) => new() { Json = JsonSerializer.Serialize(value) };
}
