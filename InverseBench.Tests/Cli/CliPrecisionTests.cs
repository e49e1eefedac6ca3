using InverseBench.Cli;
using InverseBench.Core.DependencyInjection;
using InverseBench.Tests.Core.Diffusion.Preconditioning;

namespace InverseBench.Tests.Cli;

/// <summary>The top-level <c>precision</c> key: network priors get reduced-precision convolutions; other priors say it has no effect.</summary>
[TestFixture]
public sealed class CliPrecisionTests : CliTestBase
{
    [Test]
    public void PrecisionBf16_RunsTheNetworkPriorWithBf16Convolutions_AndRecordsItInTheFingerprintedConfig()
    {
        string checkpoint = Path.Combine(Cli.Root, "tiny.pt");
        File.WriteAllBytes(checkpoint, [1, 2, 3]);
        File.WriteAllText(Path.Combine(Cli.ConfigDir, "pretrain", "toy-net.yaml"), "name: toy-net\nmodel: {}\n");
        Cli.RunOn(false, b =>
            {
                b.AddPriorFactory(new PriorFactory("toy-net", (model, path, device) => PreconditionerTests.TinyPrior()));
                CliHarness.Register(b);
            },
            "run", "--config-dir", Cli.ConfigDir, "problem=" + CliHarness.ToyProblem, "algorithm=dps", "algorithm.method.diffusion_scheduler_config.num_steps=3",
            "exp_dir=" + Cli.ExpRoot, "pretrain=toy-net", "problem.prior=" + checkpoint, "precision=bf16", "problem.data.id_list=0")
            .Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("Network prior convolutions in bf16");
        string dir = Directory.GetDirectories(Path.Combine(Cli.ExpRoot, "toy-mask-8")).Single();
        File.ReadAllText(Path.Combine(Directory.GetDirectories(dir).Single(), "config.yaml")).Should().Contain("precision: bf16");
    }

    [Test]
    public void PrecisionOnAnAnalyticPrior_SaysItHasNoEffect()
    {
        Cli.RunToy("precision=bf16").Should().Be(ExitCodes.Success, Cli.Output);
        Cli.Output.Should().Contain("precision=bf16 has no effect");
    }

    [Test]
    public void AnUnknownPrecision_IsAUsageErrorListingTheAcceptedValues()
    {
        Cli.RunToy("precision=int8").Should().Be(ExitCodes.Usage, Cli.Output);
        Cli.Output.Should().Contain("int8").And.Contain("fp32, bf16 or fp16");
    }
}
