using InverseBench.Algorithms;
using InverseBench.Algorithms.Lbfgs;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Fluent;
using InverseBench.Tests.Algorithms.Ensemble;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Lbfgs;

[TestFixture]
public sealed class LbfgsSolverTests
{
    private static SolverCatalog Catalog => new InverseBenchContext().Solvers;

    [Test]
    public void Defaults_FollowTheReferenceYaml()
    {
        var o = new LbfgsOptions();
        (o.Name, o.LearningRate, o.NumSteps, o.MaxIterations, o.StrongWolfe, o.HistorySize).Should().Be(("lbfgs", 0.1, 100, 5, true, 100));
        var section = new ConfigSection(new Dictionary<string, object?> { ["lr"] = 0.5, ["num_steps"] = 3, ["max_iter"] = 7, ["line_search_fn"] = "strong_wolfe" });
        var read = LbfgsOptions.FromConfig(section);
        section.ThrowIfUnknownKeys();
        (read.LearningRate, read.NumSteps, read.MaxIterations).Should().Be((0.5, 3, 7));
    }

    [Test]
    public void FromZeros_ConvergesToTheMinimumNormSolution_OnUnderdeterminedLinearProblem()
    {
        // Iterates from 0 stay in range(Aᵀ), so a converged data fit is the pseudo-inverse solution A⁺y.
        using var toy = ToyProblem.Load();
        var solver = Catalog.Lbfgs(o => { o.NumSteps = 20; o.MaxIterations = 20; o.LearningRate = 1; });
        using var x = SolverChecks.Run(solver, toy.Operator, null, toy.Observation, 0, out var counts);
        using var a = toy.Matrix.to(float64);
        using var expected = linalg.pinv(a).matmul(toy.Observation.to(float64).flatten());
        double rel = ((x.to(float64).flatten() - expected).norm() / expected.norm()).ToDouble();
        rel.Should().BeLessThan(1e-3, "float32 iterates reach A⁺y to about 1e-4");
        counts.GradientCalls.Should().BeGreaterThan(0);
    }

    [Test]
    public void BoxConstraints_AreEnforced()
    {
        using var toy = ToyProblem.Load();
        using var x = SolverChecks.Run(Catalog.Lbfgs(o => { o.NumSteps = 5; o.UpperBound = 0.05; o.LowerBound = -0.05; }),
            toy.Operator, null, toy.Observation, 0, out _);
        x.max().item<float>().Should().BeLessThanOrEqualTo(0.05f);
        x.min().item<float>().Should().BeGreaterThanOrEqualTo(-0.05f);
    }

    [Test]
    public void InitialGuess_IsSmoothedLikeScipy()
    {
        GaussianSmoothing.Reflect(-1, 5).Should().Be(0);
        GaussianSmoothing.Reflect(-3, 5).Should().Be(2);
        GaussianSmoothing.Reflect(5, 5).Should().Be(4);
        GaussianSmoothing.Reflect(12, 5).Should().Be(2);
        using var constant = full(new long[] { 1, 1, 6, 6 }, 2.5f);
        using var smoothConstant = GaussianSmoothing.Smooth(constant, 20);
        smoothConstant.allclose(constant, 1e-6, 1e-6).Should().BeTrue("smoothing preserves constants under reflection");
        using var impulse = zeros(1, 1, 41, 41, float64);
        impulse[0, 0, 20, 20] = tensor(1.0);
        using var blurred = GaussianSmoothing.Smooth(impulse, 2);
        blurred.sum().ToDouble().Should().BeApproximately(1, 1e-12, "the kernel is normalised and fits inside the image");
        double ratio = (blurred[0, 0, 20, 22] / blurred[0, 0, 20, 20]).ToDouble();
        ratio.Should().BeApproximately(Math.Exp(-0.5 * 4 / 4.0), 1e-12, "a Gaussian of σ = 2 pixels");
    }

    [Test]
    public void OnAGradientFreeOperator_IsRefusedWithAClearMessage()
    {
        using var toy = ToyProblem.Load();
        var act = () => Catalog.Lbfgs().Solve(toy.Observation, toy.GradientFreeOperator, null, SolverContext.FromSeed(0));
        act.Should().Throw<SolverRequirementException>().WithMessage("*lbfgs*data-misfit gradient*");
    }

    [Test]
    public void IsRegisteredUnderItsReferenceName()
    {
        var factory = AlgorithmsServiceCollectionExtensions.SolverFactories.Single(f => f.Name == "lbfgs");
        factory.Requirements.Capabilities.Should().Be(SolverCapability.Gradient);
    }
}
