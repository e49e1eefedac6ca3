using System.Text.Json.Nodes;
using InverseBench.Cli;
using InverseBench.Core.Abstractions;
using InverseBench.Core.DependencyInjection;
using InverseBench.Tests.Core.Fakes;

namespace InverseBench.Tests.Cli;

/// <summary>The CLI as a shell over the run engine: honest resume, provenance, and the Hydra conveniences.</summary>
[TestFixture]
public sealed class CliPipelineTests : CliTestBase
{
    [Test]
    public void Rerun_WithAChangedConfiguration_RefusesToMixResults()
    {
        Cli.RunToy().Should().Be(ExitCodes.Success, Cli.Output);
        Cli.RunToy("algorithm.method.num_steps=5").Should().Be(ExitCodes.Usage, Cli.Output);
        Cli.Output.Should().Contain("different configuration").And.Contain("new exp_name").And.Contain("overwrite=true");

        Cli.RunToy("algorithm.method.num_steps=5", "overwrite=true").Should().Be(ExitCodes.Success, Cli.Output);
        JsonNode.Parse(File.ReadAllText(Path.Combine(Cli.ExperimentDir(), "metrics.json")))!["num_test_samples"]!.GetValue<int>().Should().Be(3);
    }

    [Test]
    public void Rerun_WithOnlyAnotherSampleListOrName_ReusesTheFinishedSamples()
    {
        Cli.RunToy("problem.data.id_list=0-1").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.RunToy("problem.data.id_list=0-2").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("Test sample 0: results exist, skipped").And.Contain("Running inference on test sample 2");
    }

    [Test]
    public void FallbackProvenance_IsRecordedInEveryResultFile()
    {
        Cli.RunToy().Should().Be(ExitCodes.Success, Cli.Output);
        string dir = Cli.ExperimentDir();
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "run.json")))!;
        run["data"]!.GetValue<string>().Should().StartWith("synthetic toy-mask (per-sample seeds from seed 0;").And.Contain("no data files");
        run["prior"]!.GetValue<string>().Should().StartWith("analytic toy-gaussian at 1×8×8").And.Contain("does-not-exist.pt");
        run["version"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
        metrics["data"]!.GetValue<string>().Should().Be(run["data"]!.GetValue<string>());
        metrics["prior"]!.GetValue<string>().Should().Be(run["prior"]!.GetValue<string>());
        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "result_1_metrics.json")))!["prior"]!.GetValue<string>()
            .Should().Be(run["prior"]!.GetValue<string>());
        string config = File.ReadAllText(Path.Combine(dir, "config.yaml"));
        config.Should().StartWith("# InverseBench.NET").And.Contain("# data: synthetic toy-mask").And.Contain("# prior: analytic toy-gaussian");
    }

    [Test]
    public void FileProvenance_NamesTheDataAndCheckpointFilesWithTheirHashes()
    {
        string data = Path.Combine(Cli.Root, "toy-data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "samples.txt"), "toy data");
        string checkpoint = Path.Combine(Cli.Root, "toy.pt");
        File.WriteAllBytes(checkpoint, [1, 2, 3]);
        string expected = ProvenanceText.Sha256(checkpoint);

        File.WriteAllText(Path.Combine(Cli.ConfigDir, "pretrain", "toy-pretrain.yaml"), "name: toy\nmodel: {}\n");
        Cli.RunOn(false, b =>
            {
                b.AddProblemFactory(new ProblemFactory(CliHarness.ToyProblem,
                    (model, device) => new MaskOperator(model.Get("n", 4), model.Get("sigma_noise", 0.0)),
                    (section, op) => Directory.Exists(section.Get("root", "")) ? ListDataset.Random(section.Get("count", 2), (int)op.SignalShape[1]) : throw new DirectoryNotFoundException("absent"),
                    null, _ => new MseEvaluator()));
                b.AddPriorFactory(new PriorFactory("toy-pretrain", (model, path, device) => new IsotropicGaussianPrior(8)));
                CliHarness.Register(b);
            },
            "run", "--config-dir", Cli.ConfigDir, "problem=" + CliHarness.ToyProblem, "algorithm=" + CliHarness.ToySolver, "exp_dir=" + Cli.ExpRoot,
            "pretrain=toy-pretrain", "problem.data.root=" + data, "problem.prior=" + checkpoint, "~problem.data.id_list", "+problem.data.count=2")
            .Should().Be(ExitCodes.Success, Cli.Output);
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(Cli.ExperimentDir(), "run.json")))!;
        run["data"]!.GetValue<string>().Should().Be($"data {Path.GetFullPath(data)} (sha256 {ProvenanceText.Sha256(data)})");
        run["prior"]!.GetValue<string>().Should().Be($"checkpoint {checkpoint} (sha256 {expected}) (pretrain 'toy-pretrain')");
    }

    [Test]
    public void CfgJob_PrintsTheResolvedConfiguration_AndRunsNothing()
    {
        Cli.RunToy("--cfg", "job", "algorithm.method.num_steps=9").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("num_steps: 9").And.Contain("name: toy-mask-8").And.NotContain("Running inference");
        Directory.Exists(Cli.ExperimentDir()).Should().BeFalse();
    }

    [Test]
    public void TildeKey_DeletesTheKey()
    {
        Cli.RunToy("--cfg", "job", "~algorithm.method.prior_sigma").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().NotContain("prior_sigma");
        Cli.RunToy("~algorithm.method.no_such_key").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("Unknown configuration key 'algorithm.method.no_such_key'");
    }

    [Test]
    public void MistypedKeysAndNames_GetADidYouMean()
    {
        Cli.RunToy("algorithm.method.num_stepz=3").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("did you mean 'algorithm.method.num_steps'?");
        Cli.Run("run", "--config-dir", Cli.ConfigDir, "problem=toy-mask", "algorithm=toy-wienr", "exp_dir=" + Cli.ExpRoot).Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("did you mean 'toy-wiener'?");
        Cli.RunToy("+algorithm.method.num_stepz=3").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("num_stepz (did you mean 'algorithm.method.num_steps'?)");
    }

    [Test]
    public void Multirun_RunsTheCartesianProduct_OneExperimentFolderPerJob()
    {
        Cli.RunToy("-m", "algorithm.method.num_steps=2,3", "seed=0,1", "problem.data.id_list=[0,1]", "exp_name=sweep").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("multirun: 4 jobs");
        for (int job = 0; job < 4; job++)
        {
            var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(Cli.ExperimentDir($"sweep-{job}"), "metrics.json")))!;
            metrics["num_test_samples"]!.GetValue<int>().Should().Be(2);
            metrics["seed"]!.GetValue<long>().Should().Be(job % 2);
        }
    }

    [Test]
    public void Errors_PrintOneLine_AndTheStackTraceOnlyWithVerbose()
    {
        Cli.RunToy("inference=false", "exp_name=none").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().NotContain("   at ");
        Cli.RunToy("inference=false", "exp_name=none", "--verbose").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("   at ");
    }

    [Test]
    public void AnUnwritableOutputFolder_FailsWithAClearMessage()
    {
        string blocked = Path.Combine(Cli.Root, "blocked");
        File.WriteAllText(blocked, "a file where the experiment root should be");
        Cli.RunToy("exp_dir=" + blocked).Should().Be(ExitCodes.Usage, Cli.Output);
        Cli.Output.Should().Contain("Cannot write the experiment folder");
    }
}
