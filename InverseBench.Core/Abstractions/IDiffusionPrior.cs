using static TorchSharp.torch;

namespace InverseBench.Core.Abstractions;

/// <summary>
/// A diffusion prior given by its EDM denoiser <c>D(x; σ)</c> ≈ E[x₀ | x₀ + σ·ε = x] (reference <c>models/precond.py</c>
/// wrappers). The score follows by Tweedie: <c>∇ log p_σ(x) = (D(x; σ) − x)/σ²</c>.
/// </summary>
/// <remarks>A prior holds native tensors (network weights, spectra); whoever creates it disposes it. A run disposes the priors
/// its builder created (e.g. <c>p.FromCheckpoint(...)</c>), never those passed in through <c>Custom(...)</c>.</remarks>
public interface IDiffusionPrior : IDisposable
{
    /// <summary>A descriptive name (a preset such as <c>navier-stokes</c>, or <c>gaussian-field</c>).</summary>
    string Name { get; }

    /// <summary>Image channels <c>C</c> of the prior's signals.</summary>
    int Channels { get; }

    /// <summary>Image resolution <c>R</c> (signals are <c>[B, C, R, R]</c>).</summary>
    int Resolution { get; }

    /// <summary>Smallest supported noise level.</summary>
    double SigmaMin { get; }

    /// <summary>Largest supported noise level.</summary>
    double SigmaMax { get; }

    /// <summary>The device of the prior's parameters.</summary>
    Device Device { get; }

    /// <summary>
    /// The denoiser <c>D(x; σ)</c>. <paramref name="sigma"/> is a scalar tensor, a <c>[1]</c> tensor (broadcast) or a
    /// per-sample <c>[B]</c> tensor. Differentiable w.r.t. <paramref name="x"/> when the caller enables gradients;
    /// otherwise runs without an autograd graph. Returns a fresh <c>[B, C, R, R]</c> tensor: analytic priors keep
    /// <paramref name="x"/>'s dtype; network priors return their network's dtype (float32 by default, as the reference).
    /// </summary>
    Tensor Denoise(Tensor x, Tensor sigma);

    /// <summary>The denoiser at one noise level for the whole batch.</summary>
    Tensor Denoise(Tensor x, double sigma);
}
