using InverseBench.Core.Priors;
using static TorchSharp.torch;

namespace InverseBench.Operators.NavierStokes.Functional;

/// <summary>
/// Initial-vorticity Gaussian random fields on the <c>R×R</c> torus for the synthetic Navier–Stokes data, following the
/// recipe of the Kolmogorov-flow data the InverseBench dataset card cites (Li et al., PINO: <c>GaussianRF(2, s, L=2π,
/// α=2.5, τ=7)</c>, <c>σ = τ^{α−1}</c>): pixel covariance with eigenvalues <c>R²σ²(4π²|k|²/L² + τ²)^(−α)</c> in the
/// orthonormal DFT basis, mean mode zero. Draws come from <see cref="GaussianFieldPrior.Sample"/> (Core's exact
/// stationary-field sampler) with its amplitude set to <c>L·σ</c>, which is that covariance.
/// </summary>
public static class GaussianRandomField
{
    /// <summary>Draws <paramref name="count"/> fields <c>[count, R, R]</c> float32 from <paramref name="generator"/>.</summary>
    /// <param name="count">Number of fields (≥ 1).</param>
    /// <param name="resolution">Points per side (≥ 2).</param>
    /// <param name="generator">The run's generator (CPU).</param>
    /// <param name="alpha">Spectral decay α (&gt; 0).</param>
    /// <param name="tau">Inverse length scale τ (&gt; 0).</param>
    /// <param name="length">Domain side length.</param>
    /// <param name="sigma">PINO's amplitude σ; null uses <c>τ^{α−1}</c> (the recipe's default in two dimensions).</param>
    public static Tensor Sample(int count, int resolution, Generator generator, double alpha = 2.5, double tau = 7.0,
        double length = 2 * Math.PI, double? sigma = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        double s = sigma ?? Math.Pow(tau, alpha - 1);
        var prior = new GaussianFieldPrior(new GaussianFieldPriorOptions
        {
            Channels = 1,
            Resolution = resolution,
            Alpha = alpha,
            Tau = tau,
            Length = length,
            Amplitude = length * s,
        });
        // GaussianFieldPrior is not IDisposable: its two spectrum tensors are released by their finalizers.
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(prior.Sample(count, generator).squeeze(1));
    }
}
