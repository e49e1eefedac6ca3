using static TorchSharp.torch;

namespace InverseBench.Operators.NavierStokes.Functional;

/// <summary>
/// Draws periodic Gaussian random fields on the <c>R×R</c> torus with covariance <c>σ²(4π²|k|²/L² + τ²)^(−α)</c> — the
/// recipe of the Kolmogorov-flow data the InverseBench dataset card cites (Li et al., PINO: <c>GaussianRF(2, s, L=2π,
/// α=2.5, τ=7)</c>, <c>σ = τ^{(2α−2)/2}</c>). Coefficients <c>s²·√2·σ·(…)^{−α/2}·ξ</c> with complex standard normal ξ
/// (real and imaginary parts each of variance ½), mean mode zero, field = real part of the inverse FFT.
/// </summary>
public static class GaussianRandomField
{
    /// <summary>Draws <paramref name="count"/> fields <c>[count, R, R]</c> float32 from <paramref name="generator"/>.</summary>
    /// <param name="count">Number of fields (≥ 1).</param>
    /// <param name="resolution">Points per side (even, ≥ 2).</param>
    /// <param name="generator">The run's generator (CPU).</param>
    /// <param name="alpha">Smoothness exponent α (&gt; 1).</param>
    /// <param name="tau">Inverse length scale τ (&gt; 0).</param>
    /// <param name="length">Domain side length.</param>
    /// <param name="sigma">Amplitude σ; null uses <c>τ^{α−1}</c> (the recipe's default for two dimensions).</param>
    public static Tensor Sample(int count, int resolution, Generator generator, double alpha = 2.5, double tau = 7.0,
        double length = 2 * Math.PI, double? sigma = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (resolution < 2 || resolution % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "The resolution must be even and ≥ 2.");
        if (!(alpha > 1) || !(tau > 0) || !(length > 0))
            throw new ArgumentOutOfRangeException(nameof(alpha), "Need α > 1, τ > 0 and a positive length.");
        double s = sigma ?? Math.Pow(tau, alpha - 1);
        using var scope = NewDisposeScope();
        int half = resolution / 2;
        var k = cat([arange(0, half, dtype: ScalarType.Float64), arange(-half, 0, dtype: ScalarType.Float64)]);
        var kx = k.view(-1, 1);
        var ky = k.view(1, -1);
        double c = 4 * Math.PI * Math.PI / (length * length);
        var sqrtEig = (double)resolution * resolution * Math.Sqrt(2.0) * s * (c * (kx.square() + ky.square()) + tau * tau).pow(-alpha / 2);
        sqrtEig[0, 0] = tensor(0.0, dtype: ScalarType.Float64);
        var xi = randn([count, resolution, resolution], dtype: ScalarType.ComplexFloat32, generator: generator);
        var field = fft.ifft2(sqrtEig.to(ScalarType.Float32) * xi).real;
        return scope.MoveToOuter(field.contiguous());
    }
}
