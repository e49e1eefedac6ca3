using InverseBench.Operators.ImageRestoration.Internal;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// A linear operator that acts on every channel as <c>Y = B X Bᵀ</c> with a 1-D factor <c>B</c> (<c>[m, R]</c>): its SVD is
/// the Kronecker product of the SVD of <c>B</c> (computed on first use, a <c>R×R</c> decomposition). Coefficients are
/// <c>[B, C·R·R]</c>: the singular value of coefficient (c, i, j) is <c>s_i·s_j</c> (0 for i or j ≥ m).
/// </summary>
public abstract class SeparableImageOperator : LinearImageOperator
{
    private readonly object _svdLock = new();
    private readonly double _svdThreshold;
    private SeparableSvd? _svd;

    /// <inheritdoc cref="LinearImageOperator(string, ImageRestorationOptions, IReadOnlyList{long}, Device?)" />
    /// <param name="name">The problem name.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="measurementShape">Shape of one measurement.</param>
    /// <param name="device">Device of the operator's tensors.</param>
    /// <param name="svdThreshold">Per-axis singular values at or below this are unobserved.</param>
    protected SeparableImageOperator(string name, ImageRestorationOptions options, IReadOnlyList<long> measurementShape, Device? device, double svdThreshold)
        : base(name, options, measurementShape, device)
    {
        _svdThreshold = svdThreshold;
    }

    /// <summary>The 1-D factor <c>B</c>, <c>[m, R]</c> float64 (a fresh tensor).</summary>
    public abstract Tensor Factor();

    /// <inheritdoc />
    public override Tensor SingularValues => Svd.SingularValues;

    /// <inheritdoc />
    public override Tensor ObservedMask => Svd.ObservedMask;

    /// <summary><c>Vᵀ x</c>: <c>[B, C, R, R]</c> → <c>[B, C·R·R]</c> float64.</summary>
    public override Tensor Vt(Tensor signal)
    {
        CheckSignal(signal, nameof(signal));
        return Svd.Vt(signal);
    }

    /// <summary><c>V z</c>: <c>[B, C·R·R]</c> → <c>[B, C, R, R]</c> float32.</summary>
    public override Tensor V(Tensor coefficients)
    {
        CheckCoefficients(coefficients, nameof(coefficients));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Svd.V(coefficients).to_type(ScalarType.Float32));
    }

    /// <summary><c>Uᵀ y</c>: <c>[B, ..meas]</c> → <c>[B, C·R·R]</c> float64.</summary>
    public override Tensor Ut(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        return Svd.Ut(measurement);
    }

    /// <summary><c>U z</c>: <c>[B, C·R·R]</c> → <c>[B, ..meas]</c> float32.</summary>
    public override Tensor U(Tensor coefficients)
    {
        CheckCoefficients(coefficients, nameof(coefficients));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Svd.U(coefficients).to_type(ScalarType.Float32));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _svd?.Dispose();
    }

    private SeparableSvd Svd
    {
        get
        {
            ThrowIfDisposed();
            lock (_svdLock)
            {
                if (_svd is null)
                {
                    using var factor = Factor();
                    _svd = new SeparableSvd(factor, Channels, _svdThreshold, Device);
                }

                return _svd;
            }
        }
    }
}
