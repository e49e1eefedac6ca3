using InverseBench.Algorithms;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;
using InverseBench.Core.Priors;
using InverseBench.Operators.NavierStokes;
using InverseBench.Tests.Algorithms.Ensemble;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Enkg;

/// <summary>EKI and EnKG through the real, gradient-free Navier–Stokes operator at 64×64 (a few particles).</summary>
[TestFixture, Category("Integration")]
public sealed class NavierStokesIntegrationTests
{
    private static SolverCatalog Catalog => new InverseBenchContext().Solvers;

    private static (NavierStokesOperator Op, Tensor Observation) Problem()
    {
        var op = new NavierStokesOperator(new NavierStokesOptions { Resolution = 64 });
        using var g = new Generator(0);
        using var truth = randn(new long[] { 1, 1, 64, 64 }, generator: g) * 0.5;
        return (op, op.Observe(truth, g));
    }

    [Test]
    public void Enkg_RunsDerivativeFree_AndReportsTheMisfit()
    {
        var (op, y) = Problem();
        using (op)
        using (y)
        {
            op.SupportsGradient.Should().BeFalse();
            var prior = GaussianPrior.Diagonal(zeros(1, 64, 64), ones(1, 64, 64));
            var progress = new SolverChecks.SynchronousProgress(_ => { });
            var solver = Catalog.Enkg(o => { o.EnsembleSize = 8; o.NumSteps = 4; o.BatchSize = 8; o.NumUpdates = 1; o.MaxOdeSteps = 2; });
            using var samples = SolverChecks.Run(solver, op, prior, y, 1, out var counts, progress);
            samples.shape.Should().Equal(8, 1, 64, 64);
            isfinite(samples).all().item<bool>().Should().BeTrue();
            progress.Reports.Should().HaveCount(4);
            progress.Reports.Skip(1).Should().OnlyContain(r => r.DataMisfit.HasValue && double.IsFinite(r.DataMisfit.Value));
            counts.ForwardItems.Should().Be(3 * 8, "three guided steps, one update each, eight particles");
            counts.GradientCalls.Should().Be(0);
        }
    }

    [Test]
    public void Eki_ReducesTheMisfit()
    {
        var (op, y) = Problem();
        using (op)
        using (y)
        {
            var progress = new SolverChecks.SynchronousProgress(_ => { });
            using var samples = SolverChecks.Run(Catalog.Eki(o => { o.EnsembleSize = 8; o.NumUpdates = 3; o.GuidanceScale = 0.5; }), op, null, y, 1, out _, progress);
            progress.Reports[^1].DataMisfit!.Value.Should().BeLessThan(progress.Reports[0].DataMisfit!.Value);
        }
    }
}
