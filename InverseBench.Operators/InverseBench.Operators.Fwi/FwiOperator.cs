using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Operators;
using InverseBench.Core.Tensors;
using InverseBench.Operators.Fwi.Functional;
using TorchSharp;
using InverseBench.Evaluation.Figures;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Operators.Fwi;

/// <summary>
/// 2-D acoustic full-waveform inversion — the reference's <c>inverse_problems/acoustic.py</c> <c>AcousticWave</c> with
/// <c>configs/problem/fwi.yaml</c> (problem name <c>fwi</c>). Signals are normalised velocity models <c>[B, 1, Nz, Nx]</c>
/// (row = depth; velocity <c>(x + 3)·1</c> km/s); measurements are receiver records <c>[B, shots, nt, receivers]</c>
/// (16 × 1001 × 129 at the full configuration) in <see cref="FwiOptions.DType"/> (float32 by default).
/// </summary>
/// <remarks>
/// <para>The physics is a batched TorchSharp port of devito's OT2 acoustic solver (see <see cref="FwiGeometry"/> and spec §6):
/// all shots of all batch items advance together, one fused stencil step per time sample. Unlike the reference, the
/// gradient works for any batch size.</para>
/// <para>Misfit convention of the reference: <see cref="Loss"/> is <c>½‖G(x_b) − y‖²</c> and <see cref="GradientAndLoss"/>
/// returns its gradient (the adjoint-state method: <c>∂J/∂m</c> from the adjoint wavefield, then <c>∂J/∂v = −2·∂J/∂m / v³</c>,
/// times <c>unnorm_scale</c>). <see cref="ForwardOperatorBase.MeasurementLoss"/> keeps the base <c>‖m − y‖²</c> (the reference
/// does not override <c>loss_m</c>).</para>
/// <para>Velocities must be finite, positive and below the CFL bound <see cref="FwiGeometry.MaxStableVelocity"/>
/// (<c>v_max·dt·√(16/3·(1/dx² + 1/dz²)) ≤ 2</c>, 7.75 km/s at the full configuration) — checked, padding included, before any
/// time step; a violation throws <see cref="ArgumentException"/>.</para>
/// </remarks>
public sealed class FwiOperator : ForwardOperatorBase, IFigureStyleProvider
{
    /// <summary>Result figures: velocity in km/s with offset and depth axes in km (from the grid spacing); the central shot's seismogram.</summary>
    public FigureStyle FigureStyle => FigureStyle.Fwi(Geometry.SpacingX, Geometry.SpacingZ, Geometry.Dt);

    private readonly FwiOptions _options;

    /// <summary>Builds the operator (no precomputation beyond the geometry).</summary>
    /// <param name="options">Geometry, precision, padding and normalisation; null uses the reference defaults.</param>
    /// <param name="device">Device of the simulation (CPU when null).</param>
    public FwiOperator(FwiOptions? options = null, Device? device = null)
        : this(Validated(options), device, validated: true)
    {
    }

    private FwiOperator(FwiOptions options, Device? device, bool validated)
        : base([1, options.Nz, options.Nx], [options.Shots, options.Geometry.TimeSteps, options.Receivers],
            new GaussianNoise(options.SigmaNoise), options.UnnormShift, options.UnnormScale, device)
    {
        _ = validated;
        _options = options;
        Geometry = options.Geometry;
    }

    /// <inheritdoc />
    public override string Name => FwiProblemNames.Fwi;

    /// <inheritdoc />
    public override ScalarType MeasurementType => _options.DType;

    /// <summary>The options (a copy).</summary>
    public FwiOptions Options => _options.Clone();

    /// <summary>The discretisation (grid, time axis, wavelet, positions, CFL bound).</summary>
    public FwiGeometry Geometry { get; }

    /// <summary>How the solver evaluates the Laplacian (tests force either path).</summary>
    internal StencilMode Stencil { get; set; } = StencilMode.Automatic;

    /// <summary>Number of time samples per record (reference <c>num_time_steps</c>).</summary>
    public int TimeSteps => Geometry.TimeSteps;

    /// <inheritdoc />
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var velocity = CheckedPaddedVelocity(Clamped(physical, nameof(physical)), nameof(physical));
        using var solver = new AcousticWaveSolver(Geometry, velocity, Stencil);
        return scope.MoveToOuter(solver.Forward());
    }

    /// <summary>Per-sample misfit <c>½‖G(x_b) − y‖²</c>, <c>[B]</c> in the measurement dtype; <paramref name="observation"/> is <c>[1 or B, shots, nt, receivers]</c>.</summary>
    public override Tensor Loss(Tensor x, Tensor observation)
    {
        CheckPair(x, observation);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(HalfSquaredNorm(Forward(x) - observation.to(MeasurementType, Device)).to_type(MeasurementType));
    }

    /// <summary>
    /// <see cref="Loss"/> of velocities in km/s (reference <c>loss(pred, observation, unnormalize=False)</c>, used by the
    /// evaluator's data misfit).
    /// </summary>
    public Tensor LossPhysical(Tensor velocity, Tensor observation)
    {
        CheckPair(velocity, observation);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(HalfSquaredNorm(ForwardPhysical(velocity) - observation.to(MeasurementType, Device)).to_type(MeasurementType));
    }

    /// <summary>
    /// Gradient of <c>Σ_b ½‖G(x_b) − y‖²</c> with respect to the normalised <paramref name="x"/> by the adjoint-state method
    /// (shape and dtype of <paramref name="x"/>), and the per-sample misfit <c>[B]</c> float64 (summed in float64 as the
    /// reference's numpy <c>fval</c>). See <see cref="GradientAndLossPhysical"/>.
    /// </summary>
    public override (Tensor Gradient, Tensor Loss) GradientAndLoss(Tensor x, Tensor observation)
    {
        CheckPair(x, observation);
        using var scope = NewDisposeScope();
        var (gradient, loss) = GradientAndLossPhysical(Unnormalize(x), observation);
        var scaled = (gradient * UnnormScale).to_type(x.dtype);
        return (scope.MoveToOuter(scaled), scope.MoveToOuter(loss));
    }

    /// <summary>
    /// Adjoint-state gradient of <c>Σ_b ½‖A(v_b) − y‖²</c> with respect to velocities <paramref name="velocity"/> in km/s,
    /// <c>[B, 1, Nz, Nx]</c> (simulation dtype), and the per-sample misfit <c>[B]</c> float64. Exactly the reference's
    /// <c>gradient_single_shot</c> summed over shots: forward solve keeping the wavefield, residual <c>d_pred − d_obs</c>,
    /// adjoint solve with the residual injected at the receivers, imaging condition <c>−Σ_n u[n]·∂²v[n]/∂t²</c>, chain rule
    /// <c>−2·g/v³</c>, crop of the absorbing layers (with <see cref="FwiPadding.Edge"/> the layers' sensitivities are added to
    /// the boundary cells they copy — the exact adjoint of the padding).
    /// </summary>
    /// <remarks>
    /// Memory versus time: storing every forward step costs <c>nt·B·shots·Zp·Xp</c> values (3.8 GB at the full configuration,
    /// B = 1, float32); with <see cref="FwiOptions.CheckpointInterval"/> = k only <c>2·nt/k + k</c> snapshots are kept and the
    /// forward is re-run segment by segment during the adjoint (≈ +1 forward solve, i.e. ~+30 % time). The default (0)
    /// stores everything when it fits <see cref="FwiOptions.WavefieldMemoryBudget"/>, else uses k = ⌈√(2·nt)⌉ (≈ 45:
    /// ~90 snapshots, 350 MB at the full configuration). The gradient is identical for every k.
    /// </remarks>
    public (Tensor Gradient, Tensor Loss) GradientAndLossPhysical(Tensor velocity, Tensor observation)
    {
        CheckPair(velocity, observation);
        EvaluationCounter.RecordGradient();
        using var scope = NewDisposeScope();
        var clamped = Clamped(velocity, nameof(velocity));
        var padded = CheckedPaddedVelocity(clamped, nameof(velocity));
        using var solver = new AcousticWaveSolver(Geometry, padded, Stencil);
        var (records, store) = solver.ForwardStoring(CheckpointInterval(solver.SnapshotBytes));
        Tensor residual;
        try
        {
            residual = records - observation.to(MeasurementType, Device);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        var loss = HalfSquaredNorm(residual);
        var gradientM = solver.Adjoint(residual, store);
        var gradient = VelocityGradient(gradientM, clamped.to(padded.dtype, Device), padded);
        if (_options.ClampMin is not null || _options.ClampMax is not null)
            gradient = gradient * (clamped == velocity.to(clamped.dtype, Device)).to_type(gradient.dtype);
        if (!isfinite(gradient).all().item<bool>() || !isfinite(loss).all().item<bool>())
            throw new InvalidOperationException("The FWI gradient or misfit is not finite (NaN/Inf): check the observation.");
        return (scope.MoveToOuter(gradient), scope.MoveToOuter(loss));
    }

    /// <summary>
    /// The padded velocity <c>[B, Zp, Xp]</c> (simulation dtype) of physical velocities <c>[B, 1, Nz, Nx]</c> in km/s: the
    /// model in rows <c>[top, top + Nz)</c> and columns <c>[nbl, nbl + Nx)</c>, the layers as <see cref="FwiOptions.Padding"/>.
    /// </summary>
    public Tensor PaddedVelocity(Tensor velocity)
    {
        CheckSignal(velocity, nameof(velocity));
        using var scope = NewDisposeScope();
        var v = velocity.to(_options.DType, Device);
        int top = Geometry.TopPadding, nbl = Geometry.Nbl;
        Tensor padded;
        if (_options.Padding == FwiPadding.Edge)
        {
            padded = F.pad(v, new long[] { nbl, nbl, top, nbl }, PaddingModes.Replicate);
        }
        else
        {
            padded = full([v.shape[0], 1, Geometry.PaddedNz, Geometry.PaddedNx], _options.PaddingVelocity, _options.DType, Device);
            padded[.., .., top..(top + Geometry.Nz), nbl..(nbl + Geometry.Nx)] = v;
        }

        return scope.MoveToOuter(padded.squeeze(1).contiguous());
    }

    /// <summary>
    /// Chain rule from <c>∂J/∂m</c> on the padded grid <c>[B, Zp, Xp]</c> to <c>∂J/∂v</c> of the model <c>[B, 1, Nz, Nx]</c>:
    /// <c>−2·g/v³</c>, then the adjoint of the padding. The reference's constant layers do not depend on the model, so that
    /// adjoint is the crop <c>[top:top+Nz, nbl:nbl+Nx]</c> (reference <c>grad_crop</c>); edge-extended layers copy the boundary
    /// cells, so their sensitivities are summed back onto those cells.
    /// </summary>
    private Tensor VelocityGradient(Tensor gradientM, Tensor velocity, Tensor padded)
    {
        using var scope = NewDisposeScope();
        int top = Geometry.TopPadding, nbl = Geometry.Nbl;
        if (_options.Padding == FwiPadding.ReferenceConstant)
        {
            var cropped = gradientM[.., top..(top + Geometry.Nz), nbl..(nbl + Geometry.Nx)].unsqueeze(1);
            return scope.MoveToOuter(-2.0 * cropped / velocity.pow(3));
        }

        var gradientPadded = (-2.0 * gradientM / padded.pow(3)).unsqueeze(1);
        using var enable = enable_grad();
        var leaf = velocity.detach().requires_grad_(true);
        var extended = F.pad(leaf, new long[] { nbl, nbl, top, nbl }, PaddingModes.Replicate);
        var folded = autograd.grad([extended], [leaf], [gradientPadded])[0];
        return scope.MoveToOuter(folded.detach());
    }

    /// <summary>The velocity clamped to [<see cref="FwiOptions.ClampMin"/>, <see cref="FwiOptions.ClampMax"/>] when they are set (NaN/Inf still throw).</summary>
    private Tensor Clamped(Tensor velocity, string name)
    {
        if (_options.ClampMin is null && _options.ClampMax is null) return velocity.alias();
        TensorGuard.Finite(velocity, name);
        using var scope = NewDisposeScope();
        var v = velocity.to(_options.DType, Device);
        if (_options.ClampMin is { } lo) v = v.clamp_min(lo);
        if (_options.ClampMax is { } hi) v = v.clamp_max(hi);
        return scope.MoveToOuter(v);
    }

    private Tensor CheckedPaddedVelocity(Tensor velocity, string name)
    {
        using var scope = NewDisposeScope();
        TensorGuard.Finite(velocity, name);
        var padded = PaddedVelocity(velocity);
        double min = padded.min().ToDouble(), max = padded.max().ToDouble();
        if (!(min > 0))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{name}: velocities must be positive (km/s); the smallest is {min:G6}."), name);
        }

        double bound = Geometry.MaxStableVelocity;
        if (max > bound)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{name}: the largest velocity {max:G6} km/s exceeds the CFL stability bound {bound:G6} km/s (v_max·dt·√(16/3·(1/dx² + 1/dz²)) ≤ 2 with dt = {Geometry.Dt} ms, dx = {Geometry.SpacingX} m, dz = {Geometry.SpacingZ} m); reduce dt or check the normalisation."), name);
        }

        return scope.MoveToOuter(padded);
    }

    private int CheckpointInterval(long snapshotBytes)
    {
        if (_options.CheckpointInterval > 0) return _options.CheckpointInterval;
        double total = (double)snapshotBytes * Geometry.TimeSteps;
        return total <= _options.WavefieldMemoryBudget ? 1 : (int)Math.Ceiling(Math.Sqrt(2.0 * Geometry.TimeSteps));
    }

    private static Tensor HalfSquaredNorm(Tensor residual) => 0.5 * residual.to_type(ScalarType.Float64).square().flatten(1).sum(1);

    private void CheckPair(Tensor x, Tensor observation)
    {
        long batch = CheckSignal(x, nameof(x));
        CheckObservation(observation, nameof(observation));
        TensorGuard.FloatingPoint(observation, nameof(observation));
        if (observation.is_complex()) throw new ArgumentException($"{nameof(observation)} must be real; got {observation.dtype}.", nameof(observation));
        if (observation.shape[0] != 1 && observation.shape[0] != batch)
        {
            throw new ArgumentException(
                $"{nameof(observation)} has batch {observation.shape[0]}; expected 1 (shared by all samples) or {batch} (one per sample).", nameof(observation));
        }

        TensorGuard.Finite(observation, nameof(observation));
    }

    private static FwiOptions Validated(FwiOptions? options)
    {
        var copy = (options ?? new FwiOptions()).Clone();
        copy.Validate();
        return copy;
    }
}
