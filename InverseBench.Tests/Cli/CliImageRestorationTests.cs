using System.Text.Json.Nodes;
using InverseBench.Cli;
using InverseBench.Core.IO;

namespace InverseBench.Tests.Cli;

/// <summary>
/// <c>inversebench run</c> on every image-restoration problem with every diffusion solver that applies, on a tiny
/// configuration (16×16 synthetic portraits, analytic prior, 2–3 steps); every output file is checked.
/// </summary>
[TestFixture, Category("Integration")]
public sealed class CliImageRestorationTests : CliTestBase
{
    private const int Side = 16;

    /// <summary>Per problem: the overrides of a 16-pixel configuration, the experiment folder name and the observation side.</summary>
    private static readonly Dictionary<string, (string[] Overrides, string Folder, int ObservationSide)> Problems = new()
    {
        ["ffhq256_deblur"] = (["problem.model.resolution=16", "problem.model.kernel_size=13"], "ffhq256-deblur", Side),
        ["ffhq256_inpaint"] = (["problem.model.resolution=16", "problem.model.mask_len_range=[4,8]"], "ffhq256-inpaint", Side),
        ["ffhq256_sr"] = (["problem.model.in_resolution=16"], "ffhq256-sr", Side / 2),
        ["ffhq256_pr"] = (["problem.model.resolution=16"], "ffhq256-phase-retrieval", Side + 2 * 4),
        ["ffhq256_denoise"] = (["problem.model.resolution=16"], "ffhq256-denoise", Side),
    };

    /// <summary>Per solver: the overrides that make it tiny and its experiment folder name.</summary>
    private static readonly Dictionary<string, (string[] Overrides, string Folder, bool NeedsSvd)> Solvers = new()
    {
        ["dps"] = (["algorithm.method.diffusion_scheduler_config.num_steps=3"], "DPS", false),
        ["ddrm"] = (["algorithm.method.scheduler_config.num_steps=3"], "DDRM", true),
        ["ddnm"] = (["algorithm.method.scheduler_config.num_steps=3"], "DDNM", true),
        ["pigdm"] = (["algorithm.method.scheduler_config.num_steps=3"], "PiGDM", true),
        ["daps"] = (["algorithm.method.annealing_scheduler_config.num_steps=2", "algorithm.method.diffusion_scheduler_config.num_steps=2",
            "algorithm.method.lgvd_config.num_steps=2"], "DAPS", false),
        ["reddiff"] = (["algorithm.method.num_steps=3"], "REDDiff", false),
        ["diffpir"] = (["algorithm.method.diffusion_scheduler_config.num_steps=3", "algorithm.method.linear=True"], "DiffPIR", true),
        ["fps"] = (["algorithm.method.scheduler_config.num_steps=3", "algorithm.method.num_particles=2"], "FPS", true),
        ["mcgdiff"] = (["algorithm.method.scheduler_config.num_steps=3", "algorithm.method.num_particles=2"], "MCG-diff", true),
        ["pnpdm"] = (["algorithm.method.annealing_scheduler_config.num_steps=2", "algorithm.method.diffusion_scheduler_config.num_steps=2",
            "algorithm.method.lgvd_config.num_steps=2"], "PnPDM", false),
    };

    /// <summary>The solvers of the acceptance list, run on every problem they apply to.</summary>
    private static readonly string[] CoreSolvers = ["dps", "ddrm", "ddnm", "pigdm", "daps", "reddiff"];

    public static IEnumerable<TestCaseData> Runs() =>
        (from p in Problems.Keys
         from s in CoreSolvers
         where !(p == "ffhq256_pr" && Solvers[s].NeedsSvd)
         select new TestCaseData(p, s).SetArgDisplayNames(p, s))
        .Concat(new[] { ("ffhq256_sr", "diffpir"), ("ffhq256_inpaint", "fps"), ("ffhq256_deblur", "mcgdiff"), ("ffhq256_pr", "pnpdm") }
            .Select(r => new TestCaseData(r.Item1, r.Item2).SetArgDisplayNames(r.Item1, r.Item2)));

    [TestCaseSource(nameof(Runs))]
    public void Run_OnATinySyntheticConfiguration_WritesEveryOutputFile(string problem, string solver)
    {
        var (problemOverrides, problemFolder, observationSide) = Problems[problem];
        var (solverOverrides, solverFolder, _) = Solvers[solver];
        Cli.RunDefaults(["run", "--config-dir", Cli.ConfigDir, "problem=" + problem, "algorithm=" + solver, "pretrain=ffhq256",
                "exp_dir=" + Cli.ExpRoot, "problem.data.id_list=0-1", .. problemOverrides, .. solverOverrides])
            .Should().Be(ExitCodes.Success, Cli.Output);

        string dir = Path.Combine(Cli.ExpRoot, problemFolder, solverFolder, "default");
        foreach (string file in new[] { "log.txt", "config.yaml", "metrics.json", "metrics.csv", "samples.csv" })
            File.Exists(Path.Combine(dir, file)).Should().BeTrue($"{file} is written");
        foreach (string id in new[] { "0", "1" })
        {
            var observation = Npy.ReadArray(Path.Combine(dir, $"result_{id}_observation.npy"));
            observation.Shape.Should().Equal(1, 3, observationSide, observationSide);
            // FPS and MCG-diff return every particle (num_particles=2), as the reference does; the others one sample.
            long reconstructions = solver is "fps" or "mcgdiff" ? 2 : 1;
            Npy.ReadArray(Path.Combine(dir, $"result_{id}_reconstruction.npy")).Shape.Should().Equal(reconstructions, 3, Side, Side);
            Npy.ReadArray(Path.Combine(dir, $"result_{id}_target.npy")).Shape.Should().Equal(1, 3, Side, Side);
            File.Exists(Path.Combine(dir, $"result_{id}_metrics.json")).Should().BeTrue();
            new FileInfo(Path.Combine(dir, $"result_{id}.png")).Length.Should().BeGreaterThan(0);
        }

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "metrics.json")))!["metrics"]!.AsObject();
        metrics.Select(kv => kv.Key).Should().Contain(["psnr", "ssim"]);
        Cli.Output.Should().Contain("synthetic test sample").And.Contain("analytic Gaussian-random-field prior");
    }

    /// <summary>Solvers with reference quirks that <see cref="Solvers"/> lacks: tiny overrides and experiment folder.</summary>
    private static readonly Dictionary<string, (string[] Overrides, string Folder)> QuirkSolvers = new()
    {
        ["lgd"] = (["algorithm.method.diffusion_scheduler_config.num_steps=3", "algorithm.method.num_samples=2"], "LGD"),
        ["ddsmc"] = (["algorithm.method.annealing_scheduler_config.num_steps=3", "algorithm.method.rho_scheduler_config.num_steps=3",
            "algorithm.method.rho_scheduler_config.sigma_max=0.01", "algorithm.method.rho_scheduler_config.sigma_min=1e-6",
            "algorithm.method.smc_config.num_particles=2"], "DDSMC"),
        ["uncond"] = (["algorithm.method.diffusion_scheduler_config.num_steps=3"], "Unconditional"),
    };

    public static IEnumerable<TestCaseData> ReferenceCompatibleRuns() =>
        Solvers.Keys.Concat(QuirkSolvers.Keys).Select(s => new TestCaseData(s).SetArgDisplayNames(s));

    [TestCaseSource(nameof(ReferenceCompatibleRuns))]
    public void Run_WithReferenceCompatible_TurnsOnTheQuirksAndFinishes(string solver)
    {
        // The top-level switch on a tiny inpainting problem (SVD and gradient both available): every solver accepts it and
        // runs with its reference quirks on; the saved config records the switch.
        var (overrides, folder) = Solvers.TryGetValue(solver, out var known) ? (known.Overrides, known.Folder) : QuirkSolvers[solver];
        Cli.RunDefaults(["run", "--config-dir", Cli.ConfigDir, "problem=ffhq256_inpaint", "algorithm=" + solver, "pretrain=ffhq256",
                "exp_dir=" + Cli.ExpRoot, "problem.data.id_list=0", "reference_compatible=true", .. Problems["ffhq256_inpaint"].Overrides, .. overrides])
            .Should().Be(ExitCodes.Success, Cli.Output);
        string dir = Path.Combine(Cli.ExpRoot, "ffhq256-inpaint", folder, "default");
        File.ReadAllText(Path.Combine(dir, "config.yaml")).Should().Contain("reference_compatible: true");
        var reconstruction = Npy.ReadArray(Path.Combine(dir, "result_0_reconstruction.npy"));
        reconstruction.Shape.Skip(1).Should().Equal(3, Side, Side);
    }

    [Test]
    public void PhaseRetrieval_WithAnSvdSolver_IsRejectedWithAClearMessage()
    {
        int code = Cli.RunDefaults("run", "--config-dir", Cli.ConfigDir, "problem=ffhq256_pr", "algorithm=ddrm", "pretrain=ffhq256",
            "exp_dir=" + Cli.ExpRoot, "problem.model.resolution=16", "problem.data.id_list=0");
        code.Should().NotBe(ExitCodes.Success);
        Cli.Output.Should().ContainAny("SVD", "Svd", "svd");
    }
}
