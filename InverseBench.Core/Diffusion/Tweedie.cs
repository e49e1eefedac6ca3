using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Core.Diffusion;

/// <summary>
/// Tweedie conversions between a denoiser output D(x; σ) ≈ E[x₀ | x], the score ∇log p_σ(x) and the predicted noise, shared by
/// every solver (use these rather than re-deriving them). The results keep the dtype of <c>x</c>; σ enters as a Scalar, like a
/// Python float in the reference.
/// </summary>
public static class Tweedie
{
    /// <summary>The score ∇log p_σ(x) = (D − x)/σ².</summary>
    /// <exception cref="ArgumentException">σ is not finite and positive, or the shapes differ.</exception>
    public static Tensor Score(Tensor denoised, Tensor x, double sigma)
    {
        Check(denoised, x, sigma);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter((denoised - x).div_(sigma * sigma));
    }

    /// <summary>The predicted noise ε̂ = (x − D)/σ (so x = D + σ ε̂).</summary>
    /// <exception cref="ArgumentException">σ is not finite and positive, or the shapes differ.</exception>
    public static Tensor NoiseFromDenoised(Tensor denoised, Tensor x, double sigma)
    {
        Check(denoised, x, sigma);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter((x - denoised).div_(sigma));
    }

    /// <summary>The score with a per-sample σ (<c>[B]</c>, <c>[1]</c> or a scalar tensor), broadcast over the non-batch dimensions.</summary>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public static Tensor Score(Tensor denoised, Tensor x, Tensor sigma)
    {
        Check(denoised, x);
        using var scope = NewDisposeScope();
        var s = PerSample(sigma, x);
        return scope.MoveToOuter((denoised - x) / (s * s));
    }

    /// <summary>The predicted noise with a per-sample σ (<c>[B]</c>, <c>[1]</c> or a scalar tensor).</summary>
    /// <exception cref="ArgumentException">The shapes do not match.</exception>
    public static Tensor NoiseFromDenoised(Tensor denoised, Tensor x, Tensor sigma)
    {
        Check(denoised, x);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter((x - denoised) / PerSample(sigma, x));
    }

    /// <summary>Reshapes a scalar/<c>[1]</c>/<c>[B]</c> σ to broadcast over <paramref name="x"/> (<c>[B,1,…,1]</c>) in x's dtype.</summary>
    internal static Tensor PerSample(Tensor sigma, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(sigma);
        long batch = x.shape[0];
        if (!(sigma.dim() == 0 || (sigma.dim() == 1 && (sigma.shape[0] == 1 || sigma.shape[0] == batch))))
            throw new ArgumentException($"sigma must be a scalar tensor, [1] or [{batch}]; got {TensorGuard.Format(sigma.shape)}.", nameof(sigma));
        var shape = new long[x.dim()];
        Array.Fill(shape, 1L);
        shape[0] = -1;
        return sigma.to(x.dtype, x.device).reshape(shape);
    }

    private static void Check(Tensor denoised, Tensor x, double sigma)
    {
        if (!double.IsFinite(sigma) || sigma <= 0) throw new ArgumentException($"sigma must be finite and > 0; got {sigma}.", nameof(sigma));
        Check(denoised, x);
    }

    private static void Check(Tensor denoised, Tensor x)
    {
        ArgumentNullException.ThrowIfNull(denoised);
        ArgumentNullException.ThrowIfNull(x);
        TensorGuard.Shape(denoised, nameof(denoised), x.shape);
    }
}
