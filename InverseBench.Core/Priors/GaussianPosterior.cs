using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Core.Priors;

/// <summary>
/// Exact posteriors of Gaussian priors under linear-Gaussian observations, the ground truth against which the statistical
/// solver tests are judged (the reference fixture's <c>posterior_mean.npy</c>/<c>posterior_std.npy</c>).
/// </summary>
public static class GaussianPosterior
{
    /// <summary>
    /// The posterior of x ~ N(μ, Σ) given y = A x + n, n ~ N(0, σ_n² I), in the Kalman form that also works for singular Σ:
    /// K = AΣAᵀ + σ_n² I, mean = μ + ΣAᵀK⁻¹(y − Aμ), covariance = Σ − ΣAᵀK⁻¹AΣ
    /// (equal to (Σ⁻¹ + AᵀA/σ_n²)⁻¹ when Σ is invertible). Everything is computed in float64.
    /// </summary>
    /// <param name="prior">The prior; x is its C-order flattening.</param>
    /// <param name="matrix">A, a dense real <c>[m, n]</c> matrix (n = C·R·R).</param>
    /// <param name="observation">y, any shape with m elements (e.g. the reference's <c>[1, 1, 1, m]</c>).</param>
    /// <param name="noiseSigma">σ_n ≥ 0 (σ_n = 0 needs AΣAᵀ invertible).</param>
    /// <returns>The posterior mean <c>[C, R, R]</c> and covariance <c>[n, n]</c>, float64, owned by the caller.</returns>
    /// <exception cref="ArgumentException">Shapes, non-finite values or a negative σ_n.</exception>
    public static (Tensor Mean, Tensor Covariance) Linear(GaussianPrior prior, Tensor matrix, Tensor observation, double noiseSigma)
    {
        ArgumentNullException.ThrowIfNull(prior);
        long n = prior.Dimension;
        TensorGuard.Shape(matrix, nameof(matrix), TensorGuard.Any, n);
        TensorGuard.FloatingPoint(matrix, nameof(matrix));
        TensorGuard.Finite(matrix, nameof(matrix));
        long m = matrix.shape[0];
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.numel() != m)
            throw new ArgumentException($"observation must have {m} elements (the rows of the matrix); got shape {TensorGuard.Format(observation.shape)}.", nameof(observation));
        TensorGuard.FloatingPoint(observation, nameof(observation));
        TensorGuard.Finite(observation, nameof(observation));
        if (!double.IsFinite(noiseSigma) || noiseSigma < 0)
            throw new ArgumentException($"noiseSigma must be finite and ≥ 0; got {noiseSigma}.", nameof(noiseSigma));

        using var scope = NewDisposeScope();
        var a = matrix.detach().to(ScalarType.Float64, prior.Device);
        var y = observation.detach().to(ScalarType.Float64, prior.Device).reshape(m);
        var mu = prior.Mean.reshape(n);
        var sigma = prior.Covariance;
        var aSigma = matmul(a, sigma);                                           // AΣ, [m, n]
        var k = matmul(aSigma, a.T) + eye(m, dtype: ScalarType.Float64, device: prior.Device) * (noiseSigma * noiseSigma);
        k = (k + k.T) * 0.5;
        var gainT = linalg.solve(k, aSigma);                                     // K⁻¹AΣ = (ΣAᵀK⁻¹)ᵀ, [m, n]
        var mean = mu + matmul(y - matmul(a, mu), gainT);
        var cov = sigma - matmul(aSigma.T, gainT);
        cov = (cov + cov.T) * 0.5;
        return (scope.MoveToOuter(mean.reshape(prior.Mean.shape)), scope.MoveToOuter(cov));
    }
}
