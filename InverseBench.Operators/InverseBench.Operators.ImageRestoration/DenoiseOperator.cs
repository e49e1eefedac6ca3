using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// Denoising — the reference's <c>Denoise</c>: <c>A(x) = x</c>, observation <c>x + σ·N(0, 1)</c>. Linear, with the identity
/// SVD (all singular values 1) and pseudo-inverse.
/// </summary>
public sealed class DenoiseOperator : DiagonalImageOperator
{
    private readonly DenoiseOptions _options;

    /// <summary>Builds the operator.</summary>
    /// <param name="options">Noise and image size; null uses σ = 0.05 at 3×256×256.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    /// <param name="name">The problem name.</param>
    public DenoiseOperator(DenoiseOptions? options = null, Device? device = null, string name = ImageRestorationProblemNames.Denoise)
        : this((options ?? new DenoiseOptions()).Clone(), device, name, copied: true)
    {
    }

    private DenoiseOperator(DenoiseOptions options, Device? device, string name, bool copied)
        : base(name, Validated(options), ones(1, 1, options.Resolution, options.Resolution), device)
    {
        _ = copied;
        _options = options;
    }

    /// <summary>The options (a copy).</summary>
    public DenoiseOptions Options => _options.Clone();

    private static DenoiseOptions Validated(DenoiseOptions options)
    {
        options.Validate();
        return options;
    }
}
