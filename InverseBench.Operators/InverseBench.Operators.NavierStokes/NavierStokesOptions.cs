using InverseBench.Operators.NavierStokes.Functional;
using InverseBench.Operators.NavierStokes.Internal;
using static TorchSharp.torch;

namespace InverseBench.Operators.NavierStokes;

/// <summary>
/// Settings of the 2-D Navier–Stokes forward operator (reference <c>ForwardNavierStokes2d</c>; keys of the <c>model</c>
/// block of <c>configs/problem/navier-stokes.yaml</c> in brackets).
/// </summary>
public sealed class NavierStokesOptions
{
    /// <summary>Final time of the solve (<c>forward_time</c>).</summary>
    /// <value>The default is 1.0 (navier-stokes.yaml).</value>
    public double ForwardTime { get; set; } = NavierStokesDefaults.ForwardTime;

    /// <summary>Reynolds number (<c>Re</c>).</summary>
    /// <value>The default is 200 (navier-stokes.yaml).</value>
    public double Reynolds { get; set; } = NavierStokesDefaults.Reynolds;

    /// <summary>Grid points per side of the initial vorticity (<c>resolution</c>), even.</summary>
    /// <value>The default is 128 (navier-stokes.yaml).</value>
    public int Resolution { get; set; } = NavierStokesDefaults.Resolution;

    /// <summary>Observation keeps every <c>k</c>-th grid point in both directions, starting at 0 (<c>downsample_factor</c>).</summary>
    /// <value>The default is 2 (navier-stokes.yaml).</value>
    public int DownsampleFactor { get; set; } = NavierStokesDefaults.DownsampleFactor;

    /// <summary>Standard deviation of the additive Gaussian observation noise (<c>sigma_noise</c>).</summary>
    /// <value>The default is 0 (navier-stokes.yaml).</value>
    public double SigmaNoise { get; set; } = NavierStokesDefaults.SigmaNoise;

    /// <summary>Normalisation scale: physical vorticity = normalised × scale (<c>unnorm_scale</c>).</summary>
    /// <value>The default is 10 (navier-stokes.yaml).</value>
    public double UnnormScale { get; set; } = NavierStokesDefaults.UnnormScale;

    /// <summary>Normalisation shift (<c>unnorm_shift</c>).</summary>
    /// <value>The default is 0 (BaseOperator default).</value>
    public double UnnormShift { get; set; } = NavierStokesDefaults.UnnormShift;

    /// <summary>CFL-adaptive time stepping (<c>adaptive</c>); otherwise the fixed <see cref="DeltaT"/>.</summary>
    /// <value>The default is true (navier-stokes.yaml).</value>
    public bool Adaptive { get; set; } = NavierStokesDefaults.Adaptive;

    /// <summary>Fixed time step, used only when <see cref="Adaptive"/> is false (<c>delta_t</c>).</summary>
    /// <value>The default is 0.002 (navier-stokes.yaml).</value>
    public double DeltaT { get; set; } = NavierStokesDefaults.DeltaT;

    /// <summary>Side length of the periodic domain (<c>L</c>).</summary>
    /// <value>The default is 2π (constructor default).</value>
    public double Length { get; set; } = NavierStokesDefaults.Length;

    /// <summary>
    /// Real dtype of the spectral solver (<c>dtype</c>): <c>Float32</c> (reference default; complex64 FFTs) or
    /// <c>Float64</c>. Measurements come out in this dtype (the reference always rounds them to float32).
    /// </summary>
    /// <value>The default is Float32.</value>
    public ScalarType DType { get; set; } = ScalarType.Float32;

    /// <summary>
    /// How the adaptive step is chosen for a batch: <see cref="TimeStepMode.PerSample"/> (default: a batch gives what each
    /// item alone gives) or <see cref="TimeStepMode.SharedAcrossBatch"/> (reference: one step from the batch-wide maximum
    /// speed, so results depend on the batch composition).
    /// </summary>
    /// <value>The default is <see cref="TimeStepMode.PerSample"/>.</value>
    public TimeStepMode TimeStepMode { get; set; } = TimeStepMode.PerSample;

    /// <summary>
    /// Opt-in autograd gradient through the solver (a capability the reference lacks: its <c>forward</c> runs under
    /// <c>no_grad</c>). See <see cref="NavierStokesOperator"/> for the memory it costs.
    /// </summary>
    /// <value>The default is false (derivative-free problem, as the reference).</value>
    public bool EnableGradient { get; set; }

    /// <summary>
    /// Most solver time steps per forward solve (<c>max_solver_steps</c>) before the solve throws a
    /// <see cref="InverseBench.Core.Abstractions.NumericalDivergenceException"/>; null for the default derived from the first
    /// CFL step (<see cref="VorticitySolver.DefaultMaxSteps"/>). Not a reference key.
    /// </summary>
    /// <value>The default is null.</value>
    public int? MaxSolverSteps { get; set; }

    /// <summary>Size of one observation side: <c>ceil(Resolution / DownsampleFactor)</c>.</summary>
    public int ObservationResolution => (Resolution + DownsampleFactor - 1) / Math.Max(DownsampleFactor, 1);

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!double.IsFinite(ForwardTime) || ForwardTime <= 0) errors.Add($"ForwardTime (forward_time) must be finite and > 0; got {ForwardTime}");
        if (!double.IsFinite(Reynolds) || Reynolds <= 0) errors.Add($"Reynolds (Re) must be finite and > 0; got {Reynolds}");
        if (Resolution < 4 || Resolution % 2 != 0) errors.Add($"Resolution (resolution) must be an even number ≥ 4; got {Resolution}");
        if (DownsampleFactor < 1) errors.Add($"DownsampleFactor (downsample_factor) must be ≥ 1; got {DownsampleFactor}");
        if (!double.IsFinite(SigmaNoise) || SigmaNoise < 0) errors.Add($"SigmaNoise (sigma_noise) must be finite and ≥ 0; got {SigmaNoise}");
        if (!double.IsFinite(UnnormScale) || UnnormScale == 0) errors.Add($"UnnormScale (unnorm_scale) must be finite and non-zero; got {UnnormScale}");
        if (!double.IsFinite(UnnormShift)) errors.Add($"UnnormShift (unnorm_shift) must be finite; got {UnnormShift}");
        if (!double.IsFinite(DeltaT) || DeltaT <= 0) errors.Add($"DeltaT (delta_t) must be finite and > 0; got {DeltaT}");
        if (!double.IsFinite(Length) || Length <= 0) errors.Add($"Length (L) must be finite and > 0; got {Length}");
        if (DType != ScalarType.Float32 && DType != ScalarType.Float64) errors.Add($"DType (dtype) must be Float32 or Float64; got {DType}");
        if (MaxSolverSteps is < 1) errors.Add($"MaxSolverSteps (max_solver_steps) must be ≥ 1; got {MaxSolverSteps}");
        if (!Enum.IsDefined(TimeStepMode)) errors.Add($"TimeStepMode must be PerSample or SharedAcrossBatch; got {TimeStepMode}");
    }

    /// <summary>Validates, throwing an <see cref="ArgumentException"/> that lists every problem.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(errors);
        if (errors.Count > 0) throw new ArgumentException($"Invalid {nameof(NavierStokesOptions)}: {string.Join("; ", errors)}.");
    }

    /// <summary>A copy of these options.</summary>
    public NavierStokesOptions Clone() => (NavierStokesOptions)MemberwiseClone();
}
