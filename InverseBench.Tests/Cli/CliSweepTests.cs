using System.Globalization;
using InverseBench.Cli;
using InverseBench.Sweeps.Planning;
using InverseBench.Sweeps.Results;

namespace InverseBench.Tests.Cli;

/// <summary><c>inversebench sweep plan|run|emit</c> and <c>report</c> in-process on the toy problem (seconds).</summary>
[TestFixture]
[NonParallelizable] // sets SLURM_ARRAY_TASK_ID / JOB_COMPLETION_INDEX
public sealed class CliSweepTests : CliTestBase
{
    private string Manifest => Path.Combine(Cli.Root, "sweeps", "toy.json");

    private string Store => Path.Combine(Cli.Root, "results.db");

    [Test]
    public void Plan_TheShippedInverseScatteringDpsSweep_WritesADeterministicManifest()
    {
        string first = Path.Combine(Cli.Root, "a.json"), second = Path.Combine(Cli.Root, "b.json");
        foreach (string output in (string[])[first, second])
        {
            Cli.RunDefaults("sweep", "plan", "configs/sweep/inv-scatter/dps.yaml", "--count", "3", "--seed", "7", "--out", output, "--results", Store,
                "--config-dir", Cli.ConfigDir).Should().Be(ExitCodes.Success, Cli.Output);
        }

        Cli.Output.Should().Contain("Planned 3 trial(s) of sweep 'inv-scatter-dps' (bayes (TPE over 0 finished trial(s) in the store), seed 7; metric psnr, maximize)");
        var manifest = SweepManifest.Load(first);
        File.ReadAllText(second).Should().Be(File.ReadAllText(first), "the same file, seed and store give the same manifest");
        manifest.Trials.Should().HaveCount(3);
        manifest.Trials.Select(t => t.Id).Should().OnlyHaveUniqueItems();
        foreach (var trial in manifest.Trials)
        {
            trial.Overrides.Should().Contain(["problem=inv-scatter", "algorithm=dps", "pretrain=inv-scatter"]);
            double g = double.Parse(trial.Parameters["algorithm.method.guidance_scale"], CultureInfo.InvariantCulture);
            g.Should().BeInRange(1.0, 128.0);
            trial.Overrides.Should().Contain("algorithm.method.guidance_scale=" + trial.Parameters["algorithm.method.guidance_scale"]);
        }

        using var store = ResultStoreLocation.Open(Store);
        store.Trials("inv-scatter-dps").Should().HaveCount(3).And.OnlyContain(t => t.Status == TrialStatus.Pending);
    }

    [Test]
    public void Plan_ABayesSweep_AgainAfterRunning_UsesTheFinishedTrialsInTheStore_Reproducibly()
    {
        string yaml = Path.Combine(Cli.Root, "toy-bayes.yaml");
        File.WriteAllText(yaml, $"name: toy-bayes\nmethod: bayes\nmetric: {{name: mse, goal: minimize}}\n" +
            $"parameters:\n  algorithm.method.prior_sigma: {{min: 0.1, max: 2.0}}\ncommand:\n  - problem={CliHarness.ToyProblem}\n  - algorithm={CliHarness.ToySolver}\n");
        string[] Plan(string output) => ["sweep", "plan", yaml, "--config-dir", Cli.ConfigDir, "--count", "2", "--seed", "4", "--out", output, "--results", Store, "exp_dir=" + Cli.ExpRoot];
        Cli.Run(Plan(Manifest)).Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("TPE over 0 finished trial(s)");
        Cli.Run("sweep", "run", Manifest).Should().Be(ExitCodes.Success, Cli.Output); // no --index, no --workers: every trial here

        string next = Path.Combine(Cli.Root, "next.json"), again = Path.Combine(Cli.Root, "again.json");
        Cli.Run(Plan(next)).Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("TPE over 2 finished trial(s) in the store");
        Cli.Run(Plan(again)).Should().Be(ExitCodes.Success, Cli.Output);

        File.ReadAllText(again).Should().Be(File.ReadAllText(next), "the same seed and store contents give the same suggestions");
        SweepManifest.Load(next).Trials.Select(t => t.Id).Should().NotIntersectWith(SweepManifest.Load(Manifest).Trials.Select(t => t.Id));
    }

    [Test]
    public void Run_ByIndex_IsIdempotent_AndTheIndexComesFromSlurmOrKubernetesWhenNotGiven()
    {
        PlanToyGrid().Trials.Should().HaveCount(4, "a 2 × 2 grid");

        Cli.Run("sweep", "run", Manifest, "--index", "0").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().MatchRegex(@"trial 0 \([0-9a-f]{12}\): finished\.");
        Cli.Run("sweep", "run", Manifest, "--index", "0").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("trial 0").And.Contain("already finished").And.Contain("skipped");

        WithVariable("SLURM_ARRAY_TASK_ID", "1", () => Cli.Run("sweep", "run", Manifest)).Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("Trial index 1 from SLURM_ARRAY_TASK_ID").And.MatchRegex(@"trial 1 \([0-9a-f]{12}\): finished\.");
        WithVariable("JOB_COMPLETION_INDEX", "3", () => Cli.Run("sweep", "run", Manifest)).Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("Trial index 3 from JOB_COMPLETION_INDEX");
        WithVariable("JOB_COMPLETION_INDEX", "4", () => Cli.Run("sweep", "run", Manifest)).Should().Be(ExitCodes.Usage, Cli.Output);
        Cli.Output.Should().Contain("Trial index '4' is not in 0..3");

        using var store = ResultStoreLocation.Open(Store);
        var trials = store.Trials("toy-grid");
        trials.Select(t => (t.Index, t.Status)).Should().Equal(
            (0, TrialStatus.Finished), (1, TrialStatus.Finished), (2, TrialStatus.Pending), (3, TrialStatus.Finished));
        trials.Should().OnlyContain(t => t.Attempts <= 1);
        var runs = store.Runs("toy-grid");
        runs.Should().HaveCount(3, "the skipped rerun of trial 0 records no run").And.OnlyContain(r => r.Status == "finished");
        runs.Should().OnlyContain(r => r.Aggregate.ContainsKey("mse") && r.Samples == 3 && r.Start.Algorithm == "ToyWiener");
        runs.Select(r => r.Start.TrialId).Should().BeEquivalentTo(trials.Where(t => t.Status == TrialStatus.Finished).Select(t => t.Id));
    }

    [Test]
    public void Report_AfterPartOfAGrid_PrintsTheTable_WithFinishedAndMissingCounts_AndWritesTablesAndFigures()
    {
        PlanToyGrid();
        Cli.Run("sweep", "run", Manifest, "--index", "2").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Run("sweep", "run", Manifest, "--index", "3").Should().Be(ExitCodes.Success, Cli.Output);
        string reports = Path.Combine(Cli.Root, "reports");

        Cli.Run("report", "--results", Store, "--out", reports).Should().Be(ExitCodes.Success, Cli.Output);

        var table = Cli.Output.Split('\n').Where(l => l.StartsWith('|')).ToList();
        table[0].Should().Be("| problem | algorithm | mse | time/sample (s) | NFE | forward evals | finished | failed | missing |");
        table[2].Should().StartWith("| toy-mask-8 | ToyWiener | **").And.EndWith(" | 2 | 0 | 2 |", "2 of the 4 planned trials finished; one row is its own best");
        table.Should().Contain(l => l.StartsWith("| toy-grid | 4 | 2 | 0 | 0 | 2 | ", StringComparison.Ordinal));
        File.ReadAllText(Path.Combine(reports, "report.csv")).Should().StartWith("problem,algorithm,best_trial,mse_mean,mse_std,");
        File.ReadAllText(Path.Combine(reports, "report.tex")).Should().Contain("\\textbf{").And.Contain("\\begin{tabular}");
        var figures = Directory.GetFiles(Path.Combine(reports, "figures"), "*.png");
        figures.Should().HaveCountGreaterThanOrEqualTo(3, "metric vs time, and metric vs each of the two swept parameters");
        foreach (string png in figures) File.ReadAllBytes(png).Take(4).Should().Equal((byte)0x89, (byte)'P', (byte)'N', (byte)'G');
    }

    [Test]
    public void Emit_SlurmAndKubernetes_NameTheArrayRangeCompletionsAndCommandPerIndex()
    {
        PlanToyGrid();
        string sbatch = Path.Combine(Cli.Root, "job.sbatch"), k8s = Path.Combine(Cli.Root, "job.yaml");

        Cli.Run("sweep", "emit", "slurm", Manifest, "--out", sbatch, "--gpus", "1", "--time", "00:10:00").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Run("sweep", "emit", "k8s", Manifest, "--out", k8s, "--image", "ib:test", "--results", "postgres://ib@db/r").Should().Be(ExitCodes.Success, Cli.Output);

        string script = File.ReadAllText(sbatch);
        script.Should().Contain("#SBATCH --array=0-3\n").And.Contain("#SBATCH --gres=gpu:1\n").And.Contain("#SBATCH --time=00:10:00\n");
        script.Should().Contain("sweep run").And.Contain("--index").And.Contain("SLURM_ARRAY_TASK_ID").And.Contain(Manifest);
        string yaml = File.ReadAllText(k8s);
        yaml.Should().Contain("completionMode: Indexed").And.Contain("completions: 4").And.Contain("image: ib:test").And.Contain("$(JOB_COMPLETION_INDEX)");
        yaml.Should().Contain("postgres://ib@db/r");
        Cli.Output.Should().NotContain("need a shared PostgreSQL store", "the Kubernetes job records into PostgreSQL");
    }

    [Test]
    public void APlainRun_IsRecordedBesideTheExperimentsFolder_AndResultsNoneTurnsRecordingOff()
    {
        Cli.RunToy("exp_name=recorded", "seed=5").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.RunToy("exp_name=unrecorded", "results=none").Should().Be(ExitCodes.Success, Cli.Output);

        using var store = ResultStoreLocation.Open(Path.Combine(Cli.Root, ResultStoreLocation.DefaultFileName)); // the parent of exp_dir
        var run = store.Runs().Should().ContainSingle("results=none records nothing").Subject;
        run.Status.Should().Be("finished");
        run.Start.Sweep.Should().BeNull();
        run.Start.TrialId.Should().MatchRegex("^[0-9a-f]{64}$", "a plain run is identified by the hash of its resolved configuration");
        (run.Start.Problem, run.Start.Algorithm, run.Start.Seed).Should().Be(("toy-mask-8", "ToyWiener", 5L));
        run.Start.ExperimentDirectory.Should().Be(Cli.ExperimentDir("recorded"));
        run.Start.Configuration.Should().Contain("num_steps: 4");
        run.Start.Versions.Should().Contain("inversebench");
        run.Start.Machine.Should().Contain(Environment.MachineName);
        run.Aggregate["mse"].Count.Should().Be(3);
        run.WallSeconds.Should().BePositive();
        var samples = store.Samples(run.Start.RunId);
        samples.Select(s => s.SampleId).Should().Equal("0", "1", "2");
        samples.Should().OnlyContain(s => !s.Reused && s.WallSeconds >= 0 && s.Metrics.ContainsKey("mse"));
        samples.Select(s => s.Metrics["mse"]).Average().Should().BeApproximately(run.Aggregate["mse"].Mean, 1e-9);
    }

    [Test]
    public void BadSweepArguments_AreUsageErrors()
    {
        Cli.Run("sweep", "plan", "no/such/sweep.yaml").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("Sweep file 'no/such/sweep.yaml' does not exist");
        PlanToyGrid();
        Cli.Run("sweep", "run", Manifest, "--index", "0", "--workers", "2").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("not both");
        Cli.Run("sweep", "emit", "lsf", Manifest).Should().Be(ExitCodes.Usage);
        Cli.Run("report", "--results", Path.Combine(Cli.Root, "none.db")).Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("No results store");
    }

    /// <summary>Plans a 2 × 2 grid on the toy problem (3 test samples per trial) into <see cref="Manifest"/> and <see cref="Store"/>.</summary>
    private SweepManifest PlanToyGrid()
    {
        string yaml = Path.Combine(Cli.Root, "toy-grid.yaml");
        File.WriteAllText(yaml, $"""
            name: toy-grid
            method: grid
            metric: {"{"}name: mse, goal: minimize{"}"}
            parameters:
              algorithm:
                parameters:
                  method:
                    parameters:
                      num_steps: {"{"}values: [2, 3]{"}"}
                      prior_sigma: {"{"}values: [0.5, 1.0]{"}"}
            command:
              - ${"{"}env{"}"}
              - problem={CliHarness.ToyProblem}
              - algorithm={CliHarness.ToySolver}
              - ${"{"}args_no_hyphens{"}"}
            """);
        Cli.Run("sweep", "plan", yaml, "--config-dir", Cli.ConfigDir, "--out", Manifest, "--results", Store, "exp_dir=" + Cli.ExpRoot)
            .Should().Be(ExitCodes.Success, Cli.Output);
        return SweepManifest.Load(Manifest);
    }

    private static int WithVariable(string name, string value, Func<int> run)
    {
        string? old = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
        try
        {
            return run();
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, old);
        }
    }
}
