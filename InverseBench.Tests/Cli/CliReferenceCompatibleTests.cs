using InverseBench.Algorithms;
using InverseBench.Algorithms.Dps;
using InverseBench.Algorithms.PnpDm;
using InverseBench.Cli;
using InverseBench.Cli.Configuration;
using InverseBench.Cli.Running;
using InverseBench.Core.Diffusion;

namespace InverseBench.Tests.Cli;

/// <summary>The top-level <c>reference_compatible</c> switch, the quirk keys in the help, and <c>list</c>'s runnable marks.</summary>
[TestFixture]
public sealed class CliReferenceCompatibleTests : CliTestBase
{
    private static ConfigMap Algorithm(params (string Key, object? Value)[] method)
    {
        var m = new ConfigMap();
        foreach (var (key, value) in method) m[key] = value;
        return new ConfigMap { ["method"] = m };
    }

    [Test]
    public void EverySolverAcceptsTheSwitch()
    {
        foreach (var factory in AlgorithmsServiceCollectionExtensions.SolverFactories)
        {
            ISolverProbe(() => ConfigComponents.CreateSolver(factory, Algorithm(), referenceCompatible: true), factory.Name);
            ISolverProbe(() => ConfigComponents.CreateSolver(factory, Algorithm(("reference_compatible", true))), factory.Name + " (key in algorithm.method)");
        }
    }

    private static void ISolverProbe(Func<InverseBench.Core.Abstractions.ISolver> create, string what)
    {
        var act = () => (create() as IDisposable)?.Dispose();
        act.Should().NotThrow($"{what} must accept reference_compatible");
    }

    [Test]
    public void TheSwitchTurnsOnTheSolversQuirks_AndAQuirkKeyWins()
    {
        var dps = AlgorithmsServiceCollectionExtensions.SolverFactories.Single(f => f.Name == "dps");
        var pnpdm = AlgorithmsServiceCollectionExtensions.SolverFactories.Single(f => f.Name == "pnpdm");
        ((DpsSolver)ConfigComponents.CreateSolver(dps, Algorithm(), referenceCompatible: false)).Options.Normalization.Should().Be(DpsGuidanceNormalization.PerSample);
        ((DpsSolver)ConfigComponents.CreateSolver(dps, Algorithm(), referenceCompatible: true)).Options.Normalization.Should().Be(DpsGuidanceNormalization.ReferenceBatchSum);
        ((DpsSolver)ConfigComponents.CreateSolver(dps, Algorithm(("normalization", "per_sample")), referenceCompatible: true)).Options.Normalization
            .Should().Be(DpsGuidanceNormalization.PerSample, "a quirk's own key wins over the switch");
        var p = ((PnpDmSolver)ConfigComponents.CreateSolver(pnpdm, Algorithm(), referenceCompatible: true)).Options;
        (p.PartialSchedule, p.ReferenceNanToZeros).Should().Be((PartialScheduleMode.ReferenceMisaligned, true));
        var q = ((PnpDmSolver)ConfigComponents.CreateSolver(pnpdm, Algorithm(), referenceCompatible: false)).Options;
        (q.PartialSchedule, q.ReferenceNanToZeros).Should().Be((PartialScheduleMode.Aligned, false));
    }

    [Test]
    public void TheSwitchTurnsOnTheProblemsQuirks_AndAGivenKeyWins()
    {
        var problem = new ConfigMap { ["data"] = new ConfigMap { ["id_list"] = "0-4" } };
        var quirked = ConfigComponents.WithReferenceProblemQuirks("blackhole", problem);
        ((ConfigMap)quirked["data"]!)["reference_ignores_id_list"].Should().Be(true);
        problem.Should().NotContainKey("reference_ignores_id_list", "the composed config is not modified");
        ((ConfigMap)problem["data"]!).Should().NotContainKey("reference_ignores_id_list");
        var given = new ConfigMap { ["data"] = new ConfigMap { ["reference_ignores_id_list"] = false } };
        ((ConfigMap)ConfigComponents.WithReferenceProblemQuirks("blackhole", given)["data"]!)["reference_ignores_id_list"].Should().Be(false);
        ConfigComponents.WithReferenceProblemQuirks("navier-stokes", problem).Should().BeSameAs(problem, "a problem without quirks is left alone");
    }

    [Test]
    public void ARunWithTheSwitchSucceeds_OnASolverWithoutQuirks()
    {
        Cli.RunToy("reference_compatible=true", "exp_name=rc").Should().Be(ExitCodes.Success);
        Cli.RunToy("+algorithm.method.reference_compatible=true", "exp_name=rc2").Should().Be(ExitCodes.Success);
    }

    [Test]
    public void RunHelp_DocumentsTheSwitchAndEveryQuirkKey()
    {
        Cli.Run("run", "--help").Should().Be(ExitCodes.Success);
        Cli.Output.Should().Contain("reference_compatible").And.Contain("Reference quirks");
        foreach (var (solver, key, _, _) in InverseBench.Algorithms.Common.ReferenceCompatibility.QuirkKeys)
            Cli.Output.Should().Contain(key, $"the quirk key of {solver}");
        Cli.Output.Should().Contain("reference_ignores_id_list");
    }

    [Test]
    public void List_MarksConfigsWithoutASolver_AndNoShippedConfigIsMarked()
    {
        // A mark is "<config> (not runnable)"; the table may wrap it over a cell border.
        var mark = new System.Text.RegularExpressions.Regex(@"[a-z0-9_-]+[\s│]*\([\s│]*not[\s│]+runnable\)");
        Cli.RunDefaults("list").Should().Be(ExitCodes.Success);
        mark.IsMatch(Cli.Output).Should().BeFalse("every shipped config has a registered component");
        Cli.Output.Should().Contain("Not shipped").And.Contain("diffpir_gsg");
        File.WriteAllText(Path.Combine(Cli.ConfigDir, "algorithm", "aaa_nosolver.yaml"), "name: NoSuchSolver\nmethod:\n  num_steps: 3\n");
        Cli.Run("list", "--config-dir", Cli.ConfigDir).Should().Be(ExitCodes.Success);
        mark.Matches(Cli.Output).Select(m => m.Value).Should().ContainSingle().Which.Should().StartWith("aaa_nosolver");
    }
}
