using System.Diagnostics;
using System.Text.RegularExpressions;
using InverseBench.Cli;
using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Results;
using InverseBench.Tests.Sweeps;

namespace InverseBench.Tests.Cli;

/// <summary>
/// Issue 17's acceptance check: a tiny grid run by <c>sweep run --workers 2</c> as real processes against SQLite and a real
/// PostgreSQL server, one worker SIGKILLed mid-trial, the same command re-run: every trial finishes exactly once (the killed
/// one is redone and reuses its saved sample) and <c>report</c> prints the table with the right counts.
/// </summary>
[TestFixture]
[Category("Integration")]
[NonParallelizable]
public sealed class CliSweepWorkersTests : CliTestBase
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);

    [TestCase("sqlite")]
    [TestCase("postgres")]
    public void Workers2_OneKilledMidTrial_TheRerunFinishesEveryTrialExactlyOnce_AndTheReportCountsThem(string backend)
    {
        using var postgres = backend == "postgres" ? TestPostgres.CreateOrIgnore() : null;
        string results = postgres?.Uri ?? Path.Combine(Cli.Root, "results.db");
        string manifestPath = Path.Combine(Cli.Root, "ns-grid.json");
        string yaml = Path.Combine(Cli.Root, "ns-grid.yaml");
        // Navier-Stokes at 16 px with EnKG (a real problem the child processes know); trial 0 is the slow one that gets killed.
        File.WriteAllText(yaml, """
            name: ns-grid
            method: grid
            metric: {name: relative l2, goal: minimize}
            parameters:
              algorithm.method.num_steps: {values: [12, 2, 3]}
            command:
              - problem=navier-stokes
              - algorithm=enkg
              - pretrain=navier-stokes
              - problem.model.resolution=16
              - problem.data.resolution=16
              - problem.data.id_list=0-1
              - algorithm.method.num_samples=8
              - algorithm.method.batch_size=8
            """);
        Cli.Run("sweep", "plan", yaml, "--config-dir", Cli.ConfigDir, "--out", manifestPath, "--results", results, "exp_dir=" + Cli.ExpRoot)
            .Should().Be(ExitCodes.Success, Cli.Output);
        var manifest = SweepManifest.Load(manifestPath);
        manifest.Trials.Should().HaveCount(3);
        string[] run = ["sweep", "run", manifestPath, "--workers", "2", "--results", results];

        // 1. Two workers; the worker of trial 0 is SIGKILLed once its second test sample has started.
        int killed = 0;
        var (first, firstOutput) = Start(run, line =>
        {
            if (Regex.Match(line, @"^\[0\] worker process (\d+) started") is { Success: true } m) killed = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            else if (killed > 0 && line.StartsWith("[0] ", StringComparison.Ordinal) && line.Contains("Running inference on test sample 1", StringComparison.Ordinal))
                KillQuietly(killed); // SIGKILL: no finally blocks, the claim stays "running"
        });
        int firstCode = Finish(first, firstOutput, out string firstText);
        firstCode.Should().Be(ExitCodes.Failure, firstText);
        firstText.Should().Contain("trial 0: worker exited with code 137 (killed)").And.Contain("2 of 3 trial(s) finished");
        using (var store = ResultStoreLocation.Open(results))
        {
            store.Trials("ns-grid").Select(t => t.Status).Should().Equal(TrialStatus.Running, TrialStatus.Finished, TrialStatus.Finished);
            store.Trials("ns-grid")[0].ProcessId.Should().Be(killed);
        }

        Cli.Run("report", "--results", results, "--sweep", "ns-grid", "--out", Path.Combine(Cli.Root, "r1")).Should().Be(ExitCodes.Success, Cli.Output);
        Rows(Cli.Output).Should().Contain(l => l.StartsWith("| navier-stokes-ds2 | EnKG | **", StringComparison.Ordinal) && l.EndsWith(" | 2 | 0 | 1 |", StringComparison.Ordinal));
        Rows(Cli.Output).Should().Contain(l => l.StartsWith("| ns-grid | 3 | 2 | 0 | 1 | 0 | ", StringComparison.Ordinal));

        // 2. The same command again: trial 0 (held by a dead process of this host) is redone, 1 and 2 are skipped.
        var (second, secondOutput) = Start(run, _ => { });
        Finish(second, secondOutput, out string secondText).Should().Be(ExitCodes.Success, secondText);
        secondText.Should().Contain("2 already finished, 1 to run").And.Contain("3 of 3 trial(s) finished");

        using (var store = ResultStoreLocation.Open(results))
        {
            var trials = store.Trials("ns-grid");
            trials.Should().OnlyContain(t => t.Status == TrialStatus.Finished);
            trials.Select(t => t.Attempts).Should().Equal(2, 1, 1);
            var runs = store.Runs("ns-grid");
            foreach (var t in trials)
                runs.Where(r => r.Start.TrialId == t.Id && r.Status == "finished").Should().ContainSingle("trial {0} finishes exactly once", t.Index);
            runs.Should().ContainSingle(r => r.Status == "abandoned").Which.Start.TrialId.Should().Be(trials[0].Id);
            runs.Should().HaveCount(4);
            var redo = runs.Single(r => r.Start.TrialId == trials[0].Id && r.Status == "finished");
            store.Samples(redo.Start.RunId).Select(s => (s.SampleId, s.Reused)).Should().Equal(("0", true), ("1", false));
            runs.Where(r => r.Status == "finished").Should().OnlyContain(r => r.NetworkCalls > 0 && r.ForwardItems > 0 && r.SampleWallSeconds > 0,
                "NFE, forward evaluations and times are recorded per sample");
            redo.Start.Configuration.Should().Contain("num_steps: 12");
        }

        Cli.Run("report", "--results", results, "--sweep", "ns-grid", "--out", Path.Combine(Cli.Root, "r2")).Should().Be(ExitCodes.Success, Cli.Output);
        Rows(Cli.Output).Should().Contain(l => l.StartsWith("| navier-stokes-ds2 | EnKG | **", StringComparison.Ordinal) && l.EndsWith(" | 3 | 0 | 0 |", StringComparison.Ordinal));
        Rows(Cli.Output).Should().Contain(l => l.StartsWith("| ns-grid | 3 | 3 | 0 | 0 | 0 | ", StringComparison.Ordinal));
    }

    /// <summary>Kills a process (from an output callback, where an exception would end the test host); a finished one is left.</summary>
    private static void KillQuietly(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            TestContext.Out.WriteLine($"Process {pid} could not be killed: {ex.Message}");
        }
    }

    private static List<string> Rows(string output) => output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith('|')).ToList();

    private static (Process Process, System.Text.StringBuilder Output) Start(IEnumerable<string> args, Action<string> onLine)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "inversebench.dll"));
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment.Remove("INVERSEBENCH_RESULTS");
        var output = new System.Text.StringBuilder();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            onLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (output) output.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output);
    }

    private static int Finish(Process process, System.Text.StringBuilder output, out string text)
    {
        using (process)
        {
            if (!process.WaitForExit(Limit))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail("sweep run did not finish within " + Limit + ": " + output);
            }

            process.WaitForExit();
            lock (output) text = output.ToString();
            TestContext.Out.WriteLine(text);
            return process.ExitCode;
        }
    }
}
