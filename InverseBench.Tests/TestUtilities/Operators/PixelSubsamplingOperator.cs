using InverseBench.Core.Abstractions;
using InverseBench.Core.Operators;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Tests.TestUtilities.Operators;

/// <summary>
/// A linear test operator that keeps a subset of the signal's entries (inpainting without the zero fill): measurement
/// <c>[B, 1, 1, m]</c> = the kept entries of the flattened physical-units signal, in the order given. Exact SVD: U = I,
/// S = [1 (m), 0 (n−m)], Vᵀ = the permutation that lists kept entries first; the pseudo-inverse is the adjoint
/// (zero fill).
/// </summary>
public sealed class PixelSubsamplingOperator : ForwardOperatorBase, ISvdOperator, IPseudoInverse
{
    private readonly Tensor _kept;        // [m] int64
    private readonly Tensor _permutation; // [n] int64: kept entries first
    private readonly Tensor _inverse;     // [n] int64: inverse permutation
    private readonly Tensor _singular;    // [n] float64
    private readonly long _m, _n;

    /// <summary>Creates the operator.</summary>
    /// <param name="signalShape">The signal shape.</param>
    /// <param name="keptIndices">Indices (into the flattened signal) of the kept entries, distinct.</param>
    /// <param name="noiseSigma">Measurement noise standard deviation.</param>
    /// <param name="unnormShift">Normalisation shift.</param>
    /// <param name="unnormScale">Normalisation scale.</param>
    public PixelSubsamplingOperator(long[] signalShape, long[] keptIndices, double noiseSigma = 0.0, double unnormShift = 0.0, double unnormScale = 1.0)
        : base(signalShape, [1, 1, CheckIndices(signalShape, keptIndices)], new GaussianNoise(noiseSigma), unnormShift, unnormScale)
    {
        _n = signalShape.Aggregate(1L, (a, b) => a * b);
        _m = keptIndices.Length;
        var kept = new HashSet<long>(keptIndices);
        long[] order = [.. keptIndices, .. Enumerable.Range(0, (int)_n).Select(i => (long)i).Where(i => !kept.Contains(i))];
        var inverse = new long[_n];
        for (int i = 0; i < order.Length; i++) inverse[order[i]] = i;
        _kept = tensor(keptIndices).DetachFromDisposeScope();
        _permutation = tensor(order).DetachFromDisposeScope();
        _inverse = tensor(inverse).DetachFromDisposeScope();
        _singular = cat([ones(_m, dtype: ScalarType.Float64), zeros(_n - _m, dtype: ScalarType.Float64)]).DetachFromDisposeScope();
    }

    private static long CheckIndices(long[] signalShape, long[] keptIndices)
    {
        ArgumentNullException.ThrowIfNull(signalShape);
        ArgumentNullException.ThrowIfNull(keptIndices);
        long n = signalShape.Aggregate(1L, (a, b) => a * b);
        if (keptIndices.Length == 0) throw new ArgumentException("At least one entry must be kept.", nameof(keptIndices));
        if (keptIndices.Any(i => i < 0 || i >= n)) throw new ArgumentOutOfRangeException(nameof(keptIndices), $"Indices must lie in [0, {n}).");
        if (keptIndices.Distinct().Count() != keptIndices.Length) throw new ArgumentException("Indices must be distinct.", nameof(keptIndices));
        return keptIndices.Length;
    }

    /// <summary>Keeps every <paramref name="stride"/>-th entry of the flattened signal, starting at <paramref name="offset"/>.</summary>
    public static PixelSubsamplingOperator EveryNth(long[] signalShape, int stride, int offset = 0, double noiseSigma = 0.0)
    {
        long n = signalShape.Aggregate(1L, (a, b) => a * b);
        var kept = new List<long>();
        for (long i = offset; i < n; i += stride) kept.Add(i);
        return new PixelSubsamplingOperator(signalShape, [.. kept], noiseSigma);
    }

    /// <inheritdoc />
    public override string Name => "pixel-subsampling";

    /// <inheritdoc />
    public override ScalarType MeasurementType => ScalarType.Float32;

    /// <inheritdoc />
    public Tensor SingularValues => _singular;

    /// <inheritdoc />
    public Tensor ObservedMask => _singular;

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(physical.flatten(1).index_select(1, _kept).reshape(physical.shape[0], 1, 1, _m));
    }

    /// <inheritdoc />
    public Tensor Adjoint(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        var flat = measurement.flatten(1).to(ScalarType.Float32);
        var full = zeros(measurement.shape[0], _n, dtype: ScalarType.Float32).index_copy(1, _kept, flat);
        return scope.MoveToOuter(full.reshape([measurement.shape[0], .. SignalShape]));
    }

    /// <inheritdoc />
    public Tensor Vt(Tensor signal)
    {
        CheckSignal(signal, nameof(signal));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(signal.flatten(1).to(ScalarType.Float64).index_select(1, _permutation));
    }

    /// <inheritdoc />
    public Tensor V(Tensor coefficients)
    {
        CheckCoefficients(coefficients);
        using var scope = NewDisposeScope();
        var x = coefficients.to(ScalarType.Float32).index_select(1, _inverse);
        return scope.MoveToOuter(x.reshape([coefficients.shape[0], .. SignalShape]));
    }

    /// <inheritdoc />
    public Tensor Ut(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(nn.functional.pad(measurement.flatten(1).to(ScalarType.Float64), [0, _n - _m]));
    }

    /// <inheritdoc />
    public Tensor U(Tensor coefficients)
    {
        CheckCoefficients(coefficients);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(coefficients[.., ..(int)_m].to(ScalarType.Float32).reshape(coefficients.shape[0], 1, 1, _m));
    }

    /// <inheritdoc />
    public Tensor PseudoInverse(Tensor measurement)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(Normalize(Adjoint(measurement)));
    }

    private void CheckCoefficients(Tensor coefficients)
    {
        ThrowIfDisposed();
        TensorGuard.Shape(coefficients, nameof(coefficients), TensorGuard.Any, _n);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _kept.Dispose();
        _permutation.Dispose();
        _inverse.Dispose();
        _singular.Dispose();
    }
}
