using System.Text.Json.Nodes;
using InverseBench.Cli;
using InverseBench.Core.IO;
using static TorchSharp.torch;

namespace InverseBench.Tests.Cli;

/// <summary>
/// <c>inversebench run problem=fwi</c> end to end with every solver the FWI benchmark reports, on a tiny configuration
/// (16 × 16 grid, 8-cell absorbing layers, 2 shots, 6 receivers, 101 time steps, one synthetic velocity model, the
/// analytic prior, a few solver steps): exit code and every output file. The diffusion solvers' few-step iterates under
/// the analytic prior leave the physical range, so the runs use the operator's opt-in velocity clamp (1–6 km/s); without
/// it the operator stops them with the velocity exception, as intended.
/// </summary>
[TestFixture, Category("Integration")]
public sealed class CliFwiTests : CliTestBase
{
    private const int Grid = 16, Shots = 2, Receivers = 6, TimeSteps = 101;

    [TestCase("dps", "DPS", "algorithm.method.diffusion_scheduler_config.num_steps=3")]
    [TestCase("daps", "DAPS", "algorithm.method.annealing_scheduler_config.num_steps=2", "algorithm.method.diffusion_scheduler_config.num_steps=2", "algorithm.method.lgvd_config.num_steps=2")]
    [TestCase("lgd", "LGD", "algorithm.method.diffusion_scheduler_config.num_steps=3", "algorithm.method.num_samples=2")]
    [TestCase("reddiff", "REDDiff", "algorithm.method.num_steps=3")]
    [TestCase("diffpir", "DiffPIR", "algorithm.method.diffusion_scheduler_config.num_steps=3")]
    [TestCase("adam", "AdamL2", "algorithm.method.num_steps=3", "algorithm.method.milestones=[1,2]")]
    [TestCase("lbfgs", "LBFGS", "algorithm.method.num_steps=2", "algorithm.method.max_iter=2")]
    public void Run_OnATinyConfiguration_WritesEveryOutputFile(string algorithm, string displayName, params string[] overrides)
    {
        string[] args =
        [
            "run", "--config-dir", Cli.ConfigDir, "problem=fwi", "algorithm=" + algorithm, "pretrain=fwi", "exp_dir=" + Cli.ExpRoot,
            $"problem.model.shape=[{Grid},{Grid}]", "problem.model.nbl=8", $"problem.model.nshots={Shots}",
            $"problem.model.nreceivers={Receivers}", "problem.model.tn=100.0", "problem.model.f0=0.025", "problem.model.src_depth=150.0",
            "problem.data.id_list=0", "+problem.model.clamp_min=1.0", "+problem.model.clamp_max=6.0",
            .. overrides,
        ];
        Cli.RunDefaults(args).Should().Be(ExitCodes.Success, Cli.Output);

        string dir = Path.Combine(Cli.ExpRoot, "fwi-acoustic", displayName, "default");
        foreach (string file in new[] { "config.yaml", "log.txt", "metrics.json", "metrics.csv", "samples.csv", "result_0.png", "result_0_metrics.json" })
            File.Exists(Path.Combine(dir, file)).Should().BeTrue($"{file} is written");
        Npy.ReadArray(Path.Combine(dir, "result_0_observation.npy")).Shape.Should().Equal(1, Shots, TimeSteps, Receivers);
        Npy.ReadArray(Path.Combine(dir, "result_0_target.npy")).Shape.Should().Equal(1, 1, Grid, Grid);
        using var reconstruction = Npy.Read(Path.Combine(dir, "result_0_reconstruction.npy"));
        reconstruction.shape.Should().Equal(1, 1, Grid, Grid);
        isfinite(reconstruction).all().item<bool>().Should().BeTrue("the reconstruction must be finite");
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!["metrics"]!.AsObject();
        metrics.Select(kv => kv.Key).Should().Contain(["relative l2", "psnr", "ssim"]);
        double.IsFinite(metrics["relative l2"]!["mean"]!.GetValue<double>()).Should().BeTrue();
    }
}
