using FunctionsDevHost;

// FunctionsDevHost --app <function app build output> [--port 7071] [--settings local.settings.json] [--state <folder>] [--no-timers]
// Serves the app's functions as the Functions host would, until Ctrl+C. See DevHost.
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var appDirectory = Arg("--app");
if (appDirectory is null || args.Contains("--help"))
{
    Console.Error.WriteLine("usage: FunctionsDevHost --app <function app build output> [--port 7071] [--settings local.settings.json] [--state <folder>] [--no-timers]");
    return 2;
}
var settings = LocalSettings.Read(Arg("--settings") ?? Path.Combine(appDirectory, "local.settings.json"));
using var stop = new CancellationTokenSource();
// Ctrl+C and SIGTERM stop the host and its worker; the signal's own handling waits for nothing.
void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    _ = Task.Run(stop.Cancel);
}
using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);

await using var host = await DevHost.StartAsync(new DevHostOptions
{
    AppDirectory = appDirectory,
    Port = int.Parse(Arg("--port") ?? "7071", System.Globalization.CultureInfo.InvariantCulture),
    Settings = settings,
    StateDirectory = Arg("--state"),
    RunTimers = !args.Contains("--no-timers"),
}, stop.Token);
try
{
    await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(120), stop.Token);
    Console.WriteLine($"Functions dev host ready: {host.BaseAddress}");
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
return 0;
