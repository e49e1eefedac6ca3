using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// A pixelwise linear operator <c>A(x) = d ⊙ x</c> with a fixed weight image <c>d</c> (<c>[1, 1, R, R]</c>, shared by the
/// channels): measurements have the signal's shape, <c>U = V = I</c> and the singular values are <c>d</c> itself
/// (coefficients <c>[B, C·R·R]</c> = the flattened image). This is the reference's inpainting SVD (<c>Vt = V = Ut = id</c>,
/// <c>M = mask</c>, <c>S = 1</c>: the same products).
/// </summary>
public abstract class DiagonalImageOperator : LinearImageOperator
{
    private readonly Tensor _weights;   // [1, 1, R, R] float32
    private readonly Tensor _singular;  // [C·R·R] float32
    private readonly Tensor _mask;      // [C·R·R] float32
    private readonly Tensor _signs;     // [C·R·R] float32, the sign of d (U = diag(sign d))

    /// <summary>Initialises the operator with its weight image.</summary>
    /// <param name="name">The problem name.</param>
    /// <param name="options">The validated options.</param>
    /// <param name="weights">The weights <c>[1, 1, R, R]</c>; the operator takes ownership (disposes it) and keeps a float32 copy on its device.</param>
    /// <param name="device">Device of the operator's tensors.</param>
    protected DiagonalImageOperator(string name, ImageRestorationOptions options, Tensor weights, Device? device)
        : base(name, options, [options.Channels, options.Resolution, options.Resolution], device)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (!weights.shape.SequenceEqual(new long[] { 1, 1, options.Resolution, options.Resolution }))
            throw new ArgumentException($"The weight image must be [1, 1, {options.Resolution}, {options.Resolution}]; got [{string.Join(", ", weights.shape)}].", nameof(weights));
        using var scope = NewDisposeScope();
        var w = weights.to(Device).to_type(ScalarType.Float32).contiguous();
        var flat = w.expand(1, Channels, Resolution, Resolution).reshape(-1).contiguous();
        _weights = scope.MoveToOuter(w.clone()).DetachFromDisposeScope();
        _singular = scope.MoveToOuter(flat.abs()).DetachFromDisposeScope();
        _mask = scope.MoveToOuter((flat != 0).to_type(ScalarType.Float32)).DetachFromDisposeScope();
        _signs = scope.MoveToOuter(flat.sign()).DetachFromDisposeScope();
        weights.Dispose();
    }

    /// <summary>The weight image <c>[1, 1, R, R]</c> float32 (owned by the operator; do not dispose).</summary>
    protected Tensor Weights => _weights;

    /// <inheritdoc />
    public override Tensor SingularValues => _singular;

    /// <inheritdoc />
    public override Tensor ObservedMask => _mask;

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var x = physical.to(Device);
        return scope.MoveToOuter(x * _weights.to_type(x.dtype));
    }

    /// <inheritdoc />
    protected override Tensor AdjointCore(Tensor measurement)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(measurement * _weights.to_type(measurement.dtype));
    }

    /// <summary><c>Vᵀ x</c>: the flattened image, <c>[B, C·R·R]</c> float64.</summary>
    public override Tensor Vt(Tensor signal)
    {
        CheckSignal(signal, nameof(signal));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(signal.to(Device).to_type(ScalarType.Float64).reshape(signal.shape[0], -1));
    }

    /// <summary><c>V z</c>: <c>[B, C·R·R]</c> → <c>[B, C, R, R]</c> float32.</summary>
    public override Tensor V(Tensor coefficients)
    {
        CheckCoefficients(coefficients, nameof(coefficients));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(coefficients.to(Device).to_type(ScalarType.Float32).reshape(coefficients.shape[0], Channels, Resolution, Resolution));
    }

    /// <summary><c>Uᵀ y = sign(d) ⊙ y</c> flattened, <c>[B, C·R·R]</c> float64 (the identity for 0/1 weights).</summary>
    public override Tensor Ut(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        var flat = measurement.to(Device).to_type(ScalarType.Float64).reshape(measurement.shape[0], -1);
        return scope.MoveToOuter(flat * _signs.to_type(ScalarType.Float64));
    }

    /// <summary><c>U z = sign(d) ⊙ z</c>: <c>[B, C·R·R]</c> → <c>[B, C, R, R]</c> float32.</summary>
    public override Tensor U(Tensor coefficients)
    {
        CheckCoefficients(coefficients, nameof(coefficients));
        using var scope = NewDisposeScope();
        var z = coefficients.to(Device).to_type(ScalarType.Float32) * _signs;
        return scope.MoveToOuter(z.reshape(coefficients.shape[0], Channels, Resolution, Resolution));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _weights.Dispose();
        _singular.Dispose();
        _mask.Dispose();
        _signs.Dispose();
    }
}
