using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Reporting.Infrastructure;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// A policy in an app's storage pipeline that holds a chosen request in flight until the test releases it (a write
/// slowed by storage), or fails chosen requests as if storage were unreachable. Other requests pass untouched.
/// </summary>
public sealed class StorageGate : HttpPipelinePolicy
{
    private readonly object sync = new();
    private Func<HttpMessage, bool>? holdWhen;
    private TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<HttpMessage, bool>? failWhen;

    /// <summary>Registers this gate in the app's storage clients.</summary>
    public void Register(IServiceCollection services) => services.AddSingleton(new StoragePolicy(this, HttpPipelinePosition.PerRetry));

    /// <summary>Holds the next request matching <paramref name="when"/>; the task completes once one is held.</summary>
    public Task Hold(Func<HttpMessage, bool> when)
    {
        lock (sync)
        {
            holdWhen = when;
            held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return held.Task;
        }
    }

    /// <summary>Lets the held request (and any held later) go on to storage.</summary>
    public void Release()
    {
        lock (sync)
        {
            holdWhen = null;
            release.TrySetResult();
        }
    }

    /// <summary>Every request matching <paramref name="when"/> fails as a transport failure until <see cref="Heal"/>.</summary>
    public void Fail(Func<HttpMessage, bool> when)
    {
        lock (sync) failWhen = when;
    }

    public void Heal()
    {
        lock (sync) failWhen = null;
    }

    public static bool IsTableBatch(HttpMessage m) => m.Request.Method == RequestMethod.Post && m.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal);

    public static bool IsManifestMetadata(HttpMessage m) =>
        m.Request.Method == RequestMethod.Put && m.Request.Uri.Path.EndsWith("/manifest.json", StringComparison.Ordinal) && m.Request.Uri.Query.Contains("comp=metadata");

    public static bool IsBlobUpload(HttpMessage m, string name) =>
        m.Request.Method == RequestMethod.Put && m.Request.Uri.Path.EndsWith("/" + name, StringComparison.Ordinal) && !m.Request.Uri.Query.Contains("comp=");

    private async ValueTask GateAsync(HttpMessage message)
    {
        Task? wait = null;
        lock (sync)
        {
            if (failWhen?.Invoke(message) == true) throw new HttpRequestException("storage unreachable (injected by the test)");
            if (holdWhen?.Invoke(message) == true)
            {
                held.TrySetResult();
                wait = release.Task;
            }
        }
        if (wait is not null) await wait;
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        await GateAsync(message);
        await ProcessNextAsync(message, pipeline);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        GateAsync(message).AsTask().GetAwaiter().GetResult();
        ProcessNext(message, pipeline);
    }
}
