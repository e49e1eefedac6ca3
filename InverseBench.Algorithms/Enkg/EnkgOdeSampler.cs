using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Enkg;

/// <summary>
/// The deterministic probability-flow sampler EnKG uses to map each particle to its clean estimate (reference
/// <c>algo/enkg.py</c> <c>ode_sampler</c>): Euler steps of <c>dx/dσ = (x − D(x; σ))/σ</c> on the EDM (Karras) grid
/// <c>τ_j = (σ_start^{1/ρ} + j/(n−1)(σ_ε^{1/ρ} − σ_start^{1/ρ}))^ρ</c>, <c>j &lt; n</c>, followed by <c>τ_n = 0</c>; with
/// <c>n = 1</c> it is a single denoiser call <c>D(x; σ_start)</c>. The grid is computed in float32, as the reference does.
/// </summary>
public static class EnkgOdeSampler
{
    /// <summary>The reference's final noise level before the jump to zero (<c>sigma_eps=0.002</c>).</summary>
    public const double DefaultSigmaEpsilon = 0.002;

    /// <summary>The reference's grid exponent (<c>rho=7</c>).</summary>
    public const double DefaultRho = 7;

    /// <summary>
    /// The EDM noise-level grid of <paramref name="count"/> levels from <paramref name="sigmaStart"/> to <paramref name="sigmaEnd"/>
    /// with exponent <paramref name="rho"/>, followed by 0 (<c>count + 1</c> values, float32-rounded like the reference's tensor).
    /// </summary>
    public static double[] KarrasGrid(int count, double sigmaStart, double sigmaEnd, double rho)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(sigmaStart > 0) || !(sigmaEnd > 0)) throw new ArgumentOutOfRangeException(nameof(sigmaStart), "Noise levels must be positive.");
        if (!(rho > 0)) throw new ArgumentOutOfRangeException(nameof(rho), rho, "ρ must be positive.");
        using var scope = NewDisposeScope();
        var start = tensor((float)sigmaStart).pow(1.0 / rho);
        var end = tensor((float)sigmaEnd).pow(1.0 / rho);
        var indices = arange(count, dtype: float32);
        var grid = count == 1 ? start.pow(rho).reshape(1) : (start + indices / (count - 1) * (end - start)).pow(rho);
        var values = grid.data<float>().ToArray();
        var result = new double[count + 1];
        for (int i = 0; i < count; i++) result[i] = values[i];
        return result;
    }

    /// <summary>Runs the sampler on a batch of particles <c>[b, C, R, R]</c> and returns their clean estimates (a fresh tensor).</summary>
    /// <param name="prior">The denoiser.</param>
    /// <param name="particles">Noisy particles at level <paramref name="sigmaStart"/>.</param>
    /// <param name="steps">Number of Euler steps (denoiser calls) <c>n ≥ 1</c>.</param>
    /// <param name="sigmaStart">The particles' noise level.</param>
    /// <param name="sigmaEpsilon">The last positive level of the grid.</param>
    /// <param name="rho">The grid exponent.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    public static Tensor Sample(IDiffusionPrior prior, Tensor particles, int steps, double sigmaStart,
        double sigmaEpsilon = DefaultSigmaEpsilon, double rho = DefaultRho, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prior);
        ArgumentNullException.ThrowIfNull(particles);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (steps == 1) return prior.Denoise(particles, sigmaStart);
        var grid = KarrasGrid(steps, sigmaStart, sigmaEpsilon, rho);
        var x = particles.alias();
        for (int i = 0; i < steps; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var next = EulerStep(prior, x, grid[i], grid[i + 1]);
            x.Dispose();
            x = scope.MoveToOuter(next);
        }

        return x;
    }

    /// <summary>One Euler step <c>x + (σ_next − σ)(x − D(x; σ))/σ</c> of the probability-flow ODE (a fresh tensor).</summary>
    public static Tensor EulerStep(IDiffusionPrior prior, Tensor x, double sigma, double sigmaNext)
    {
        ArgumentNullException.ThrowIfNull(prior);
        using var scope = NewDisposeScope();
        var denoised = prior.Denoise(x, sigma);
        return scope.MoveToOuter(EulerStep(x, denoised, sigma, sigmaNext));
    }

    /// <summary>The Euler update from a given denoised estimate: <c>x + (σ_next − σ)(x − D)/σ</c>.</summary>
    public static Tensor EulerStep(Tensor x, Tensor denoised, double sigma, double sigmaNext)
    {
        using var scope = NewDisposeScope();
        var derivative = (x - denoised) / sigma;
        return scope.MoveToOuter(x + (sigmaNext - sigma) * derivative);
    }
}
