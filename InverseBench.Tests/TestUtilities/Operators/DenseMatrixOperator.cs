using InverseBench.Core.Abstractions;
using InverseBench.Core.Operators;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Tests.TestUtilities.Operators;

/// <summary>
/// A linear test operator from a dense matrix <c>A [m, n]</c> acting on flattened physical-units signals <c>[B, ..signal]</c>
/// (n = product of the signal shape), measurement <c>[B, 1, 1, m]</c> like the reference toy problem
/// (<c>(x.flatten(1) @ A.T).reshape(B, 1, 1, m)</c>). Exact full SVD <c>A = U S Vᵀ</c> in float64: the spectral space has
/// n coordinates (<c>Vt</c>/<c>V</c> square), <c>S</c> is zero-padded to n and <c>M</c> marks the non-zero singular values.
/// </summary>
public sealed class DenseMatrixOperator : ForwardOperatorBase, ISvdOperator, IPseudoInverse
{
    private readonly Tensor _matrix;     // [m, n] float64
    private readonly Tensor _u;          // [m, r] float64
    private readonly Tensor _vh;         // [n, n] float64 (rows are right singular vectors)
    private readonly Tensor _singular;   // [n] float64, zero-padded
    private readonly Tensor _mask;       // [n] float64 0/1
    private readonly long _m, _n, _r;

    /// <summary>Creates the operator.</summary>
    /// <param name="matrix">A, <c>[m, n]</c>, any real dtype (copied as float64).</param>
    /// <param name="signalShape">The signal shape (product n), e.g. <c>[1, 8, 8]</c>.</param>
    /// <param name="noiseSigma">Measurement noise standard deviation.</param>
    /// <param name="unnormShift">Normalisation shift.</param>
    /// <param name="unnormScale">Normalisation scale.</param>
    /// <param name="name">Problem name.</param>
    public DenseMatrixOperator(Tensor matrix, long[] signalShape, double noiseSigma = 0.0, double unnormShift = 0.0,
        double unnormScale = 1.0, string name = "dense-matrix")
        : base(signalShape, [1, 1, CheckMatrix(matrix, signalShape)], new GaussianNoise(noiseSigma), unnormShift, unnormScale)
    {
        Name = name;
        _matrix = matrix.to(ScalarType.Float64).detach().clone().DetachFromDisposeScope();
        _m = matrix.shape[0];
        _n = matrix.shape[1];
        _r = Math.Min(_m, _n);
        var (u, s, vh) = linalg.svd(_matrix, fullMatrices: true);
        using (u)
        using (s)
        {
            _u = u[.., ..(int)_r].clone().DetachFromDisposeScope();
            _vh = vh.DetachFromDisposeScope();
            double tol = s.max().item<double>() * Math.Max(_m, _n) * 1e-13;
            _singular = cat([s, zeros(_n - _r, dtype: ScalarType.Float64)]).DetachFromDisposeScope();
            _mask = (_singular > tol).to(ScalarType.Float64).DetachFromDisposeScope();
        }
    }

    private static long CheckMatrix(Tensor matrix, long[] signalShape)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(signalShape);
        if (matrix.dim() != 2) throw new ArgumentException($"matrix must be 2-D [m, n]; got {matrix.dim()}-D.", nameof(matrix));
        long n = signalShape.Aggregate(1L, (a, b) => a * b);
        if (matrix.shape[1] != n)
            throw new ArgumentException($"matrix has {matrix.shape[1]} columns but the signal has {n} entries.", nameof(matrix));
        return matrix.shape[0];
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override ScalarType MeasurementType => ScalarType.Float32;

    /// <summary>The matrix A (float64 <c>[m, n]</c>).</summary>
    public Tensor Matrix => _matrix;

    /// <inheritdoc />
    public Tensor SingularValues => _singular;

    /// <inheritdoc />
    public Tensor ObservedMask => _mask;

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var y = physical.flatten(1).to(ScalarType.Float64).matmul(_matrix.T);
        return scope.MoveToOuter(y.reshape(physical.shape[0], 1, 1, _m).to(physical.dtype));
    }

    /// <inheritdoc />
    public Tensor Adjoint(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        var v = measurement.flatten(1).to(ScalarType.Float64).matmul(_matrix);
        return scope.MoveToOuter(v.reshape([measurement.shape[0], .. SignalShape]).to(ScalarType.Float32));
    }

    /// <inheritdoc />
    public Tensor Vt(Tensor signal)
    {
        CheckSignal(signal, nameof(signal));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(signal.flatten(1).to(ScalarType.Float64).matmul(_vh.T));
    }

    /// <inheritdoc />
    public Tensor V(Tensor coefficients)
    {
        CheckCoefficients(coefficients);
        using var scope = NewDisposeScope();
        var x = coefficients.to(ScalarType.Float64).matmul(_vh);
        return scope.MoveToOuter(x.reshape([coefficients.shape[0], .. SignalShape]).to(ScalarType.Float32));
    }

    /// <inheritdoc />
    public Tensor Ut(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        var z = measurement.flatten(1).to(ScalarType.Float64).matmul(_u);
        return scope.MoveToOuter(nn.functional.pad(z, [0, _n - _r]));
    }

    /// <inheritdoc />
    public Tensor U(Tensor coefficients)
    {
        CheckCoefficients(coefficients);
        using var scope = NewDisposeScope();
        var y = coefficients.to(ScalarType.Float64)[.., ..(int)_r].matmul(_u.T);
        return scope.MoveToOuter(y.reshape(coefficients.shape[0], 1, 1, _m).to(ScalarType.Float32));
    }

    /// <inheritdoc />
    public Tensor PseudoInverse(Tensor measurement)
    {
        using var scope = NewDisposeScope();
        var inverse = _mask / where(_mask > 0, _singular, ones_like(_singular));
        var physical = V(Ut(measurement) * inverse);
        return scope.MoveToOuter(Normalize(physical));
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
        _matrix.Dispose();
        _u.Dispose();
        _vh.Dispose();
        _singular.Dispose();
        _mask.Dispose();
    }
}
