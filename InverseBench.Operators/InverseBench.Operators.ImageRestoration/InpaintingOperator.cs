using InverseBench.Operators.ImageRestoration.Functional;
using InverseBench.Operators.ImageRestoration.Internal;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// Inpainting — the reference's <c>Inpainting</c> (configs <c>ffhq256_inpaint.yaml</c>): <c>A(x) = x ⊙ mask</c> with a
/// <c>[1, 1, R, R]</c> 0/1 mask drawn once at construction (<see cref="InpaintingMaskType"/>), <c>[B, C, R, R]</c> →
/// <c>[B, C, R, R]</c> (hidden pixels are 0 before noise, as in the reference).
/// </summary>
/// <remarks>
/// <para>The mask. The reference draws it from numpy's global generator, which <c>main.py</c> never seeds, so every run
/// of the reference hides a different box. Here the draw replays numpy's legacy MT19937 stream after
/// <c>np.random.seed(MaskSeed)</c> (<see cref="InpaintingOptions.MaskSeed"/>, default 0): the mask is reproducible and
/// equal to what the reference produces after that seed (the golden fixtures record seed 0).</para>
/// <para>Capabilities: linear, self-adjoint, with the trivial SVD of a diagonal map (<see cref="DiagonalImageOperator"/>);
/// the pseudo-inverse is <c>mask ⊙ y</c> as the reference's <c>pseudo_inverse</c>.</para>
/// </remarks>
public sealed class InpaintingOperator : DiagonalImageOperator
{
    private readonly InpaintingOptions _options;

    /// <summary>Builds the operator and draws its mask.</summary>
    /// <param name="options">Mask family, ranges, seed, noise and image size; null uses the ffhq256_inpaint.yaml defaults.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    /// <param name="name">The problem name.</param>
    public InpaintingOperator(InpaintingOptions? options = null, Device? device = null, string name = ImageRestorationProblemNames.Inpaint)
        : this(Validated(options), device, name)
    {
    }

    private InpaintingOperator((InpaintingOptions Options, Tensor Mask) state, Device? device, string name)
        : base(name, state.Options, state.Mask, device)
    {
        _options = state.Options;
    }

    /// <summary>The options (a copy).</summary>
    public InpaintingOptions Options => _options.Clone();

    /// <summary>The mask <c>[1, 1, R, R]</c> float32, 1 = observed (a fresh tensor).</summary>
    public Tensor Mask() => Weights.clone();

    private static (InpaintingOptions, Tensor) Validated(InpaintingOptions? options)
    {
        var copy = (options ?? new InpaintingOptions()).Clone();
        copy.Validate();
        var random = new NumpyRandomState(copy.MaskSeed);
        var mask = InpaintingMask.Draw(copy.MaskType, copy.Resolution, (copy.MaskLengthLow, copy.MaskLengthHigh),
            (copy.MaskProbabilityLow, copy.MaskProbabilityHigh), random).DetachFromDisposeScope();
        return (copy, mask);
    }
}
