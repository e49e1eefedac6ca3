using System.Text.Json.Nodes;
using InverseBench.Cli;
using InverseBench.Core.IO;

namespace InverseBench.Tests.Cli;

/// <summary>The CLI on the real packages it ships with (tiny grids, few steps, synthetic data, analytic prior).</summary>
[TestFixture]
public sealed class CliRealProblemTests : CliTestBase
{
    [Test]
    public void InverseScattering_WithDps_OnASmallGrid_SavesComplexObservationsAndScores()
    {
        Cli.RunDefaults("run", "--config-dir", Cli.ConfigDir, "problem=inv-scatter", "algorithm=dps", "pretrain=inv-scatter",
                "exp_dir=" + Cli.ExpRoot, "problem.model.Nx=16", "problem.model.Ny=16", "problem.model.numRec=12",
                "problem.model.numTrans=4", "problem.data.id_list=0-1", "algorithm.method.diffusion_scheduler_config.num_steps=4")
            .Should().Be(ExitCodes.Success, Cli.Output);
        string dir = Path.Combine(Cli.ExpRoot, "inverse-scatter-linear", "DPS", "default");
        var observation = Npy.ReadArray(Path.Combine(dir, "result_0_observation.npy"));
        observation.Shape.Should().Equal(1, 4, 12);
        observation.ElementType.Should().BeOneOf(NpyElementType.Complex64, NpyElementType.Complex128);
        Npy.ReadArray(Path.Combine(dir, "result_1_reconstruction.npy")).Shape.Should().Equal(1, 1, 16, 16);
        File.Exists(Path.Combine(dir, "result_1.png")).Should().BeTrue();
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!["metrics"]!.AsObject();
        metrics.Select(kv => kv.Key).Should().Contain(["psnr", "ssim"]);
        Cli.Output.Should().Contain("analytic Gaussian-random-field prior 'gaussian-field' at 1×16×16")
            .And.Contain("isotropic power spectrum fitted to 2 synthetic training draws");
    }

    [Test]
    public void InverseScattering_WithTheShippedFistaTvConfig_RunsTheClassicalBaseline()
    {
        Cli.RunDefaults("run", "--config-dir", Cli.ConfigDir, "problem=inv-scatter", "algorithm=fista-tv",
                "exp_dir=" + Cli.ExpRoot, "problem.model.Nx=16", "problem.model.Ny=16", "problem.model.numRec=12",
                "problem.model.numTrans=4", "problem.data.id_list=0", "algorithm.method.num_steps=20", "algorithm.method.tv_steps=5")
            .Should().Be(ExitCodes.Success, Cli.Output);
        string dir = Path.Combine(Cli.ExpRoot, "inverse-scatter-linear", "FISTA-TV", "default");
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!["metrics"]!.AsObject();
        metrics.Select(kv => kv.Key).Should().Contain(["psnr", "ssim"]);
        var reconstruction = Npy.ReadArray(Path.Combine(dir, "result_0_reconstruction.npy"));
        reconstruction.Shape.Should().Equal(1, 1, 16, 16);
    }
}
