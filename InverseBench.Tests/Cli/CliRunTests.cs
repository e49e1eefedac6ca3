using System.Globalization;
using System.Text.Json.Nodes;
using InverseBench.Cli;
using InverseBench.Core.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace InverseBench.Tests.Cli;

[TestFixture]
public sealed class CliRunTests : CliTestBase
{
    [Test]
    public void Run_WritesEveryOutputFile_WithConsistentShapesAndAggregates()
    {
        Cli.RunToy("num_samples=2").Should().Be(ExitCodes.Success, Cli.Output);
        string dir = Cli.ExperimentDir();

        File.Exists(Path.Combine(dir, "config.yaml")).Should().BeTrue();
        File.ReadAllText(Path.Combine(dir, "config.yaml")).Should().Contain("num_samples: 2").And.Contain("num_steps: 4");
        string log = File.ReadAllText(Path.Combine(dir, "log.txt"));
        log.Should().Contain("Loaded 3 test samples...").And.Contain("Final metric results:");
        log.Should().MatchRegex(@"^\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] ");

        var perSample = new List<double>();
        foreach (string id in new[] { "0", "1", "2" })
        {
            Npy.ReadArray(Path.Combine(dir, $"result_{id}_observation.npy")).Shape.Should().Equal(1, 1, 8, 8);
            Npy.ReadArray(Path.Combine(dir, $"result_{id}_reconstruction.npy")).Shape.Should().Equal(2, 1, 8, 8);
            Npy.ReadArray(Path.Combine(dir, $"result_{id}_target.npy")).Shape.Should().Equal(1, 1, 8, 8);
            using (var image = Image.Load<Rgb24>(Path.Combine(dir, $"result_{id}.png")))
            {
                image.Width.Should().BeGreaterThanOrEqualTo(4 * InverseBench.Evaluation.Figures.ResultPanel.PlainWidth);
                image.Height.Should().BeGreaterThan(InverseBench.Evaluation.Figures.ResultPanel.CellHeight);
            }

            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, $"result_{id}_metrics.json")))!;
            json["id"]!.GetValue<string>().Should().Be(id);
            json["metrics"]!.AsObject().Select(kv => kv.Key).Should().Equal("mse");
            json["wall_time_s"]!.GetValue<double>().Should().BeGreaterThanOrEqualTo(0);
            json["network_evaluations"]!.GetValue<long>().Should().Be(4);
            perSample.Add(json["metrics"]!["mse"]!.GetValue<double>());
        }

        double mean = perSample.Average();
        double std = Math.Sqrt(perSample.Sum(v => (v - mean) * (v - mean)) / perSample.Count);
        var aggregate = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!;
        aggregate["num_test_samples"]!.GetValue<int>().Should().Be(3);
        aggregate["metrics"]!["mse"]!["mean"]!.GetValue<double>().Should().BeApproximately(mean, 1e-12);
        aggregate["metrics"]!["mse"]!["std"]!.GetValue<double>().Should().BeApproximately(std, 1e-12);
        aggregate["metrics"]!["mse"]!["count"]!.GetValue<int>().Should().Be(3);

        var csv = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        csv[0].Should().Be("metric,mean,std,count");
        var cells = csv[1].Split(',');
        cells[0].Should().Be("mse");
        double.Parse(cells[1], CultureInfo.InvariantCulture).Should().BeApproximately(mean, 1e-12);
        double.Parse(cells[2], CultureInfo.InvariantCulture).Should().BeApproximately(std, 1e-12);
        File.ReadAllLines(Path.Combine(dir, "samples.csv")).Should().HaveCount(4);
    }

    [Test]
    public void RealEnkgSolver_FromTheShippedConfig_RunsOnTheToyProblem_WithMisfitInTheProgress()
    {
        Cli.Run("run", "--config-dir", Cli.ConfigDir, "problem=" + CliHarness.ToyProblem, "algorithm=enkg", "exp_dir=" + Cli.ExpRoot,
                "problem.data.id_list=0-1", "algorithm.method.num_steps=4", "algorithm.method.num_samples=4", "algorithm.method.batch_size=4")
            .Should().Be(ExitCodes.Success, Cli.Output);
        string dir = Path.Combine(Cli.ExpRoot, "toy-mask-8", "EnKG", "default");
        Npy.ReadArray(Path.Combine(dir, "result_1_reconstruction.npy")).Shape[1..].Should().Equal(1, 8, 8);
        Cli.Output.Should().Contain("enkg").And.Contain("misfit=");
        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!["metrics"]!["mse"]!["count"]!.GetValue<int>().Should().Be(2);
    }

    [Test]
    public void Run_SaysWhenDataAndCheckpointAreMissing_AndUsesTheFallbacks()
    {
        Cli.RunToy().Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("drawing 3 synthetic test sample(s)");
        Cli.Output.Should().Contain("does-not-exist.pt").And.Contain("analytic Gaussian-random-field prior");
        Cli.Output.Should().Contain("Final metrics").And.Contain("mse");
    }

    [Test]
    public void Run_WithRedirectedOutput_PrintsPlainProgressLines()
    {
        Cli.RunToy().Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("sample 1/3 (id 0)").And.Contain("step 4/4").And.Contain("eta");
        Cli.Output.Should().NotContain("\u001b[");
    }

    [Test]
    public void Run_WithInteractiveConsole_UsesTheLiveDisplay_AndStillWritesTheResults()
    {
        Cli.RunOn(true, "run", "--config-dir", Cli.ConfigDir, "problem=" + CliHarness.ToyProblem, "algorithm=" + CliHarness.ToySolver,
            "exp_dir=" + Cli.ExpRoot).Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("\u001b[").And.Contain("sample 3/3").And.Contain("Final metrics");
        File.Exists(Path.Combine(Cli.ExperimentDir(), "metrics.json")).Should().BeTrue();
    }

    [Test]
    public void SecondRun_SkipsSamplesWithResults_UnlessOverwrite()
    {
        Cli.RunToy().Should().Be(ExitCodes.Success, Cli.Output);
        string recon = Path.Combine(Cli.ExperimentDir(), "result_1_reconstruction.npy");
        var firstWrite = File.GetLastWriteTimeUtc(recon);
        string firstAggregate = File.ReadAllText(Path.Combine(Cli.ExperimentDir(), "metrics.csv"));
        File.SetLastWriteTimeUtc(recon, firstWrite.AddMinutes(-5));

        Cli.RunToy().Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("Test sample 0: results exist, skipped").And.Contain("3 reused from earlier runs");
        File.GetLastWriteTimeUtc(recon).Should().Be(firstWrite.AddMinutes(-5));
        File.ReadAllText(Path.Combine(Cli.ExperimentDir(), "metrics.csv")).Should().Be(firstAggregate);

        Cli.RunToy("overwrite=true").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().NotContain("skipped").And.Contain("Running inference on test sample 1");
        File.GetLastWriteTimeUtc(recon).Should().BeAfter(firstWrite.AddMinutes(-5));
        // Each sample has its own seeded generator, so recomputing reproduces the same numbers.
        File.ReadAllText(Path.Combine(Cli.ExperimentDir(), "metrics.csv")).Should().Be(firstAggregate);
    }

    [Test]
    public void InferenceFalse_ReevaluatesSavedResults_WithoutSolving()
    {
        Cli.RunToy().Should().Be(ExitCodes.Success, Cli.Output);
        string metricsFile = Path.Combine(Cli.ExperimentDir(), "result_2_metrics.json");
        double saved = JsonNode.Parse(File.ReadAllText(metricsFile))!["metrics"]!["mse"]!.GetValue<double>();
        File.Delete(metricsFile);
        File.Delete(Path.Combine(Cli.ExperimentDir(), "metrics.json"));

        Cli.RunToy("inference=false").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("inference=false").And.Contain("Loaded results from").And.NotContain("Running inference");
        JsonNode.Parse(File.ReadAllText(metricsFile))!["metrics"]!["mse"]!.GetValue<double>().Should().BeApproximately(saved, 1e-12);
        File.Exists(Path.Combine(Cli.ExperimentDir(), "metrics.json")).Should().BeTrue();
    }

    [Test]
    public void InferenceFalse_WithoutSavedResults_FailsNamingTheFile()
    {
        Cli.RunToy("inference=false", "exp_name=empty").Should().Be(ExitCodes.Usage);
        Cli.Output.Should().Contain("result_0_observation.npy").And.Contain("is missing");
    }

    [Test]
    public void SameSeed_GivesIdenticalReconstructions_DifferentSeed_DoesNot()
    {
        Cli.RunToy("exp_name=a").Should().Be(ExitCodes.Success);
        Cli.RunToy("exp_name=b").Should().Be(ExitCodes.Success);
        Cli.RunToy("exp_name=c", "seed=5").Should().Be(ExitCodes.Success);
        byte[] Read(string exp) => File.ReadAllBytes(Path.Combine(Cli.ExperimentDir(exp), "result_0_reconstruction.npy"));
        Read("a").Should().Equal(Read("b"));
        Read("a").Should().NotEqual(Read("c"));
    }
}
