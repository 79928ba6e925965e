using System.Collections.Concurrent;
using FunctionsDevHost.Rpc;
using Grpc.Core;

namespace FunctionsDevHost;

/// <summary>The workers this host started (or expects), by the id it gave each on its command line.</summary>
public sealed class WorkerRegistry
{
    private readonly ConcurrentDictionary<string, WorkerChannel> channels = new(StringComparer.Ordinal);

    public void Add(WorkerChannel channel) => channels[channel.WorkerId] = channel;

    public WorkerChannel? Find(string workerId) => channels.GetValueOrDefault(workerId);
}

/// <summary>
/// The host's side of <c>FunctionRpc.EventStream</c>: a worker's first message names it (StartStream); the rest of the
/// stream belongs to its <see cref="WorkerChannel"/>. A stream from a worker this host does not know is closed.
/// </summary>
public sealed class FunctionRpcService(WorkerRegistry workers, ILogger<FunctionRpcService> logger) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken)) return;
        var first = requestStream.Current;
        if (first.ContentCase != StreamingMessage.ContentOneofCase.StartStream || workers.Find(first.StartStream.WorkerId) is not { } channel)
        {
            logger.LogWarning("A worker connected without a StartStream naming a known worker id ({Id}): closed", first.StartStream?.WorkerId);
            return;
        }
        logger.LogDebug("Worker {WorkerId} connected", channel.WorkerId);
        await channel.RunAsync(requestStream, responseStream, context.CancellationToken);
    }
}
