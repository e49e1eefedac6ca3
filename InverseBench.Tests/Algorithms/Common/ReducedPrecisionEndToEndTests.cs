using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Fluent;
using InverseBench.Core.Modules;
using InverseBench.Core.Running;
using InverseBench.Operators.InverseScattering;
using InverseBench.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// End to end, bfloat16 convolutions change a solver's metrics by less than their spread over test samples: DPS and DAPS
/// on inverse scattering (16×16, 4 transmitters, synthetic cell phantoms) with an EDM + DhariwalUNet network prior,
/// once in float32 and once in mixed bfloat16, with the same seed (so the random draws are identical and only the
/// arithmetic differs).
/// </summary>
[TestFixture]
[Category("Integration")]
public sealed class ReducedPrecisionEndToEndTests : OneIntraOpThreadFixture
{
    private const int SampleCount = 6;

    private static IEnumerable<TestCaseData> Solvers()
    {
        yield return new TestCaseData("dps").SetName("{m}(dps)");
        yield return new TestCaseData("daps").SetName("{m}(daps)");
    }

    [TestCaseSource(nameof(Solvers))]
    public void Bf16ChangesEveryMetricByLessThanItsAcrossSampleStandardDeviation(string solver)
    {
        using var prior = TinyNetworkPriors.Edm16(2, 13, "tiny-inv-scatter");
        var full = Run(solver, prior, NetworkPrecision.Full);
        var reduced = Run(solver, prior, NetworkPrecision.BFloat16);
        full.Keys.Should().BeEquivalentTo(reduced.Keys);
        foreach (var (metric, summary) in full)
        {
            double change = Math.Abs(reduced[metric].Mean - summary.Mean);
            TestContext.Out.WriteLine($"{solver} {metric}: fp32 {summary.Mean:G5} ± {summary.Std:G3}, bf16 {reduced[metric].Mean:G5} ± {reduced[metric].Std:G3}, |change| {change:G3}");
            summary.Count.Should().Be(SampleCount);
            change.Should().BeLessThan(summary.Std, $"{metric}: bf16 must move the mean by less than the across-sample standard deviation");
        }
    }

    private static IReadOnlyDictionary<string, InverseBench.Core.Evaluation.MetricSummary> Run(string solver, PreconditionedPrior prior, NetworkPrecision precision)
    {
        prior.UsePrecision(precision);
        using var run = InverseBenchRun.Create(seed: 7)
            .Problem(p => p.InverseScattering(o =>
            {
                o.Nx = o.Ny = 16;
                o.Lx = o.Ly = 0.0225;
                o.Receivers = 180;
                o.Transmitters = 4;
            }))
            .Prior(p => p.Custom(prior))
            .Solver(s => solver == "dps"
                ? s.Dps(o => { o.Schedule.NumSteps = 12; o.GuidanceScale = 1; })
                : s.Daps(o => { o.AnnealingSchedule.NumSteps = 4; o.DiffusionSchedule.NumSteps = 3; o.LangevinSteps = 5; }))
            .Samples(Enumerable.Range(0, SampleCount))
            .Build();
        using var report = run.Execute();
        return report.Aggregate;
    }
}
