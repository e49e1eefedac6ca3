using InverseBench.Operators.ImageRestoration.Functional;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// Fourier phase retrieval — the reference's <c>PhaseRetrieval</c> (configs <c>ffhq256_pr.yaml</c>): zero-pad by
/// <c>p = int(oversample/8·R)</c> on every side, then the magnitude of the centred orthonormal 2-D FFT
/// (<see cref="CenteredFourier"/>): <c>[B, C, R, R]</c> → <c>[B, C, R + 2p, R + 2p]</c> real.
/// </summary>
/// <remarks>
/// Nonlinear: no SVD, no pseudo-inverse; the misfit gradient is autograd through <c>|·|</c> (torch's subgradient 0 at a
/// zero coefficient). float32 images go through complex64 as in the reference; float64 images through complex128 (the
/// reference casts every real input to complex64 — a precision loss this port does not copy).
/// </remarks>
public sealed class PhaseRetrievalOperator : ImageRestorationOperator
{
    private readonly PhaseRetrievalOptions _options;

    /// <summary>Builds the operator.</summary>
    /// <param name="options">Oversampling, noise and image size; null uses the ffhq256_pr.yaml defaults.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    /// <param name="name">The problem name.</param>
    public PhaseRetrievalOperator(PhaseRetrievalOptions? options = null, Device? device = null, string name = ImageRestorationProblemNames.PhaseRetrieval)
        : this((options ?? new PhaseRetrievalOptions()).Clone(), device, name, copied: true)
    {
    }

    private PhaseRetrievalOperator(PhaseRetrievalOptions options, Device? device, string name, bool copied)
        : base(name, options, MeasurementShapeOf(options), device)
    {
        _ = copied;
        _options = options;
    }

    /// <summary>The options (a copy).</summary>
    public PhaseRetrievalOptions Options => _options.Clone();

    /// <summary>The zero padding on each side.</summary>
    public int Padding => _options.Padding;

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        int p = Padding;
        var x = physical.to(Device);
        var padded = p == 0 ? x : F.pad(x, [p, p, p, p]);
        var complexValues = padded.to_type(x.dtype == ScalarType.Float64 ? ScalarType.ComplexFloat64 : ScalarType.ComplexFloat32);
        return scope.MoveToOuter(CenteredFourier.Forward(complexValues).abs());
    }

    private static long[] MeasurementShapeOf(PhaseRetrievalOptions options)
    {
        options.Validate();
        long side = options.Resolution + 2L * options.Padding;
        return [options.Channels, side, side];
    }
}
