using InverseBench.Core.Abstractions;
using InverseBench.Core.Operators;
using InverseBench.Core.Tensors;
using InverseBench.Operators.InverseScattering.Functional;
using InverseBench.Operators.InverseScattering.Internal;
using InverseBench.Evaluation.Figures;
using static TorchSharp.torch;

namespace InverseBench.Operators.InverseScattering;

/// <summary>
/// Linear inverse scattering (optical diffraction tomography) under the first-order Born approximation — the reference's
/// <c>inverse_problems/inverse_scatter.py</c> <c>InverseScatter</c> with <c>configs/problem/inv-scatter.yaml</c> (name
/// <c>inv-scatter</c>). Signals are normalised contrasts <c>[B, 1, Ny, Nx]</c> (physical contrast <c>(x + 1)·0.5 ∈ [0, 1]</c>);
/// measurements are complex scattered fields <c>[B, T, R]</c> complex128.
/// </summary>
/// <remarks>
/// <para>Forward model (reference conjugation kept): <c>y[t, r] = dx·dy·Σ_p conj(f_p·uinc[p, t])·Gs[p, r]</c>. Unlike the
/// reference, which silently propagates batch item 0 only (and so returns one measurement, broadcasts the loss and gives a
/// zero gradient to items 1..B−1), a batch of B inputs gives B measurements; results for B = 1 are identical.</para>
/// <para>The gradient is the exact adjoint, <c>∂‖A f(x) − y‖²/∂x = 2·scale·Re Aᴴ(A f(x) − y)</c>, not autograd; it is returned
/// in the dtype of <c>x</c>. The loss is float64 as in the reference.</para>
/// <para>SVD members (<see cref="ISvdOperator"/>, <see cref="IPseudoInverse"/>) compute or load the SVD on first use through
/// <see cref="InverseScatteringSvd.Compute"/> (cached under <see cref="InverseScatteringOptions.SvdCacheDirectory"/>); at the
/// full configuration that is a large computation — run it explicitly first (see <see cref="InverseScatteringSvd"/>), or
/// hand in precomputed factors.</para>
/// </remarks>
public sealed class InverseScatteringOperator : ForwardOperatorBase, ILinearOperator, ISvdOperator, IPseudoInverse, IFigureStyleProvider
{
    /// <summary>Result figures: permittivity contrast; the complex scattered field as magnitude and phase.</summary>
    public FigureStyle FigureStyle => FigureStyle.InverseScattering;

    private readonly InverseScatteringOptions _options;
    private readonly Tensor _incident;     // [P, T] complex128
    private readonly Tensor _sensorGreens; // [P, R] complex128
    private readonly double _cellArea;
    private readonly object _svdLock = new();
    private InverseScatteringSvdFactors? _svd;
    private Tensor? _mask;

    /// <summary>Builds the operator (Green's functions are computed here: about a second at the full configuration).</summary>
    /// <param name="options">Geometry, noise and normalisation; null uses the reference defaults.</param>
    /// <param name="device">Device of the operator's tensors (CPU when null).</param>
    /// <param name="svd">Precomputed SVD factors to use instead of computing them lazily (ownership passes to the operator).</param>
    public InverseScatteringOperator(InverseScatteringOptions? options = null, Device? device = null, InverseScatteringSvdFactors? svd = null)
        : this(Validated(options), device, svd, validated: true)
    {
    }

    private InverseScatteringOperator(InverseScatteringOptions options, Device? device, InverseScatteringSvdFactors? svd, bool validated)
        : base([1, options.Ny, options.Nx], [options.Transmitters, options.Receivers], new GaussianNoise(options.SigmaNoise),
            options.UnnormShift, options.UnnormScale, device)
    {
        _ = validated;
        _options = options;
        Geometry = options.Geometry;
        _cellArea = Geometry.Dx * Geometry.Dy;
        using (var scope = NewDisposeScope())
        {
            _incident = scope.MoveToOuter(GreensFunctions.IncidentField(Geometry, Device).reshape(Geometry.Pixels, Geometry.Transmitters).contiguous()).DetachFromDisposeScope();
            _sensorGreens = scope.MoveToOuter(GreensFunctions.SensorGreens(Geometry, Device).reshape(Geometry.Pixels, Geometry.Receivers).contiguous()).DetachFromDisposeScope();
        }

        if (svd is not null)
        {
            CheckFactors(svd);
            if (svd.U.device.type == Device.type && svd.U.device.index == Device.index)
            {
                _svd = svd;
            }
            else
            {
                _svd = svd.To(Device);
                svd.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public override string Name => InverseScatteringDefaults.Name;

    /// <inheritdoc />
    public override ScalarType MeasurementType => ScalarType.ComplexFloat64;

    /// <summary>The options (a copy).</summary>
    public InverseScatteringOptions Options => _options.Clone();

    /// <summary>The imaging geometry.</summary>
    public InverseScatteringGeometry Geometry { get; }

    /// <summary>Incident fields <c>uinc</c> flattened to <c>[Ny·Nx, T]</c> complex128 (owned by the operator; do not dispose).</summary>
    public Tensor IncidentField => _incident;

    /// <summary>Sensor Green's functions flattened to <c>[Ny·Nx, R]</c> complex128 (owned by the operator; do not dispose).</summary>
    public Tensor SensorGreens => _sensorGreens;

    /// <summary>
    /// Forward model of normalised signals: casts to float64 <i>before</i> unnormalising (as the reference does), then
    /// propagates every batch item.
    /// </summary>
    public override Tensor Forward(Tensor x)
    {
        CheckSignal(x, nameof(x));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(ForwardPhysical(Unnormalize(x.to_type(ScalarType.Float64))));
    }

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var f = physical.to(Device).reshape(physical.shape[0], Geometry.Pixels);
        return scope.MoveToOuter(BornModel.Forward(f, _incident, _sensorGreens, _cellArea));
    }

    /// <summary>
    /// <c>Aᴴ y</c> of the physical-units Born map: <c>[B, T, R]</c> complex → <c>[B, 1, Ny, Nx]</c> float64, exact under
    /// <c>⟨u, v⟩ = Re Σ conj(u)·v</c>.
    /// </summary>
    public Tensor Adjoint(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        if (!measurement.is_complex()) throw new ArgumentException($"{nameof(measurement)} must be complex; got {measurement.dtype}.", nameof(measurement));
        using var scope = NewDisposeScope();
        var x = BornModel.Adjoint(measurement.to(Device), _incident, _sensorGreens, _cellArea);
        return scope.MoveToOuter(x.reshape(measurement.shape[0], 1, Geometry.Ny, Geometry.Nx));
    }

    /// <summary>Per-sample misfit <c>Σ |G(x_b) − y|²</c>, <c>[B]</c> float64; <paramref name="observation"/> is <c>[1, T, R]</c> or <c>[B, T, R]</c>.</summary>
    public override Tensor Loss(Tensor x, Tensor observation)
    {
        CheckPair(x, observation);
        return base.Loss(x, observation);
    }

    /// <inheritdoc />
    public override (Tensor Gradient, Tensor Loss) GradientAndLoss(Tensor x, Tensor observation)
    {
        CheckPair(x, observation);
        EvaluationCounter.RecordGradient();
        using var scope = NewDisposeScope();
        var residual = Forward(x) - observation.to(Device);
        var loss = (residual * residual.conj()).real.flatten(1).sum(1);
        var gradient = Adjoint(residual) * (2.0 * UnnormScale);
        return (scope.MoveToOuter(gradient.to_type(x.dtype)), scope.MoveToOuter(loss));
    }

    /// <inheritdoc />
    public Tensor SingularValues => Factors.SingularValues;

    /// <summary>Mask of observed directions <c>(|σ| &gt; threshold).float()</c>, <c>[k]</c> float32 (reference <c>M</c>; owned by the operator).</summary>
    public Tensor ObservedMask
    {
        get
        {
            var factors = Factors;
            lock (_svdLock)
            {
                _mask ??= (factors.SingularValues.abs() > _options.SingularValueThreshold).to_type(ScalarType.Float32).DetachFromDisposeScope();
                return _mask;
            }
        }
    }

    /// <summary>The SVD factors, computed or loaded on first use (owned by the operator).</summary>
    public InverseScatteringSvdFactors Factors
    {
        get
        {
            ThrowIfDisposed();
            lock (_svdLock)
            {
                if (_svd is null)
                {
                    var computed = InverseScatteringSvd.Compute(_options, _options.SvdCacheDirectory, device: Device);
                    CheckFactors(computed);
                    _svd = computed;
                }

                return _svd;
            }
        }
    }

    /// <summary><c>Vᵀ f</c>: physical signals <c>[B, 1, Ny, Nx]</c> → <c>[B, k]</c> float64 (reference <c>Vt</c>).</summary>
    public Tensor Vt(Tensor signal)
    {
        CheckSignal(signal, nameof(signal));
        using var scope = NewDisposeScope();
        var flat = signal.to(Device).to_type(ScalarType.Float64).reshape(signal.shape[0], Geometry.Pixels);
        return scope.MoveToOuter(matmul(flat, Factors.Vt.t()));
    }

    /// <summary><c>V z</c>: <c>[B, k]</c> → <c>[B, 1, Ny, Nx]</c> float32 (the reference casts to float32).</summary>
    public Tensor V(Tensor coefficients)
    {
        var vt = Factors.Vt;
        TensorGuard.Shape(coefficients, nameof(coefficients), TensorGuard.Any, vt.shape[0]);
        using var scope = NewDisposeScope();
        var x = matmul(coefficients.to(Device).to_type(ScalarType.Float64), vt);
        return scope.MoveToOuter(x.reshape(coefficients.shape[0], 1, Geometry.Ny, Geometry.Nx).to_type(ScalarType.Float32));
    }

    /// <summary><c>Uᵀ y</c>: complex <c>[B, T, R]</c> → real-stacked (Re, Im interleaved) → <c>[B, k]</c> float64 (reference <c>Ut</c>).</summary>
    public Tensor Ut(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(matmul(Stack(measurement), Factors.U));
    }

    /// <summary><c>U z</c>: <c>[B, k]</c> → complex measurements <c>[B, T, R]</c> complex128.</summary>
    public Tensor U(Tensor coefficients)
    {
        var u = Factors.U;
        TensorGuard.Shape(coefficients, nameof(coefficients), TensorGuard.Any, u.shape[1]);
        using var scope = NewDisposeScope();
        var stacked = matmul(coefficients.to(Device).to_type(ScalarType.Float64), u.t());
        var complexValues = view_as_complex(stacked.reshape(coefficients.shape[0], Geometry.Transmitters, Geometry.Receivers, 2).contiguous());
        return scope.MoveToOuter(complexValues.clone());
    }

    /// <summary>
    /// <c>Normalize(A⁺ y)</c>: <c>[B, T, R]</c> → <c>[B, 1, Ny, Nx]</c> float64 (the reference returns <c>[1, Ny, Nx]</c> and assumes
    /// batch 1; here every item is inverted and the channel dimension kept).
    /// </summary>
    public Tensor PseudoInverse(Tensor measurement)
    {
        CheckObservation(measurement, nameof(measurement));
        using var scope = NewDisposeScope();
        var f = Factors.ApplyPseudoInverse(Stack(measurement));
        return scope.MoveToOuter(Normalize(f.reshape(measurement.shape[0], 1, Geometry.Ny, Geometry.Nx)));
    }

    /// <summary>The real-stacked dense Born matrix <c>[2·T·R, Ny·Nx]</c> float64 (reference <c>A</c>; 1.9 GB at full size).</summary>
    public Tensor Matrix() => BornModel.RealMatrix(_incident, _sensorGreens, _cellArea);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _incident.Dispose();
        _sensorGreens.Dispose();
        _svd?.Dispose();
        _mask?.Dispose();
    }

    private Tensor Stack(Tensor measurement)
    {
        if (!measurement.is_complex()) throw new ArgumentException($"measurement must be complex; got {measurement.dtype}.", nameof(measurement));
        return view_as_real(measurement.to(Device).to_type(ScalarType.ComplexFloat64).resolve_conj()).reshape(measurement.shape[0], -1);
    }

    private void CheckPair(Tensor x, Tensor observation)
    {
        long batch = CheckSignal(x, nameof(x));
        CheckObservation(observation, nameof(observation));
        if (!observation.is_complex())
            throw new ArgumentException($"{nameof(observation)} must be complex (complex64 or complex128); got {observation.dtype}.", nameof(observation));
        if (observation.shape[0] != 1 && observation.shape[0] != batch)
        {
            throw new ArgumentException(
                $"{nameof(observation)} has batch {observation.shape[0]}; expected 1 (shared by all samples) or {batch} (one per sample).", nameof(observation));
        }
    }

    private void CheckFactors(InverseScatteringSvdFactors factors)
    {
        long rows = 2L * Geometry.Transmitters * Geometry.Receivers, k = Math.Min(rows, Geometry.Pixels);
        if (factors.U.shape[0] != rows || factors.Vt.shape[1] != Geometry.Pixels || factors.SingularValues.shape[0] != k)
        {
            throw new ArgumentException(
                $"SVD factors (U {TensorGuard.Format(factors.U.shape)}, Vt {TensorGuard.Format(factors.Vt.shape)}) do not belong to geometry {Geometry.CacheKey}.");
        }
    }

    private static InverseScatteringOptions Validated(InverseScatteringOptions? options)
    {
        var copy = (options ?? new InverseScatteringOptions()).Clone();
        copy.Validate();
        return copy;
    }
}
