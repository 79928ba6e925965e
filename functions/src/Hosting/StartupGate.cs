namespace Reporting.Hosting;

/// <summary>
/// Lets the app answer as soon as Kestrel listens while storage is prepared in the background. The Functions host
/// waits for the handler's first answer before it sends anything, so start-up is that first answer; API requests that
/// arrive before the tables and the catalog are ready wait here for them (and get 503 if preparation failed).
/// </summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => ready.Task;

    public void Open() => ready.TrySetResult();

    public void Fail(Exception ex) => ready.TrySetException(ex);
}

/// <summary>Runs the start-up tasks (tables, container, catalog) in order, after the server started listening.</summary>
public sealed class StartupTasks(IEnumerable<IStartupTask> tasks, StartupGate gate, ILogger<StartupTasks> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's start-up path at once: building the storage clients and the first calls take a while.
        await Task.Yield();
        try
        {
            foreach (var task in tasks) await task.RunAsync(stoppingToken);
            gate.Open();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogCritical(ex, "Start-up failed: storage could not be prepared");
            gate.Fail(ex);
        }
    }
}

public interface IStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}

public static class StartupGateMiddleware
{
    /// <summary>Everything but the host's readiness probe ("/") and health waits for start-up to finish.</summary>
    public static IApplicationBuilder UseStartupGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path.Value ?? "/";
        if (path is not ("/" or "/api/health"))
        {
            var gate = context.RequestServices.GetRequiredService<StartupGate>();
            try
            {
                await gate.Ready.WaitAsync(TimeSpan.FromSeconds(60), context.RequestAborted);
            }
            catch (Exception ex) when (ex is TimeoutException || !gate.Ready.IsCompletedSuccessfully && ex is not OperationCanceledException)
            {
                await Infrastructure.Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Starting",
                    "The service is still preparing its storage, or could not; retry shortly.");
                return;
            }
        }
        await next(context);
    });
}
