using System.Diagnostics;

namespace Reporting.Tests.Reports;

/// <summary>Reads PDFs the way a reader's tools do: poppler's pdftotext (installed by scripts/test.sh).</summary>
public static class Pdf
{
    public static string Text(byte[] pdf, bool raw = true)
    {
        var file = Path.Combine(Path.GetTempPath(), $"reporting-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            return Run("pdftotext", raw ? ["-raw", "-enc", "UTF-8", file, "-"] : ["-enc", "UTF-8", file, "-"]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Text with all whitespace removed: a string the report wraps over two lines still matches.</summary>
    public static string Flat(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>Runs a command-line tool; its output, or an exception naming the tool when it fails.</summary>
    public static string Run(string tool, params string[] args)
    {
        var (exit, output, error) = Tool.Run(tool, args);
        return exit == 0 ? output : throw new InvalidOperationException($"{tool} failed: {error}");
    }
}

/// <summary>Runs an external program to completion and returns its exit code and both outputs.</summary>
public static class Tool
{
    public static (int Exit, string Output, string Error) Run(string tool, params string[] args) => RunWith(tool, new Dictionary<string, string>(), args);

    /// <summary>Runs <paramref name="tool"/> with <paramref name="environment"/> added to (or replacing entries of) this process's.</summary>
    public static (int Exit, string Output, string Error) RunWith(string tool, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        ProcessStartInfo start = new(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"{tool} is not installed: scripts/test.sh installs poppler-utils and the Bicep CLI comes from NuGet.");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
