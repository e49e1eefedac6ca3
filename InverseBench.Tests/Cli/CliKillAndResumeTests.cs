using System.Diagnostics;
using InverseBench.Core.IO;

namespace InverseBench.Tests.Cli;

/// <summary>Crash safety: the CLI as a real child process, killed with SIGKILL in the middle of a sample, then re-run.</summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class CliKillAndResumeTests : CliTestBase
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [Test]
    public void KilledMidSample_TheRerunKeepsFinishedSamples_RedoesThePartialOne_AndEqualsAnUninterruptedRun()
    {
        string[] Args(string expName) =>
        [
            "run", "--config-dir", Cli.ConfigDir, "problem=navier-stokes", "algorithm=enkg", "pretrain=navier-stokes", "exp_dir=" + Cli.ExpRoot,
            "exp_name=" + expName, "problem.model.resolution=16", "problem.data.resolution=16", "problem.data.id_list=0-2",
            "algorithm.method.num_steps=6", "algorithm.method.num_samples=16", "algorithm.method.batch_size=8",
        ];
        string Dir(string expName) => Path.Combine(Cli.ExpRoot, "navier-stokes-ds2", "EnKG", expName);

        // 1. Start, wait until sample 0 is finished and sample 1 has started, then SIGKILL.
        var (process, text) = Start(Args("killed"));
        using (process)
        {
            string log = Path.Combine(Dir("killed"), "log.txt");
            var watch = Stopwatch.StartNew();
            while (!(File.Exists(log) && ReadShared(log).Contains("Running inference on test sample 1", StringComparison.Ordinal)))
            {
                if (process.HasExited) Assert.Fail("The CLI ended before sample 1 started: " + text);
                watch.Elapsed.Should().BeLessThan(Limit);
                Thread.Sleep(10);
            }

            process.Kill(entireProcessTree: true); // SIGKILL: no finally blocks, no flushing
            process.WaitForExit();
        }

        File.Exists(Path.Combine(Dir("killed"), "result_0_metrics.json")).Should().BeTrue();
        File.Exists(Path.Combine(Dir("killed"), "result_1_metrics.json")).Should().BeFalse("sample 1 was interrupted before its metrics were written");
        File.Exists(Path.Combine(Dir("killed"), "metrics.json")).Should().BeFalse();

        // 2. Re-run: sample 0 is reused, 1 and 2 are solved.
        var (code, output) = RunToEnd(Args("killed"));
        code.Should().Be(0, output);
        output.Should().Contain("Test sample 0: results exist, skipped").And.Contain("Running inference on test sample 1");
        Directory.EnumerateFiles(Dir("killed"), ".*.tmp-*").Should().BeEmpty("interrupted temporary files are cleaned up");

        // 3. An uninterrupted run gives the same numbers.
        var (cleanCode, cleanOutput) = RunToEnd(Args("clean"));
        cleanCode.Should().Be(0, cleanOutput);
        File.ReadAllText(Path.Combine(Dir("killed"), "samples.csv")).Should().Be(File.ReadAllText(Path.Combine(Dir("clean"), "samples.csv")));
        for (int id = 0; id < 3; id++)
        {
            using var a = Npy.Read(Path.Combine(Dir("killed"), $"result_{id}_reconstruction.npy"));
            using var b = Npy.Read(Path.Combine(Dir("clean"), $"result_{id}_reconstruction.npy"));
            a.eq(b).all().item<bool>().Should().BeTrue($"sample {id}");
        }
    }

    private static (Process Process, System.Text.StringBuilder Output) Start(IEnumerable<string> args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "inversebench.dll"));
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        var output = new System.Text.StringBuilder();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    private static (int Code, string Output) RunToEnd(IEnumerable<string> args)
    {
        var (process, output) = Start(args);
        using (process)
        {
            if (!process.WaitForExit(Limit))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("The CLI did not finish within " + Limit);
            }

            process.WaitForExit(); // drains the asynchronous readers
            lock (output) return (process.ExitCode, output.ToString());
        }
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
