using InverseBench.Operators.ImageRestoration.Functional;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// Super-resolution — the reference's <c>SuperResolution</c> (configs <c>ffhq256_sr.yaml</c>): the observation is the
/// antialiased bicubic downsampling <c>resize(x, R/s, BICUBIC, antialias=True)</c> (see <see cref="BicubicResampling"/>),
/// <c>[B, C, R, R]</c> → <c>[B, C, R/s, R/s]</c>.
/// </summary>
/// <remarks>
/// Capabilities: linear, separable (<c>Y = D X Dᵀ</c> with the <c>[R/s, R]</c> resampling matrix <c>D</c>), so it has an
/// exact adjoint <c>Dᵀ Y D</c> and a closed-form SVD (<see cref="SeparableImageOperator"/>) with <c>(R/s)²</c> non-zero
/// singular values per channel.
/// </remarks>
public sealed class SuperResolutionOperator : SeparableImageOperator
{
    private readonly SuperResolutionOptions _options;
    private readonly Tensor _matrix; // D [m, R] float64

    /// <summary>Builds the operator.</summary>
    /// <param name="options">Scale factor, noise and image size; null uses the ffhq256_sr.yaml defaults.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    /// <param name="name">The problem name.</param>
    public SuperResolutionOperator(SuperResolutionOptions? options = null, Device? device = null, string name = ImageRestorationProblemNames.SuperResolution)
        : this((options ?? new SuperResolutionOptions()).Clone(), device, name, copied: true)
    {
    }

    private SuperResolutionOperator(SuperResolutionOptions options, Device? device, string name, bool copied)
        : base(name, options, [options.Channels, options.OutResolution, options.OutResolution], device, options.SvdThreshold)
    {
        _ = copied;
        _options = options;
        _matrix = BicubicResampling.Matrix(options.Resolution, options.OutResolution, Device).DetachFromDisposeScope();
    }

    /// <summary>The options (a copy).</summary>
    public SuperResolutionOptions Options => _options.Clone();

    /// <summary>Side of the observation, <c>R / scale_factor</c>.</summary>
    public int OutResolution => _options.OutResolution;

    /// <inheritdoc />
    public override Tensor Factor() => _matrix.clone();

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical) => BicubicResampling.Resize(physical.to(Device), OutResolution);

    /// <inheritdoc />
    protected override Tensor AdjointCore(Tensor measurement)
    {
        using var scope = NewDisposeScope();
        var d = _matrix.to_type(measurement.dtype);
        return scope.MoveToOuter(matmul(matmul(d.t(), measurement), d));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _matrix.Dispose();
    }
}
