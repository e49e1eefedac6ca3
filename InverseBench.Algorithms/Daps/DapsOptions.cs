using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Daps;

/// <summary>
/// Options of DAPS, decoupled annealing posterior sampling (Zhang et al., <i>Improving Diffusion Inverse Problem Solving with
/// Decoupled Noise Annealing</i>, CVPR 2025; reference <c>algo/daps.py</c>).
/// </summary>
/// <remarks>
/// Starting from <c>x ~ N(0, σ_0² I)</c>, each annealing level σ_k: (1) x̂₀ = probability-flow ODE from σ_k to 0 in
/// <see cref="DiffusionSchedule"/> steps; (2) Langevin dynamics on
/// <c>p(x₀ | x_k, y) ∝ exp(−ℓ(x₀)/(2τ²)) · N(x₀; x̂₀, σ_k² I)</c>: <c>x ← x − η∇U(x) + √(2η) ε</c> with
/// <c>∇U = ∇ℓ/(2τ²) + (x − x̂₀)/σ_k²</c> and η decaying linearly from <see cref="LangevinStepSize"/> to
/// <see cref="LangevinStepSize"/>·<see cref="StepSizeMinRatio"/>; (3) re-noise <c>x_{k+1} = x₀ + σ_{k+1} ε</c>.
/// ℓ is the operator's misfit <c>‖G(x) − y‖²</c>, so τ plays the role of the noise std.
/// </remarks>
public sealed class DapsOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public DapsOptions() => Name = DapsDefaults.Name;

    /// <summary>The annealing levels σ_k of the outer loop.</summary>
    /// <value>The default is 200 levels, σ 100 → 0.1, final 0, linear/poly-7 (reference daps.yaml, <c>annealing_scheduler_config</c>).</value>
    public NoiseScheduleOptions AnnealingSchedule { get; set; } = DapsDefaults.AnnealingSchedule();

    /// <summary>The inner ODE schedule; its <see cref="NoiseScheduleOptions.SigmaMax"/> is replaced by each σ_k.</summary>
    /// <value>The default is 5 steps to 0.01, final 0, linear/poly-7 (reference daps.yaml, <c>diffusion_scheduler_config</c>).</value>
    public NoiseScheduleOptions DiffusionSchedule { get; set; } = DapsDefaults.DiffusionSchedule();

    /// <summary>Langevin steps per annealing level.</summary>
    /// <value>The default is 100 (reference daps.yaml, <c>lgvd_config.num_steps</c>).</value>
    public int LangevinSteps { get; set; } = DapsDefaults.LangevinSteps;

    /// <summary>Langevin step size η at the first level.</summary>
    /// <value>The default is 1e-4 (reference daps.yaml, <c>lgvd_config.lr</c>).</value>
    public double LangevinStepSize { get; set; } = DapsDefaults.LangevinStepSize;

    /// <summary>Likelihood temperature τ: the misfit is weighted by 1/(2τ²) (set it to the noise std for the true likelihood).</summary>
    /// <value>The default is 0.01 (reference daps.yaml, <c>lgvd_config.tau</c>).</value>
    public double Tau { get; set; } = DapsDefaults.Tau;

    /// <summary>Final step size as a fraction of <see cref="LangevinStepSize"/> (linear decay over the levels).</summary>
    /// <value>The default is 0.01 (reference daps.yaml, <c>lgvd_config.lr_min_ratio</c>).</value>
    public double StepSizeMinRatio { get; set; } = DapsDefaults.StepSizeMinRatio;

    /// <summary>
    /// How a level σ_k at or below <see cref="DiffusionSchedule"/>'s σ_min is denoised (the reference's blackhole sweep samples
    /// the annealing σ_min in [1e-3, 1e-2], below the inner σ_min 0.01). False (default): one denoiser call x̂₀ = D(x; σ_k), the
    /// ODE's limit for a level at the end of the inner grid. True reproduces the reference, which builds the inner grid from σ_k
    /// <i>up</i> to σ_min and then to σ_final (<see cref="NoiseScheduleOptions.AllowSigmaMaxNotAboveSigmaMin"/>). The default
    /// corrects a reference error: integrating the probability-flow ODE upward from σ_k to σ_min returns a state at the higher
    /// noise level σ_min, noisier than its input, where the step needs a clean estimate x̂₀ of the state at σ_k.
    /// </summary>
    /// <value>The default is false.</value>
    public bool ReferenceInnerSchedule { get; set; }

    /// <summary>
    /// What a Langevin chain that produces NaN (or ±Inf) does. False (default): the solve stops at that Langevin step with an
    /// exception naming the annealing level, the step and the option to reduce. True reproduces the reference (<c>algo/daps.py</c>
    /// <c>LangevinDynamics.sample</c>): the chain stops and returns zeros, and the annealing continues from them. (The reference checks
    /// for NaN only; an infinite state can only stay infinite or turn NaN, and the operators refuse infinite input, so the port
    /// stops at the first non-finite state.)
    /// </summary>
    /// <value>The default is false.</value>
    public bool ReferenceNanToZeros { get; set; }

    /// <summary>
    /// Reads the <c>method</c> block of <c>configs/algorithm/daps.yaml</c> (<c>annealing_scheduler_config</c>,
    /// <c>diffusion_scheduler_config</c>, <c>lgvd_config</c>); port additions <c>reference_inner_schedule</c>,
    /// <c>reference_nan_to_zeros</c> and <c>reference_compatible</c> (turns both on unless given).
    /// </summary>
    public static DapsOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        var o = new DapsOptions();
        o.ReferenceInnerSchedule = ReferenceCompatibility.Quirk(method, "reference_inner_schedule", reference, false, true);
        o.ReferenceNanToZeros = ReferenceCompatibility.Quirk(method, "reference_nan_to_zeros", reference, false, true);
        if (method.Has("annealing_scheduler_config")) o.AnnealingSchedule = NoiseScheduleOptions.FromConfig(method.Section("annealing_scheduler_config"));
        if (method.Has("diffusion_scheduler_config")) o.DiffusionSchedule = NoiseScheduleOptions.FromConfig(method.Section("diffusion_scheduler_config"));
        var lgvd = method.Section("lgvd_config");
        o.LangevinSteps = lgvd.Get("num_steps", o.LangevinSteps);
        o.LangevinStepSize = lgvd.Get("lr", o.LangevinStepSize);
        o.Tau = lgvd.Get("tau", o.Tau);
        o.StepSizeMinRatio = lgvd.Get("lr_min_ratio", o.StepSizeMinRatio);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        if (AnnealingSchedule is null || DiffusionSchedule is null)
        {
            errors.Add("AnnealingSchedule and DiffusionSchedule must be set");
            return;
        }

        ScheduleConfig.Validate(AnnealingSchedule, nameof(AnnealingSchedule), errors);
        var inner = DiffusionSchedule.Clone();
        inner.SigmaMax = Math.Max(AnnealingSchedule.SigmaMax, DiffusionSchedule.SigmaMin * 2);
        ScheduleConfig.Validate(inner, nameof(DiffusionSchedule), errors);

        if (LangevinSteps < 0) errors.Add($"LangevinSteps must be ≥ 0; got {LangevinSteps}");
        if (!(LangevinStepSize > 0) || !double.IsFinite(LangevinStepSize)) errors.Add($"LangevinStepSize must be finite and > 0; got {LangevinStepSize}");
        if (!(Tau > 0) || !double.IsFinite(Tau)) errors.Add($"Tau must be finite and > 0; got {Tau}");
        if (!(StepSizeMinRatio > 0) || !double.IsFinite(StepSizeMinRatio)) errors.Add($"StepSizeMinRatio must be finite and > 0; got {StepSizeMinRatio}");
    }
}
