using System.Text.Json.Nodes;
using InverseBench.Cli;
using InverseBench.Core.IO;

namespace InverseBench.Tests.Cli;

/// <summary>
/// <c>inversebench run problem=blackhole</c> end to end on a tiny synthetic configuration (16×16 images, five EHT-2017
/// stations observing hourly, analytic prior, few steps) for every solver family the reference pairs with black holes.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CliBlackHoleTests : CliTestBase
{
    private const int Size = 16;

    private static readonly string[] Tiny =
    [
        "problem.model.imsize=16", "problem.data.resolution=16", "problem.data.id_list=0-1",
        "+problem.model.synthetic_stations=[ALMA,APEX,LMT,SMA,SMT]", "+problem.model.synthetic_scan_interval=3600",
    ];

    private static IEnumerable<TestCaseData> Algorithms()
    {
        // DPS runs with blackhole.yaml's own noise model ('eht'); the others with 'gaussian'.
        yield return new TestCaseData("dps", "DPS", new[] { "algorithm.method.diffusion_scheduler_config.num_steps=4" });
        yield return new TestCaseData("daps", "DAPS", new[]
        {
            "problem.model.noise_type=gaussian",
            "algorithm.method.annealing_scheduler_config.num_steps=3", "algorithm.method.diffusion_scheduler_config.num_steps=2",
            "algorithm.method.lgvd_config.num_steps=2",
        });
        yield return new TestCaseData("lgd", "LGD", new[] { "problem.model.noise_type=gaussian", "algorithm.method.diffusion_scheduler_config.num_steps=4", "algorithm.method.num_samples=2" });
        yield return new TestCaseData("pnpdm", "PnPDM", new[]
        {
            "problem.model.noise_type=gaussian",
            "algorithm.method.annealing_scheduler_config.num_steps=3", "algorithm.method.diffusion_scheduler_config.num_steps=2",
            "algorithm.method.lgvd_config.num_steps=2",
        });
        yield return new TestCaseData("reddiff", "REDDiff", new[] { "problem.model.noise_type=gaussian", "algorithm.method.num_steps=4" });
        yield return new TestCaseData("diffpir", "DiffPIR", new[] { "problem.model.noise_type=gaussian", "algorithm.method.diffusion_scheduler_config.num_steps=4" });
    }

    [TestCaseSource(nameof(Algorithms))]
    public void BlackHole_OnASyntheticObservation_WritesEveryOutputFile(string algorithm, string folder, string[] steps)
    {
        string[] args = ["run", "--config-dir", Cli.ConfigDir, "problem=blackhole", $"algorithm={algorithm}", "pretrain=blackhole",
            "exp_dir=" + Cli.ExpRoot, .. Tiny, .. steps];
        Cli.RunDefaults(args).Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("Note: synthetic EHT-2017 observation", "the user must learn that no observation file was used");
        string dir = Path.Combine(Cli.ExpRoot, "blackhole", folder, "default");
        foreach (string name in new[] { "config.yaml", "log.txt", "metrics.json", "metrics.csv", "samples.csv" })
            File.Exists(Path.Combine(dir, name)).Should().BeTrue($"{name} should be written");
        for (int i = 0; i < 2; i++)
        {
            var observation = Npy.ReadArray(Path.Combine(dir, $"result_{i}_observation.npy"));
            observation.Shape.Should().HaveCount(4).And.StartWith([1L, 1L]);
            observation.ElementType.Should().Be(NpyElementType.Float32);
            Npy.ReadArray(Path.Combine(dir, $"result_{i}_reconstruction.npy")).Shape.Should().Equal(1, 1, Size, Size);
            Npy.ReadArray(Path.Combine(dir, $"result_{i}_target.npy")).Shape.Should().Equal(1, 1, Size, Size);
            File.Exists(Path.Combine(dir, $"result_{i}.png")).Should().BeTrue();
            File.Exists(Path.Combine(dir, $"result_{i}_metrics.json")).Should().BeTrue();
        }

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!["metrics"]!.AsObject();
        metrics.Select(kv => kv.Key).Should().Contain(["cp_chi2", "camp_chi2", "psnr", "blur_psnr (f=10)", "blur_psnr (f=15)", "blur_psnr (f=20)"]);
        Cli.Output.Should().Contain("synthetic test sample");
    }
}
