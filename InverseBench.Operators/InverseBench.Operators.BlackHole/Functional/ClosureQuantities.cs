using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole.Functional;

/// <summary>The parts of a black-hole measurement vector (reference <c>decompress</c>), each <c>[B, 1, n, 1]</c>.</summary>
/// <param name="Amplitude">Visibility amplitudes <c>[B, 1, M, 1]</c>.</param>
/// <param name="AmplitudeSigma">Their σ.</param>
/// <param name="ClosurePhase">Closure phases in radians <c>[B, 1, Ncp, 1]</c>.</param>
/// <param name="ClosurePhaseSigma">Their σ (radians).</param>
/// <param name="LogClosureAmplitude">Log closure amplitudes <c>[B, 1, Ncamp, 1]</c>.</param>
/// <param name="LogClosureAmplitudeSigma">Their σ.</param>
/// <param name="Flux">Total flux <c>[B, 1, 1, 1]</c>.</param>
public sealed record MeasurementParts(Tensor Amplitude, Tensor AmplitudeSigma, Tensor ClosurePhase, Tensor ClosurePhaseSigma,
    Tensor LogClosureAmplitude, Tensor LogClosureAmplitudeSigma, Tensor Flux)
{
    /// <summary>The reference's <c>compress</c>: <c>cat([amp, σ_amp, cp, σ_cp, logcamp, σ_logcamp, flux], dim 2)</c> as float32.</summary>
    public Tensor Compress()
    {
        using var scope = NewDisposeScope();
        var y = cat([Amplitude, AmplitudeSigma, ClosurePhase, ClosurePhaseSigma, LogClosureAmplitude, LogClosureAmplitudeSigma, Flux], 2);
        return scope.MoveToOuter(y.to_type(ScalarType.Float32));
    }
}

/// <summary>
/// Pure tensor kernels of the reference's <c>BlackHoleImaging</c> (forward_*_from_vis, chi2_*_from_meas). Index tensors
/// are int64 <c>[N, k]</c>, conjugation flags int64 <c>[N, k]</c>, σ per visibility <c>[M]</c> (float64 in the reference).
/// </summary>
public static class ClosureQuantities
{
    /// <summary>Closure phases <c>angle(v1·v2·v3)</c> and their σ <c>sqrt(Σ σ_k²/|v_k|²)</c> from visibilities <c>[B, 1, M, 1]</c>.</summary>
    public static (Tensor Phase, Tensor Sigma) ClosurePhases(Tensor vis, Tensor sigma, Tensor index, Tensor conjugate)
    {
        using var scope = NewDisposeScope();
        Tensor product = null!;
        Tensor variance = null!;
        for (int k = 0; k < 3; k++)
        {
            var column = index[TensorIndex.Colon, k];
            var v = vis.index_select(2, column);
            var flag = conjugate[TensorIndex.Colon, k].reshape(1, 1, -1, 1).to_type(v.dtype);
            var corrected = v * (1 - flag) + v.conj() * flag;
            var s = sigma.index_select(0, column).reshape(1, 1, -1, 1);
            var term = s.square() / corrected.abs().square();
            product = k == 0 ? corrected : product * corrected;
            variance = k == 0 ? term : variance + term;
        }

        return (scope.MoveToOuter(product.angle()), scope.MoveToOuter(variance.sqrt()));
    }

    /// <summary>
    /// Log closure amplitudes <c>log|v1| + log|v2| − log|v3| − log|v4|</c> and their σ <c>sqrt(Σ σ_k²/|v_k|²)</c> from
    /// visibilities <c>[B, 1, M, 1]</c> (conjugation does not change amplitudes).
    /// </summary>
    public static (Tensor LogAmplitude, Tensor Sigma) LogClosureAmplitudes(Tensor vis, Tensor sigma, Tensor index)
    {
        using var scope = NewDisposeScope();
        Tensor sum = null!;
        Tensor variance = null!;
        for (int k = 0; k < 4; k++)
        {
            var column = index[TensorIndex.Colon, k];
            var a = vis.index_select(2, column).abs();
            var s = sigma.index_select(0, column).reshape(1, 1, -1, 1);
            var term = s.square() / a.square();
            var log = a.log();
            sum = k == 0 ? log : k == 1 ? sum + log : sum - log;
            variance = k == 0 ? term : variance + term;
        }

        return (scope.MoveToOuter(sum), scope.MoveToOuter(variance.sqrt()));
    }

    /// <summary>Reduced χ² of amplitudes <c>mean(((a − y)/σ)²)</c> over dims 1..3 → <c>[B]</c>.</summary>
    public static Tensor AmplitudeChiSquare(Tensor predicted, Tensor observed, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(((predicted - observed) / sigma).square().mean([1, 2, 3]));
    }

    /// <summary>Closure-phase χ² <c>2·mean((1 − cos(y − φ))/σ²)</c> → <c>[B]</c>.</summary>
    public static Tensor ClosurePhaseChiSquare(Tensor predicted, Tensor observed, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(2.0 * ((1 - (observed - predicted).cos()) / sigma.square()).mean([1, 2, 3]));
    }

    /// <summary>Log-closure-amplitude χ² <c>mean(((ℓ − y)/σ)²)</c> → <c>[B]</c>.</summary>
    public static Tensor LogClosureAmplitudeChiSquare(Tensor predicted, Tensor observed, Tensor sigma)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(((predicted - observed) / sigma).abs().square().mean([1, 2, 3]));
    }

    /// <summary>Flux χ² <c>mean(((F − y)/2)²)</c> → <c>[B]</c>.</summary>
    public static Tensor FluxChiSquare(Tensor predicted, Tensor observed)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(((predicted - observed) / 2).square().mean([1, 2, 3]));
    }
}
