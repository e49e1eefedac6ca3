using System.Text.Json.Nodes;
using InverseBench.Cli;
using InverseBench.Core.IO;

namespace InverseBench.Tests.Cli;

/// <summary>
/// <c>inversebench run problem=multi-coil-mri-knee</c> end to end on a tiny synthetic configuration (32×32 phantoms,
/// 3 coils, analytic prior, a few solver steps): every output file is written and the MRI metrics are reported.
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class CliMriTests : CliTestBase
{
    private static readonly string[] Tiny =
    [
        "problem.model.image_size=[32,32]", "problem.model.total_lines=32", "problem.model.num_coils=3", "problem.data.id_list=0-1",
    ];

    [TestCase("dps", "DPS", "algorithm.method.diffusion_scheduler_config.num_steps=4")]
    [TestCase("daps", "DAPS", "algorithm.method.annealing_scheduler_config.num_steps=2", "algorithm.method.diffusion_scheduler_config.num_steps=2", "algorithm.method.lgvd_config.num_steps=2")]
    [TestCase("diffpir", "DiffPIR", "algorithm.method.diffusion_scheduler_config.num_steps=4")]
    [TestCase("reddiff", "REDDiff", "algorithm.method.num_steps=4")]
    [TestCase("cs_mri", "CS-MRI-L1Wavelet", "+algorithm.method.max_iter=5")]
    [TestCase("csgm_mri", "CSGMMRI", "algorithm.method.sigmas_config.num_steps=6", "algorithm.method.start_iter=2", "algorithm.method.sigmas_config.sigma_begin=10")]
    [TestCase("score_mri", "ScoreMRI", "algorithm.method.scheduler_config.num_steps=3")]
    public void Run_OnTheKneeProblem_WithSyntheticPhantoms_WritesEveryOutput(string algorithm, string folder, params string[] steps)
    {
        Cli.RunDefaults(["run", "--config-dir", Cli.ConfigDir, "problem=multi-coil-mri-knee", "algorithm=" + algorithm, "pretrain=mri-knee-mvue",
                "exp_dir=" + Cli.ExpRoot, .. Tiny, .. steps])
            .Should().Be(ExitCodes.Success, Cli.Output);
        string dir = Path.Combine(Cli.ExpRoot, "multi-coil-mri", folder, "default");
        foreach (string id in new[] { "0", "1" })
        {
            var observation = Npy.ReadArray(Path.Combine(dir, $"result_{id}_observation.npy"));
            observation.Shape.Should().Equal(1, 3, 32, 32, 2);
            Npy.ReadArray(Path.Combine(dir, $"result_{id}_reconstruction.npy")).Shape.Should().Equal(1, 2, 32, 32);
            Npy.ReadArray(Path.Combine(dir, $"result_{id}_target.npy")).Shape.Should().Equal(1, 2, 32, 32);
            File.Exists(Path.Combine(dir, $"result_{id}.png")).Should().BeTrue();
        }

        foreach (string file in new[] { "metrics.json", "metrics.csv", "samples.csv" }) File.Exists(Path.Combine(dir, file)).Should().BeTrue(file);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!["metrics"]!.AsObject();
        metrics.Select(kv => kv.Key).Should().Contain(["psnr", "ssim", "data misfit"]);
        Cli.Output.Should().Contain("drawing 2 synthetic test sample(s)");
        if (algorithm != "cs_mri") Cli.Output.Should().Contain("analytic Gaussian-random-field prior");   // CS-MRI needs no prior
    }
}

/// <summary><c>inversebench run</c> on fastMRI-style HDF5 volumes written by the test: the measured k-space path end to end.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CliMriDataTests : CliTestBase
{
    [Test]
    public void Run_OnHdf5Volumes_ObservesTheMeasuredKSpaceOfEachSlice()
    {
        string maps = InverseBench.Tests.Operators.Mri.MriTestVolumes.Write(Cli.ExpRoot, "knee_sens_maps_espirit", "file1.h5", 12, 2, 24, 20);
        Cli.RunDefaults("run", "--config-dir", Cli.ConfigDir, "problem=multi-coil-mri-knee", "algorithm=cs_mri", "exp_dir=" + Cli.ExpRoot,
                "problem.data.root=" + Path.GetDirectoryName(maps), "problem.data.image_size=[16,16]", "problem.data.id_list=0-1",
                "problem.model.image_size=[16,16]", "problem.model.total_lines=16", "problem.model.num_coils=2", "+algorithm.method.max_iter=5")
            .Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("Loaded 2 test samples").And.NotContain("synthetic");
        string dir = Path.Combine(Cli.ExpRoot, "multi-coil-mri", "CS-MRI-L1Wavelet", "default");
        using var data = new InverseBench.Operators.Mri.Data.FastMriDataset(new() { Root = Path.GetDirectoryName(maps)!, Height = 16, Width = 16 });
        using var sample = data.GetSample(1);
        var observation = Npy.Read(Path.Combine(dir, "result_1_observation.npy"));
        var kspace = TorchSharp.torch.view_as_real(sample.KSpace!).to_type(TorchSharp.torch.ScalarType.Float64);
        var sampled = observation[0].abs().sum(-1) > 0;
        sampled.any().item<bool>().Should().BeTrue();
        (observation[0] - kspace).abs().sum(-1).masked_select(sampled).max().item<double>().Should().BeLessThan(1e-6);
    }
}

/// <summary><c>inversebench run algorithm=e2e_mri</c> with a tiny VarNet checkpoint written by the project's checkpoint writer.</summary>
[TestFixture]
[Category("Integration")]
public sealed class CliE2eMriTests : CliTestBase
{
    [Test]
    public void Run_WithAVarNetCheckpoint_WritesEveryOutput()
    {
        var architecture = new InverseBench.Operators.Mri.E2E.E2EVarNetOptions { Cascades = 1, SensitivityChannels = 2, SensitivityPools = 1, Channels = 2, Pools = 1 };
        string checkpoint = Path.Combine(Cli.ExpRoot, "varnet.pt");
        Directory.CreateDirectory(Cli.ExpRoot);
        using (var net = new InverseBench.Operators.Mri.E2E.E2EVarNet(architecture)) InverseBench.Core.Checkpoints.Checkpoint.Save(checkpoint, net);
        Cli.RunDefaults("run", "--config-dir", Cli.ConfigDir, "problem=multi-coil-mri-knee", "algorithm=e2e_mri", "exp_dir=" + Cli.ExpRoot,
                "problem.model.image_size=[32,32]", "problem.model.total_lines=32", "problem.model.num_coils=3", "problem.data.id_list=0-1",
                "algorithm.method.checkpoint=" + checkpoint, "+algorithm.method.model.num_cascades=1", "+algorithm.method.model.sens_chans=2",
                "+algorithm.method.model.sens_pools=1", "+algorithm.method.model.chans=2", "+algorithm.method.model.pools=1")
            .Should().Be(ExitCodes.Success, Cli.Output);
        string dir = Path.Combine(Cli.ExpRoot, "multi-coil-mri", "E2E-MRI-VarNet", "default");
        foreach (string id in new[] { "0", "1" })
        {
            Npy.ReadArray(Path.Combine(dir, $"result_{id}_reconstruction.npy")).Shape.Should().Equal(1, 2, 32, 32);
            File.Exists(Path.Combine(dir, $"result_{id}.png")).Should().BeTrue();
        }

        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!["metrics"]!.AsObject().Select(kv => kv.Key).Should().Contain(["psnr", "ssim"]);
    }

    [Test]
    public void Run_WithoutACheckpoint_SaysWhichKeyToSet()
    {
        Cli.RunDefaults("run", "--config-dir", Cli.ConfigDir, "problem=multi-coil-mri-knee", "algorithm=e2e_mri", "exp_dir=" + Cli.ExpRoot,
                "problem.model.image_size=[32,32]", "problem.model.total_lines=32", "problem.model.num_coils=3")
            .Should().NotBe(ExitCodes.Success);
        Cli.Output.Should().Contain("algorithm.method.checkpoint");
    }
}
