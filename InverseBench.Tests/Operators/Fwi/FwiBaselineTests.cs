using InverseBench.Algorithms;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Fluent;
using InverseBench.Operators.Fwi;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Fwi;

/// <summary>
/// The paper's Adam* and L-BFGS* baselines on FWI: the existing optimisers, driven by the adjoint-state gradient, started
/// from the ground truth blurred in km/s (σ = 20 pixels on the 128-pixel maps; σ = 2 here, scaled to the 24-pixel grid).
/// </summary>
[TestFixture]
public sealed class FwiBaselineTests : FwiTestBase
{
    [TestCase("adam")]
    [TestCase("lbfgs")]
    public void Baseline_FromTheBlurredTruth_ReducesTheMisfit(string solverName)
    {
        using var op = new FwiOperator(FwiPropertyTests.Tiny(ScalarType.Float32));
        using var scope = NewDisposeScope();
        var truth = op.Normalize(FwiPropertyTests.Layered(ScalarType.Float32));
        var observation = op.Forward(truth);
        var solvers = new InverseBenchContext().Solvers;
        ISolver solver = solverName == "adam"
            ? solvers.Adam(o => { o.InitialGuess = truth; o.InitialSmoothingSigma = 2; o.NumSteps = 4; o.LearningRate = 0.002; })
            : solvers.Lbfgs(o => { o.InitialGuess = truth; o.InitialSmoothingSigma = 2; o.NumSteps = 2; });
        var start = BlurredStart(op, truth);
        double initial = op.Loss(start, observation).item<float>();
        using var result = solver.Solve(observation, op, null, SolverContext.FromSeed(0));
        double final = op.Loss(result.Samples, observation).item<float>();
        TestContext.Out.WriteLine($"{solverName}: misfit {initial:G4} -> {final:G4}");
        initial.Should().BePositive();
        final.Should().BeLessThan(initial);
    }

    /// <summary>The starting point the solvers build: Gaussian blur (σ = 2, reflect) of the truth in km/s.</summary>
    private static Tensor BlurredStart(FwiOperator op, Tensor truth)
    {
        var solver = new InverseBenchContext().Solvers.Adam(o => { o.InitialGuess = truth; o.InitialSmoothingSigma = 2; o.NumSteps = 0; });
        using var result = solver.Solve(op.Forward(truth), op, null, SolverContext.FromSeed(0));
        return result.Samples.clone();
    }
}
