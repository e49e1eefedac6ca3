using InverseBench.Core.Abstractions;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// A property of every solver that handles the operator's normalisation correctly: solving y = A((x + shift)·scale) + n is
/// the same problem as y/scale − A·shift = A x + n/scale with the identity normalisation, so with the same seed the samples
/// must agree (up to float32 round-off).
/// </summary>
public static class NormalisationEquivalence
{
    public static (Tensor Normalised, Tensor Equivalent) Solve(ISolver solver, int samples = 4, long seed = 9)
    {
        using var problem = new SyntheticLinearProblem(21, unnormShift: 0.5, unnormScale: 2.0);
        var a = problem.Matrix;
        double shift = problem.Operator.UnnormShift, scale = problem.Operator.UnnormScale;
        var yEquivalent = problem.Observation / scale - a.matmul(full(16, shift, dtype: ScalarType.Float64)).reshape(1, 1, 1, 6).to(ScalarType.Float32);
        using var equivalent = new DenseMatrixOperator(a, [1, 4, 4], problem.NoiseSigma / scale);
        using var r1 = solver.Solve(problem.Observation, problem.Operator, problem.Prior, SolverContext.FromSeed(seed, samples));
        using var r2 = solver.Solve(yEquivalent, equivalent, problem.Prior, SolverContext.FromSeed(seed, samples));
        return (r1.Samples.clone().DetachFromDisposeScope(), r2.Samples.clone().DetachFromDisposeScope());
    }

    public static void AssertEquivalent(ISolver solver)
    {
        var (x, y) = Solve(solver);
        double diff = (x - y).abs().max().item<float>();
        diff.Should().BeLessThan(1e-3f, "the normalisation must be converted exactly (float32 round-off only)");
    }
}
