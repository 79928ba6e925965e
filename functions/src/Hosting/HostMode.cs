namespace Reporting.Hosting;

/// <summary>
/// How the app was started. Under the Functions host (custom handler) the host sets FUNCTIONS_CUSTOMHANDLER_PORT,
/// owns the timer and proxies HTTP requests; standalone, the app listens on 127.0.0.1:7071 itself and runs the
/// AnnualReport schedule in-process.
/// </summary>
public sealed record HostMode(bool UnderFunctionsHost, int Port)
{
    public const int StandalonePort = 7071;

    public string Name => UnderFunctionsHost ? "functions-custom-handler" : "standalone";

    public static HostMode Detect(IConfiguration configuration)
    {
        var port = configuration["FUNCTIONS_CUSTOMHANDLER_PORT"];
        if (!string.IsNullOrEmpty(port))
        {
            return int.TryParse(port, out var p) && p is > 0 and < 65536
                ? new HostMode(true, p)
                : throw new InvalidOperationException($"FUNCTIONS_CUSTOMHANDLER_PORT is not a port number: '{port}'.");
        }
        return new HostMode(false, int.TryParse(configuration["Port"], out var standalone) ? standalone : StandalonePort);
    }
}
