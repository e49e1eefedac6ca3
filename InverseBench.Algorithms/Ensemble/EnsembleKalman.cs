using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Ensemble;

/// <summary>
/// The ensemble Kalman update shared by EKI and EnKG (Iglesias, Law &amp; Stuart 2013; Zheng et al. 2024): with particles
/// <c>X</c> (<c>E × n</c>), predicted measurements <c>Ŷ</c> (<c>E × m</c>) and residuals <c>R</c> (<c>E × m</c>),
/// <c>ΔX = X − mean X</c>, <c>ΔY = Ŷ − mean Ŷ</c>, <c>C = R ΔYᵀ / E</c> (<c>E × E</c>) and
/// <c>X ← X − (γ / ‖C‖_F) · C ΔX</c>. The update only needs forward-model evaluations: <c>C ΔX</c> is the
/// ensemble approximation of <c>J(x)ᵀ R</c>, the gradient of the least-squares misfit, preconditioned by the ensemble covariance.
/// </summary>
public static class EnsembleKalman
{
    /// <summary>
    /// One normalised Kalman-type step. Complex measurements are treated as real pairs. When <c>‖C‖_F</c> is zero (a
    /// collapsed ensemble or a perfect fit) the particles are returned unchanged instead of dividing by zero (documented
    /// fallback: nothing left to correct). Divergence is an error, never a silent no-op: non-finite predictions or residuals,
    /// or an update that overflows, throw <see cref="NumericalDivergenceException"/> naming the first offending particle.
    /// </summary>
    /// <param name="particles">The ensemble <c>X</c>, <c>[E, ..signal]</c>.</param>
    /// <param name="predictions">Predicted measurements <c>Ŷ</c>, <c>[E, ..meas]</c>.</param>
    /// <param name="residuals">Residuals <c>R</c> (e.g. <c>Ŷ − y</c>), <c>[E, ..meas]</c>.</param>
    /// <param name="stepScale">The step size <c>γ</c> (reference <c>guidance_scale</c>).</param>
    /// <returns>The updated ensemble, a fresh tensor of the particles' shape and dtype.</returns>
    public static Tensor Step(Tensor particles, Tensor predictions, Tensor residuals, double stepScale)
    {
        ArgumentNullException.ThrowIfNull(particles);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(residuals);
        long count = particles.shape[0];
        if (predictions.shape[0] != count || residuals.shape[0] != count)
        {
            throw new ArgumentException(
                $"The ensemble has {count} particles but {predictions.shape[0]} predictions and {residuals.shape[0]} residuals.");
        }

        using var scope = NewDisposeScope();
        var coefficients = Coefficients(predictions, residuals);
        double norm = linalg.matrix_norm(coefficients).ToDouble();
        if (!double.IsFinite(norm))
        {
            long? item = FirstNonFinite(predictions) ?? FirstNonFinite(residuals);
            throw new NumericalDivergenceException(Name,
                $"the Kalman coefficient norm is {norm} (predictions or residuals are not finite, or their products overflow).", item);
        }

        if (norm == 0) return scope.MoveToOuter(particles.clone());
        var flat = particles.reshape(count, -1);
        var deviations = flat - flat.mean([0], keepdim: true);
        var direction = coefficients.to(deviations.dtype).matmul(deviations);
        var next = (flat - (stepScale / norm) * direction).reshape(particles.shape);
        if (FirstNonFinite(next) is { } bad)
            throw new NumericalDivergenceException(Name, $"the updated particles overflowed (step scale {stepScale}, coefficient norm {norm:G4}).", bad);
        return scope.MoveToOuter(next);
    }

    private const string Name = "Ensemble Kalman update";

    /// <summary>The first batch item holding a NaN or ±Inf, or null when all are finite.</summary>
    private static long? FirstNonFinite(Tensor batch)
    {
        using var scope = NewDisposeScope();
        var bad = (~isfinite(batch.is_complex() ? view_as_real(batch.contiguous()) : batch)).reshape(batch.shape[0], -1).any(1);
        return bad.any().item<bool>() ? bad.to(ScalarType.Int64).argmax().item<long>() : null;
    }

    /// <summary>The <c>E × E</c> matrix <c>C = R ΔYᵀ / E</c> (real, in the predictions' real dtype).</summary>
    /// <param name="predictions">Predicted measurements, <c>[E, ..meas]</c>.</param>
    /// <param name="residuals">Residuals, <c>[E, ..meas]</c>.</param>
    public static Tensor Coefficients(Tensor predictions, Tensor residuals)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(residuals);
        using var scope = NewDisposeScope();
        long count = predictions.shape[0];
        var y = AsRealRows(predictions);
        var r = AsRealRows(residuals);
        var dy = y - y.mean([0], keepdim: true);
        return scope.MoveToOuter(r.matmul(dy.T) / count);
    }

    private static Tensor AsRealRows(Tensor t) =>
        (t.is_complex() ? view_as_real(t.contiguous()) : t).reshape(t.shape[0], -1);
}
