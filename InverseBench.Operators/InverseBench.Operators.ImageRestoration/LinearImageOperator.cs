using InverseBench.Core.Abstractions;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration;

/// <summary>
/// A linear image-restoration operator with a hand-written adjoint and an exact SVD (<see cref="ISvdOperator"/>,
/// <see cref="IPseudoInverse"/>), so the SVD-based solvers (DDRM, DDNM, ΠGDM, DiffPIR, FPS, MCG-diff, DDSMC) apply. The
/// misfit gradient is <c>2·scale·Aᵀ(A(x) − y)</c> through <see cref="Adjoint"/> (no autograd graph).
/// </summary>
public abstract class LinearImageOperator : ImageRestorationOperator, ISvdOperator, IPseudoInverse
{
    /// <inheritdoc />
    protected LinearImageOperator(string name, ImageRestorationOptions options, IReadOnlyList<long> measurementShape, Device? device)
        : base(name, options, measurementShape, device)
    {
    }

    /// <summary><c>Aᵀ y</c>: measurements <c>[B, ..meas]</c> → images <c>[B, C, R, R]</c> in the measurement's dtype.</summary>
    public Tensor Adjoint(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        if (measurement.is_complex()) throw new ArgumentException($"{nameof(measurement)} must be real; got {measurement.dtype}.", nameof(measurement));
        TensorGuard.FloatingPoint(measurement, nameof(measurement));
        return AdjointCore(measurement.to(Device));
    }

    /// <summary>The adjoint on a checked measurement batch already on the operator's device.</summary>
    protected abstract Tensor AdjointCore(Tensor measurement);

    /// <inheritdoc />
    public override (Tensor Gradient, Tensor Loss) GradientAndLoss(Tensor x, Tensor observation)
    {
        CheckPair(x, observation);
        EvaluationCounter.RecordGradient();
        using var scope = NewDisposeScope();
        var residual = Forward(x) - observation.to(Device);
        var loss = residual.square().flatten(1).sum(1);
        var gradient = AdjointCore(residual) * (2.0 * UnnormScale);
        return (scope.MoveToOuter(gradient.to_type(x.dtype)), scope.MoveToOuter(loss));
    }

    /// <inheritdoc />
    public abstract Tensor SingularValues { get; }

    /// <inheritdoc />
    public abstract Tensor ObservedMask { get; }

    /// <inheritdoc />
    public abstract Tensor Vt(Tensor signal);

    /// <inheritdoc />
    public abstract Tensor V(Tensor coefficients);

    /// <inheritdoc />
    public abstract Tensor Ut(Tensor measurement);

    /// <inheritdoc />
    public abstract Tensor U(Tensor coefficients);

    /// <summary>
    /// <c>Normalize(A⁺ y) = Normalize(V(M/S · Uᵀ y))</c> with 0 on unobserved directions; <c>[B, ..meas]</c> → <c>[B, C, R, R]</c>
    /// float32. For inpainting this is the reference's <c>pseudo_inverse</c> (<c>M·y</c>).
    /// </summary>
    public Tensor PseudoInverse(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        var s = SingularValues.to_type(ScalarType.Float64);
        var observed = (ObservedMask.to_type(ScalarType.Float64) != 0).logical_and(s != 0);
        var inverse = where(observed, 1.0 / where(observed, s, ones_like(s)), zeros_like(s));
        var signal = V(Ut(measurement) * inverse).to_type(ScalarType.Float32);
        return scope.MoveToOuter(Normalize(signal));
    }

    /// <summary>Checks a coefficient batch <c>[B, k]</c> against the number of singular values.</summary>
    protected void CheckCoefficients(Tensor coefficients, string name)
    {
        ThrowIfDisposed();
        TensorGuard.Shape(coefficients, name, TensorGuard.Any, SingularValues.shape[0]);
    }
}
