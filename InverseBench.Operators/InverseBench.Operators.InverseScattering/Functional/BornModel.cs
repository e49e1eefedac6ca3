using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Operators.InverseScattering.Functional;

/// <summary>
/// The first-order Born forward model of the reference's <c>full_propagate_to_sensor</c>, with its conjugation:
/// <c>y[b, t, r] = dx·dy·Σ_p conj(f[b, p]·uinc[p, t])·Gs[p, r]</c> for a real contrast <c>f</c> (p = iy·Nx + ix), and its
/// exact adjoint under the real inner product <c>⟨u, v⟩ = Re Σ conj(u)·v</c>. Pure tensor kernels; the Green's functions
/// come in flattened as <c>uinc [P, T]</c> and <c>Gs [P, R]</c> complex128.
/// </summary>
public static class BornModel
{
    /// <summary>
    /// Scattered field at the receivers: <paramref name="contrast"/> <c>[B, P]</c> real → <c>[B, T, R]</c> complex128.
    /// Every batch item is propagated (the reference uses item 0 only).
    /// </summary>
    /// <param name="contrast">Physical permittivity contrast, <c>[B, P]</c>, any real floating dtype (computed in float64).</param>
    /// <param name="incident">Incident fields <c>uinc</c>, <c>[P, T]</c> complex128.</param>
    /// <param name="sensorGreens">Sensor Green's functions <c>Gs</c>, <c>[P, R]</c> complex128.</param>
    /// <param name="cellArea">The quadrature weight <c>dx·dy</c>.</param>
    public static Tensor Forward(Tensor contrast, Tensor incident, Tensor sensorGreens, double cellArea)
    {
        CheckOperands(incident, sensorGreens);
        TensorGuard.Shape(contrast, nameof(contrast), TensorGuard.Any, incident.shape[0]);
        using var scope = NewDisposeScope();
        var f = contrast.to_type(ScalarType.Float64);
        // conj(f·uinc) = f·conj(uinc) for real f; [B, P, T] → [B, T, P] @ [P, R].
        var source = f.unsqueeze(-1) * incident.conj();
        var y = matmul(source.transpose(1, 2), sensorGreens) * cellArea;
        return scope.MoveToOuter(y.resolve_conj());
    }

    /// <summary>
    /// Adjoint of <see cref="Forward"/> for real signals: <c>x[b, p] = dx·dy·Re Σ_t uinc[p, t]·Σ_r conj(Gs[p, r])·y[b, t, r]</c>,
    /// <c>[B, T, R]</c> complex → <c>[B, P]</c> float64, so that <c>⟨A f, y⟩ = ⟨f, Aᴴ y⟩</c>.
    /// </summary>
    /// <param name="measurement">Complex measurements <c>[B, T, R]</c>.</param>
    /// <param name="incident">Incident fields <c>[P, T]</c> complex128.</param>
    /// <param name="sensorGreens">Sensor Green's functions <c>[P, R]</c> complex128.</param>
    /// <param name="cellArea">The quadrature weight <c>dx·dy</c>.</param>
    public static Tensor Adjoint(Tensor measurement, Tensor incident, Tensor sensorGreens, double cellArea)
    {
        CheckOperands(incident, sensorGreens);
        TensorGuard.Shape(measurement, nameof(measurement), TensorGuard.Any, incident.shape[1], sensorGreens.shape[1]);
        using var scope = NewDisposeScope();
        var y = measurement.to_type(ScalarType.ComplexFloat64);
        // W[b, t, p] = Σ_r conj(y[b, t, r])·Gs[p, r] = conj(Z) with Z = y·Gsᴴ; x[b, p] = Re Σ_t uinc[p, t]·Z[b, t, p]
        // = Re Σ_t conj(uinc[p, t])·W[b, t, p]. Conjugating the small y (not the large Gs) avoids materialising conj(Gs).
        var w = matmul(y.conj().resolve_conj(), sensorGreens.t());
        var x = (w * incident.t().conj()).real.sum(1) * cellArea;
        return scope.MoveToOuter(x.contiguous());
    }

    /// <summary>
    /// The real-stacked dense matrix of the reference's <c>compute_svd</c>: <c>A_c[t·R + r, p] = dx·dy·Gs[p, r]·conj(uinc[p, t])</c>
    /// with rows interleaved as <c>2·(t·R + r) + {0: Re, 1: Im}</c>, shape <c>[2·T·R, P]</c> float64. It maps the physical
    /// contrast to <c>view_as_real(Forward(f)).flatten()</c>.
    /// </summary>
    public static Tensor RealMatrix(Tensor incident, Tensor sensorGreens, double cellArea)
    {
        CheckOperands(incident, sensorGreens);
        using var scope = NewDisposeScope();
        long p = incident.shape[0], t = incident.shape[1], r = sensorGreens.shape[1];
        // [T, 1, P] * [1, R, P] → [T, R, P] → [T·R, P] complex → [T·R, P, 2] → [T·R, 2, P] → [2·T·R, P].
        var complexMatrix = incident.conj().t().unsqueeze(1) * sensorGreens.t().unsqueeze(0);
        complexMatrix = complexMatrix.reshape(t * r, p).resolve_conj() * cellArea;
        var real = view_as_real(complexMatrix).permute(0, 2, 1).reshape(2 * t * r, p).contiguous();
        return scope.MoveToOuter(real);
    }

    private static void CheckOperands(Tensor incident, Tensor sensorGreens)
    {
        ArgumentNullException.ThrowIfNull(incident);
        ArgumentNullException.ThrowIfNull(sensorGreens);
        TensorGuard.Shape(incident, nameof(incident), TensorGuard.Any, TensorGuard.Any);
        TensorGuard.Shape(sensorGreens, nameof(sensorGreens), incident.shape[0], TensorGuard.Any);
        TensorGuard.DType(incident, nameof(incident), ScalarType.ComplexFloat64);
        TensorGuard.DType(sensorGreens, nameof(sensorGreens), ScalarType.ComplexFloat64);
    }
}
