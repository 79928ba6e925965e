using System.Text.Json;
using FunctionsDevHost.Rpc;
using NCrontab;

namespace FunctionsDevHost;

/// <summary>
/// Timer triggers as the Functions host runs them: each on its NCRONTAB schedule (six fields, with seconds, in UTC) taken
/// from the trigger's <c>schedule</c> (an <c>%AppSetting%</c> resolved from the settings), the worker given a
/// <c>TimerInfo</c> with the schedule's status. Like the host's schedule monitor, the last and next occurrences are kept
/// (here in a file of the state folder): an occurrence missed while nothing ran is run at start, once, as past due.
/// </summary>
public sealed class TimerTriggers(WorkerChannel worker, IReadOnlyDictionary<string, string> settings, string? stateDirectory, TimeProvider clock, ILogger logger)
{
    /// <summary>The schedule status of a timer function, as the host's monitor keeps it and the worker's TimerInfo reads it.</summary>
    public sealed record ScheduleStatus(DateTime Last, DateTime Next, DateTime LastUpdated);

    private static readonly JsonSerializerOptions Pascal = new();

    public static CrontabSchedule Schedule(FunctionDescription function, IReadOnlyDictionary<string, string> settings)
    {
        var expression = LocalSettings.Resolve(function.Trigger!.Property("schedule") ?? "", settings);
        return CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 });
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var functions = await worker.Ready.WaitAsync(cancellationToken);
        var timers = functions.Values.Where(f => f.Description.IsTimer).ToList();
        await Task.WhenAll(timers.Select(t => RunOneAsync(t, cancellationToken)));
    }

    private async Task RunOneAsync(LoadedFunction function, CancellationToken cancellationToken)
    {
        CrontabSchedule schedule;
        try
        {
            schedule = Schedule(function.Description, settings);
        }
        catch (Exception ex) when (ex is CrontabException or InvalidOperationException)
        {
            logger.LogError("Timer {Function} has no valid schedule ({Message}): not scheduled", function.Description.Name, ex.Message);
            return;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var status = Read(function.Description.Name);
        if (status is not null && status.Next <= now)
        {
            // An occurrence passed while the app was not running: run it now, once, as the host's monitor does.
            logger.LogInformation("Timer {Function} missed its occurrence at {Next:u}: running it now (past due)", function.Description.Name, status.Next);
            status = await FireAsync(function, schedule, status, pastDue: true, cancellationToken);
        }
        else if (status is null)
        {
            status = new ScheduleStatus(DateTime.MinValue, schedule.GetNextOccurrence(now), now);
            Write(function.Description.Name, status);
        }
        logger.LogInformation("Timer {Function}: next occurrence {Next:u} (UTC)", function.Description.Name, status.Next);
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = status.Next - clock.GetUtcNow().UtcDateTime;
            if (wait > TimeSpan.Zero)
            {
                // Task.Delay takes at most about 49 days at once; an annual schedule waits in steps.
                await Task.Delay(wait > TimeSpan.FromDays(7) ? TimeSpan.FromDays(7) : wait, clock, cancellationToken);
                continue;
            }
            status = await FireAsync(function, schedule, status, pastDue: clock.GetUtcNow().UtcDateTime - status.Next > TimeSpan.FromMinutes(1), cancellationToken);
        }
    }

    /// <summary>Invokes a timer function now, as its schedule or <c>POST /admin/functions/{name}</c> does.</summary>
    public async Task<InvocationResult> InvokeAsync(LoadedFunction function, bool pastDue, CancellationToken cancellationToken)
    {
        var status = Read(function.Description.Name);
        var info = new Dictionary<string, object?>
        {
            ["Schedule"] = new Dictionary<string, object?> { ["AdjustForDST"] = true },
            ["ScheduleStatus"] = status,
            ["IsPastDue"] = pastDue,
        };
        var trigger = function.Description.Trigger!;
        var result = await worker.InvokeAsync(Guid.NewGuid().ToString(), function,
            new Dictionary<string, TypedData> { [trigger.Name] = new() { Json = JsonSerializer.Serialize(info, Pascal) } },
            new Dictionary<string, TypedData>(), TimeSpan.FromMinutes(10), cancellationToken);
        if (result.Succeeded) logger.LogInformation("Timer {Function} ran{PastDue}", function.Description.Name, pastDue ? " (past due)" : "");
        else logger.LogError("Timer {Function} failed: {Error}", function.Description.Name, result.Error);
        return result;
    }

    private async Task<ScheduleStatus> FireAsync(LoadedFunction function, CrontabSchedule schedule, ScheduleStatus status, bool pastDue, CancellationToken cancellationToken)
    {
        await InvokeAsync(function, pastDue, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var next = new ScheduleStatus(status.Next, schedule.GetNextOccurrence(now), now);
        Write(function.Description.Name, next);
        return next;
    }

    private string? PathOf(string name) => stateDirectory is null ? null : Path.Combine(stateDirectory, "timers", name + ".json");

    private ScheduleStatus? Read(string name)
    {
        var path = PathOf(name);
        if (path is null || !File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ScheduleStatus>(File.ReadAllText(path), Pascal);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void Write(string name, ScheduleStatus status)
    {
        if (PathOf(name) is not { } path) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(status, Pascal));
    }
}
