using InverseBench.Core.Abstractions;
using InverseBench.Tests.TestUtilities.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Smc;

/// <summary>
/// The fixture's linear-Gaussian toy problem, loaded once for the sampling-solver tests, plus the same forward model without
/// an SVD and without a gradient (for refusal tests).
/// </summary>
internal static class SharedToy
{
    private static readonly Lazy<LinearGaussianToyProblem> Instance = new(LinearGaussianToyProblem.Load);
    private static readonly Lazy<IForwardOperator> WithoutSvd = new(() => CreatePlain(supportsGradient: true));
    private static readonly Lazy<IForwardOperator> WithoutGradient = new(() => CreatePlain(supportsGradient: false));

    /// <summary>The toy problem (the test is ignored when the fixtures are absent).</summary>
    public static LinearGaussianToyProblem Problem => Instance.Value;

    /// <summary>y = A x without SVD capability (named <c>forward-only</c>).</summary>
    public static IForwardOperator PlainOperator => WithoutSvd.Value;

    /// <summary>y = A x without gradient (named <c>derivative-free</c>).</summary>
    public static IForwardOperator DerivativeFreeOperator => WithoutGradient.Value;

    private static ForwardOnlyOperator CreatePlain(bool supportsGradient)
    {
        var toy = Problem;
        var matrix = toy.Matrix.to_type(ScalarType.Float32).detach().clone().DetachFromDisposeScope();
        long m = matrix.shape[0];
        return new ForwardOnlyOperator(toy.PriorMean.shape, [1, 1, m],
            x => x.flatten(1).matmul(matrix.to_type(x.dtype).T).reshape(x.shape[0], 1, 1, m), supportsGradient, toy.NoiseSigma);
    }
}
