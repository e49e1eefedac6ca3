using System.Diagnostics;

namespace InverseBench.Tests.TestUtilities;

/// <summary>Runs a child process (a sample app, a script) and returns its exit code and combined output.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="file"/> with <paramref name="args"/> in <paramref name="workingDirectory"/> (the current one when
    /// null) with no .NET CLI telemetry and the extra <paramref name="environment"/> variables; fails the test when it runs
    /// longer than <paramref name="limit"/> (the process tree is killed).
    /// </summary>
    public static (int Code, string Output) Run(string file, IReadOnlyList<string> args, TimeSpan limit, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"'{file} {string.Join(' ', args)}' did not finish within {limit.TotalSeconds} s.");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
