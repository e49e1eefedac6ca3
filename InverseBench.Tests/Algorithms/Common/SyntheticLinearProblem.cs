using InverseBench.Core.Priors;
using InverseBench.Tests.TestUtilities.Operators;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Common;

/// <summary>
/// A small random linear-Gaussian problem that needs no fixtures: prior N(μ, diag s²) on <c>[1, 4, 4]</c>, a dense
/// <c>[6, 16]</c> operator (optionally with a non-trivial normalisation), noise σ = 0.1, and its exact posterior.
/// </summary>
public sealed class SyntheticLinearProblem : IDisposable
{
    public SyntheticLinearProblem(int seed = 11, double unnormShift = 0.0, double unnormScale = 1.0, double noiseSigma = 0.1)
    {
        using var scope = NewDisposeScope();
        var g = new Generator((ulong)seed);
        var mean = (0.5 * randn(1, 4, 4, generator: g)).DetachFromDisposeScope();
        var std = (0.4 + 0.6 * rand(1, 4, 4, generator: g)).DetachFromDisposeScope();
        var a = (randn(6, 16, dtype: ScalarType.Float64, generator: g) / 4.0).DetachFromDisposeScope();
        Prior = GaussianPrior.Diagonal(mean, std);
        Operator = new DenseMatrixOperator(a, [1, 4, 4], noiseSigma, unnormShift, unnormScale, name: "synthetic-linear");
        var truth = mean + std * randn(1, 1, 4, 4, generator: g);
        Observation = Operator.Observe(truth, g).DetachFromDisposeScope();
        PriorMean = mean;
        PriorStd = std;
        Matrix = a;
        NoiseSigma = noiseSigma;
    }

    public GaussianPrior Prior { get; }
    public DenseMatrixOperator Operator { get; }
    public Tensor Observation { get; }
    public Tensor PriorMean { get; }
    public Tensor PriorStd { get; }
    public Tensor Matrix { get; }
    public double NoiseSigma { get; }

    /// <summary>Exact posterior mean and marginal std of the normalised signal, float64 <c>[1, 4, 4]</c>.</summary>
    public (Tensor Mean, Tensor Std) Posterior()
    {
        using var scope = NewDisposeScope();
        // y = A((x + shift)·scale) + n  ⇒  y' = y − A·shift·scale = (scale·A) x + n.
        double scale = Operator.UnnormScale, shift = Operator.UnnormShift;
        var a = Matrix * scale;
        var y = Observation.to(ScalarType.Float64).flatten() - Matrix.matmul(full(16, shift * scale, dtype: ScalarType.Float64));
        var var0 = PriorStd.to(ScalarType.Float64).flatten().square();
        double s2 = NoiseSigma * NoiseSigma;
        var cov = linalg.inv(diag(var0.reciprocal()) + a.T.matmul(a) / s2);
        var mean = cov.matmul(PriorMean.to(ScalarType.Float64).flatten() / var0 + a.T.matmul(y) / s2);
        return (scope.MoveToOuter(mean.reshape(1, 4, 4)), scope.MoveToOuter(cov.diag().sqrt().reshape(1, 4, 4)));
    }

    public void Dispose()
    {
        Operator.Dispose();
        Observation.Dispose();
        PriorMean.Dispose();
        PriorStd.Dispose();
        Matrix.Dispose();
    }
}
