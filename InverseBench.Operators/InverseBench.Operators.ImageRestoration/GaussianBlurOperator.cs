using InverseBench.Operators.ImageRestoration.Functional;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// Gaussian deblurring — the reference's <c>GaussialBlur</c> (<c>inverse_problems/image_restore.py</c>, configs
/// <c>ffhq256_deblur.yaml</c>): <c>A(x) = conv2d(ReflectionPad2d(K/2)(x), k, groups = C)</c> with the <c>K×K</c> kernel
/// <c>k</c> = <c>gaussian_filter</c> of an impulse (σ = <c>intensity</c>, see <see cref="GaussianBlurKernel"/>) cast to
/// the input's dtype (float32 as the reference). <c>[B, C, R, R]</c> → <c>[B, C, R, R]</c>. Kernel taps beyond the
/// Gaussian's truncation radius (12 px for σ = 3) are exactly zero, so only the non-zero centre is applied, after a
/// reflection padding of that radius — the same sums as the reference's 61×61 convolution without the zero products.
/// </summary>
/// <remarks>
/// Capabilities: linear with an exact adjoint (transposed convolution, then the reflection padding folded back) and an
/// SVD (<see cref="SeparableImageOperator"/>): the kernel is separable and so the blur of a channel is <c>B X Bᵀ</c> with
/// the <c>[R, R]</c> matrix <c>B</c> of <see cref="BlurMatrix"/>. The reference has no SVD for the blur; directions whose
/// per-axis singular value is at or below <see cref="GaussianBlurOptions.SvdThreshold"/> count as unobserved, as in DDRM.
/// The reference only accepts 3 channels; here any C is blurred channel by channel (identical for C = 3).
/// </remarks>
public sealed class GaussianBlurOperator : SeparableImageOperator
{
    private readonly GaussianBlurOptions _options;
    private readonly Tensor _kernel;  // [C, 1, K, K] float64 (reference get_kernel)
    private readonly Tensor _support; // [C, 1, 2s+1, 2s+1] float64: the non-zero centre of the kernel
    private readonly int _supportRadius;

    /// <summary>Builds the operator.</summary>
    /// <param name="options">Kernel, noise and image size; null uses the ffhq256_deblur.yaml defaults.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    /// <param name="name">The problem name.</param>
    public GaussianBlurOperator(GaussianBlurOptions? options = null, Device? device = null, string name = ImageRestorationProblemNames.Deblur)
        : this((options ?? new GaussianBlurOptions()).Clone(), device, name, copied: true)
    {
    }

    private GaussianBlurOperator(GaussianBlurOptions options, Device? device, string name, bool copied)
        : base(name, options, [options.Channels, options.Resolution, options.Resolution], device, options.SvdThreshold)
    {
        _ = copied;
        _options = options;
        using var scope = NewDisposeScope();
        var kernel = GaussianBlurKernel.Kernel(options.KernelSize, options.Intensity, Device);
        _kernel = scope.MoveToOuter(kernel.expand(options.Channels, 1, options.KernelSize, options.KernelSize).contiguous()).DetachFromDisposeScope();
        // Taps beyond scipy's truncation radius are exactly 0: pad and convolve with the non-zero centre only (the same
        // sums without the zero products, ~(K / (2·radius + 1))² fewer operations; reflection indices are unchanged).
        var g = GaussianBlurKernel.FilteredImpulse(options.KernelSize, options.Intensity);
        int first = Array.FindIndex(g, v => v != 0);
        _supportRadius = options.KernelSize / 2 - first;
        var centre = _kernel[TensorIndex.Ellipsis, TensorIndex.Slice(first, options.KernelSize - first), TensorIndex.Slice(first, options.KernelSize - first)];
        _support = scope.MoveToOuter(centre.contiguous()).DetachFromDisposeScope();
    }

    /// <summary>The options (a copy).</summary>
    public GaussianBlurOptions Options => _options.Clone();

    /// <summary>The blur kernel <c>[K, K]</c> float64 (reference <c>get_kernel()</c>; a fresh tensor).</summary>
    public Tensor Kernel() => _kernel[0, 0].clone();

    /// <inheritdoc />
    public override Tensor Factor()
    {
        var b = BlurMatrix.Build(Resolution, _options.KernelSize, _options.Intensity);
        return tensor(b, dtype: ScalarType.Float64, device: Device);
    }

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        int pad = _supportRadius;
        var x = physical.to(Device);
        var padded = F.pad(x, [pad, pad, pad, pad], PaddingModes.Reflect);
        return scope.MoveToOuter(F.conv2d(padded, _support.to_type(x.dtype), groups: Channels));
    }

    /// <inheritdoc />
    protected override Tensor AdjointCore(Tensor measurement)
    {
        using var scope = NewDisposeScope();
        var spread = F.conv_transpose2d(measurement, _support.to_type(measurement.dtype), groups: Channels);
        return scope.MoveToOuter(ReflectionPadding.Adjoint(spread, _supportRadius));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        _kernel.Dispose();
        _support.Dispose();
    }
}
