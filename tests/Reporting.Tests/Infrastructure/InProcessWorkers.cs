using Microsoft.Extensions.Logging;

namespace Reporting.Tests.Infrastructure;

/// <summary>
/// What every in-process worker of the test run shares: the app's folder (the worker reads FUNCTIONS_APPLICATION_DIRECTORY
/// from the process's environment only; it is the test output, which holds the app's assembly, host.json and
/// functions.metadata) and where logs go — errors to the console unless REPORTING_TEST_LOGS names a lower level.
/// </summary>
public static class InProcessWorkers
{
    private static readonly Lazy<ILoggerFactory> Factory = new(() => LoggerFactory.Create(b => b
        .SetMinimumLevel(Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("REPORTING_TEST_LOGS"), out var level) ? level : LogLevel.Error)
        .AddSimpleConsole(o => o.SingleLine = true)));

    public static ILoggerFactory Loggers => Factory.Value;

    public static ILoggerProvider LogProvider { get; } = new SharedProvider();

    public static void Prepare()
    {
        var directory = AppContext.BaseDirectory;
        if (Environment.GetEnvironmentVariable("FUNCTIONS_APPLICATION_DIRECTORY") != directory)
        {
            if (!File.Exists(Path.Combine(directory, "functions.metadata")) || !File.Exists(Path.Combine(directory, "host.json")))
            {
                throw new InvalidOperationException($"{directory} lacks the app's functions.metadata or host.json: build the test project.");
            }
            Environment.SetEnvironmentVariable("FUNCTIONS_APPLICATION_DIRECTORY", directory);
        }
    }

    private sealed class SharedProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => Loggers.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
