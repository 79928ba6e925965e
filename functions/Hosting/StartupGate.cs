namespace Reporting.Hosting;

/// <summary>
/// Lets the worker answer as soon as it is loaded while storage is prepared in the background; invocations that
/// arrive before the tables and the catalog are ready wait for them (<see cref="Infrastructure.Middleware.StartupWait"/>).
/// </summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Ready => ready.Task;

    public void Open() => ready.TrySetResult();
}

/// <summary>
/// Completes once the app has answered its first HTTP request. Background work that would compete with that answer for
/// the CPU (the report warm-up) waits for it.
/// </summary>
public sealed class FirstAnswer
{
    private readonly TaskCompletionSource answered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Answered => answered.Task;

    public void Signal() => answered.TrySetResult();
}

/// <summary>
/// Runs the start-up tasks (tables, container, catalog) in order, after the server started listening. Storage that is
/// unreachable at start is retried with back-off until it answers: requests wait at the gate meanwhile (503 after a
/// minute) instead of the instance failing for good.
/// </summary>
public sealed class StartupTasks(IEnumerable<IStartupTask> tasks, StartupGate gate, ILogger<StartupTasks> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the host's start-up path at once: building the storage clients and the first calls take a while.
        await Task.Yield();
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                foreach (var task in tasks) await task.RunAsync(stoppingToken);
                gate.Open();
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var wait = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt - 1)));
                logger.LogError(ex, "Start-up attempt {Attempt} could not prepare storage; retrying in {Wait}", attempt, wait);
                await Task.Delay(wait, stoppingToken);
            }
        }
    }
}

public interface IStartupTask
{
    Task RunAsync(CancellationToken cancellationToken);
}
