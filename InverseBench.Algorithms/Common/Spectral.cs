using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Common;

/// <summary>
/// Spectral-space helpers of the SVD-based solvers (DDRM, DDNM, ΠGDM, DiffPIR linear mode). An <see cref="ISvdOperator"/>
/// acts on physical-units signals, <c>A v = U S Vᵀ v</c>, while solvers work with normalised signals
/// <c>x = v/scale − shift</c>; these helpers do the conversions of the reference (spec §4.3/§4.4) once, in float64, and
/// guard every division by a singular value with the observed-direction mask (the reference divides by S = 0 on padded
/// directions, giving NaN·0).
/// </summary>
internal static class Spectral
{
    /// <summary>
    /// The observation in normalised units: <c>y' = y/scale − A(shift·1)</c>, so that <c>y' = A x</c> for a normalised
    /// <c>x</c> (plus noise/scale). Reference DDRM's <c>y/unnorm_scale − forward(shift·ones, unnormalize=False)</c>.
    /// </summary>
    public static Tensor NormalizedObservation(IForwardOperator op, Tensor observation)
    {
        using var scope = NewDisposeScope();
        Tensor result = observation / op.UnnormScale;
        if (op.UnnormShift != 0.0)
        {
            var shift = full(SignalShapeOf(op, 1), op.UnnormShift, dtype: ScalarType.Float32, device: observation.device);
            result = result - op.ForwardPhysical(shift);
        }

        return scope.MoveToOuter(result);
    }

    /// <summary><c>[batch, ..SignalShape]</c>.</summary>
    public static long[] SignalShapeOf(IForwardOperator op, long batch) => [batch, .. op.SignalShape];

    /// <summary>The singular values as float64 <c>[k]</c>.</summary>
    public static Tensor SingularValues(ISvdOperator op) => op.SingularValues.to(ScalarType.Float64);

    /// <summary>The observed-direction mask as float64 0/1 <c>[k]</c>.</summary>
    public static Tensor Mask(ISvdOperator op)
    {
        using var scope = NewDisposeScope();
        var mask = op.ObservedMask;
        var m = mask.dtype == ScalarType.Bool ? mask.to(ScalarType.Float64) : (mask != 0).to(ScalarType.Float64);
        var s = op.SingularValues.to(ScalarType.Float64);
        // A direction with σ = 0 carries no information whatever the mask says.
        return scope.MoveToOuter(m * (s != 0).to(ScalarType.Float64));
    }

    /// <summary><c>M/S</c> with 0 where unobserved (never NaN), float64 <c>[k]</c>.</summary>
    public static Tensor MaskedInverse(ISvdOperator op)
    {
        using var scope = NewDisposeScope();
        var mask = Mask(op);
        var s = SingularValues(op);
        var safe = where(mask > 0, s, ones_like(s));
        return scope.MoveToOuter(mask / safe);
    }

    /// <summary><c>Vᵀ x</c> as float64 <c>[B, k]</c>.</summary>
    public static Tensor Vt(ISvdOperator op, Tensor signal) => op.Vt(signal).to(ScalarType.Float64);

    /// <summary><c>Uᵀ y</c> as float64 <c>[B, k]</c>.</summary>
    public static Tensor Ut(ISvdOperator op, Tensor measurement) => op.Ut(measurement).to(ScalarType.Float64);

    /// <summary><c>V z</c> as a float32 signal <c>[B, ..signal]</c>.</summary>
    public static Tensor V(ISvdOperator op, Tensor coefficients) => op.V(coefficients).to(ScalarType.Float32);

    /// <summary>
    /// The minimum-norm least-squares solution <c>A⁺ y = V(M/S · Uᵀ y)</c> of the physical-units map (the reference DDNM's
    /// <c>pinv</c>), as a float32 signal.
    /// </summary>
    public static Tensor PseudoInverse(ISvdOperator op, Tensor measurement, Tensor maskedInverse)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(V(op, Ut(op, measurement) * maskedInverse));
    }
}
