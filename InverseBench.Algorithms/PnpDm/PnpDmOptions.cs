using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.PnpDm;

/// <summary>
/// Options of PnP-DM (Wu, Sun, Chen, Zhang, Yue, Bouman, <i>Principled Probabilistic Imaging using Diffusion Models as
/// Plug-and-Play Priors</i>, NeurIPS 2024; reference <c>algo/pnpdm.py</c>): a split Gibbs sampler.
/// </summary>
/// <remarks>
/// Starting from <c>x ~ N(0, I)</c>, for each coupling strength σ_k = max(σ_min, ρ^k σ_max): (1) likelihood step, Langevin
/// dynamics on <c>z ∝ exp(−ℓ(z)/(2τ²)) N(z; x, σ_k² I)</c> with a constant step size; (2) prior step, a stochastic
/// (Euler–Maruyama) reverse diffusion from noise level σ_k to 0 started at z, on the tail of
/// <see cref="DiffusionSchedule"/> below σ_k (<see cref="NoiseSchedule.Partial"/>).
/// </remarks>
public sealed class PnpDmOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public PnpDmOptions() => Name = PnpDmDefaults.Name;

    /// <summary>Number of coupling levels σ_k.</summary>
    /// <value>The default is 100 (reference pnpdm.yaml, <c>annealing_scheduler_config.num_steps</c>).</value>
    public int AnnealingSteps { get; set; } = PnpDmDefaults.AnnealingSteps;

    /// <summary>The first coupling level σ_0.</summary>
    /// <value>The default is 10 (reference pnpdm.yaml, <c>annealing_scheduler_config.sigma_max</c>).</value>
    public double AnnealingSigmaMax { get; set; } = PnpDmDefaults.AnnealingSigmaMax;

    /// <summary>The floor of the coupling levels.</summary>
    /// <value>The default is 0.02 (reference pnpdm.yaml, <c>annealing_scheduler_config.sigma_min</c>).</value>
    public double AnnealingSigmaMin { get; set; } = PnpDmDefaults.AnnealingSigmaMin;

    /// <summary>Decay factor ρ of the coupling levels, σ_{k+1} = max(σ_min, ρ σ_k).</summary>
    /// <value>The default is 0.93 (reference pnpdm.yaml, <c>annealing_scheduler_config.rho</c>).</value>
    public double AnnealingDecay { get; set; } = PnpDmDefaults.AnnealingDecay;

    /// <summary>The base schedule whose tail below each σ_k the prior step runs.</summary>
    /// <value>The default is 100 steps, 100 → 0.01, final 0, linear/poly-7 (reference pnpdm.yaml, <c>diffusion_scheduler_config</c>).</value>
    public NoiseScheduleOptions DiffusionSchedule { get; set; } = PnpDmDefaults.DiffusionSchedule();

    /// <summary>Langevin steps of each likelihood step.</summary>
    /// <value>The default is 40 (reference pnpdm.yaml, <c>lgvd_config.num_steps</c>).</value>
    public int LangevinSteps { get; set; } = PnpDmDefaults.LangevinSteps;

    /// <summary>The constant Langevin step size (the reference forces <c>lr_min_ratio = 1</c>, i.e. no decay).</summary>
    /// <value>The default is 5e-5 (reference pnpdm.yaml, <c>lgvd_config.lr</c>).</value>
    public double LangevinStepSize { get; set; } = PnpDmDefaults.LangevinStepSize;

    /// <summary>Likelihood temperature τ: the misfit is weighted by 1/(2τ²) (set it to the noise std for the true likelihood).</summary>
    /// <value>The default is 1 (reference pnpdm.yaml, <c>lgvd_config.tau</c>).</value>
    public double Tau { get; set; } = PnpDmDefaults.Tau;

    /// <summary>
    /// How the prior step's partial schedule pairs noise levels with step factors. <see cref="PartialScheduleMode.Aligned"/>
    /// (default) is the correct tail of the base schedule; <see cref="PartialScheduleMode.ReferenceMisaligned"/> reproduces the
    /// reference's <c>get_partial_scheduler</c>, whose factors f_i, c_i are taken one step early (spec §2.2, §4.8).
    /// </summary>
    /// <value>The default is <see cref="PartialScheduleMode.Aligned"/>.</value>
    public PartialScheduleMode PartialSchedule { get; set; } = PartialScheduleMode.Aligned;

    /// <summary>
    /// What a Langevin chain that produces NaN (or ±Inf) does. False (default): the solve stops at that Langevin step with an
    /// exception naming the coupling level, the step and the option to reduce. True reproduces the reference (<c>algo/pnpdm.py</c>
    /// <c>LangevinDynamics.sample</c>): the chain stops and returns zeros, and the prior step continues from them. (The reference checks
    /// for NaN only; an infinite state can only stay infinite or turn NaN, and the operators refuse infinite input, so the port
    /// stops at the first non-finite state.)
    /// </summary>
    /// <value>The default is false.</value>
    public bool ReferenceNanToZeros { get; set; }

    /// <summary>
    /// Reads the <c>method</c> block of <c>configs/algorithm/pnpdm.yaml</c>. <c>lgvd_config.lr_min_ratio</c> is accepted and
    /// ignored, as in the reference (which forces a constant step size). Port additions: <c>partial_schedule</c>
    /// (<c>aligned</c> | <c>reference_misaligned</c>), <c>reference_nan_to_zeros</c> and <c>reference_compatible</c> (sets
    /// <c>partial_schedule: reference_misaligned</c> and <c>reference_nan_to_zeros: true</c> unless given).
    /// </summary>
    public static PnpDmOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        var o = new PnpDmOptions();
        o.PartialSchedule = ReferenceCompatibility.Quirk(method, "partial_schedule", reference, PartialScheduleMode.Aligned, PartialScheduleMode.ReferenceMisaligned);
        o.ReferenceNanToZeros = ReferenceCompatibility.Quirk(method, "reference_nan_to_zeros", reference, false, true);
        var anneal = method.Section("annealing_scheduler_config");
        o.AnnealingSteps = anneal.Get("num_steps", o.AnnealingSteps);
        o.AnnealingSigmaMax = anneal.Get("sigma_max", o.AnnealingSigmaMax);
        o.AnnealingSigmaMin = anneal.Get("sigma_min", o.AnnealingSigmaMin);
        o.AnnealingDecay = anneal.Get("rho", o.AnnealingDecay);
        if (method.Has("diffusion_scheduler_config")) o.DiffusionSchedule = NoiseScheduleOptions.FromConfig(method.Section("diffusion_scheduler_config"));
        var lgvd = method.Section("lgvd_config");
        o.LangevinSteps = lgvd.Get("num_steps", o.LangevinSteps);
        o.LangevinStepSize = lgvd.Get("lr", o.LangevinStepSize);
        o.Tau = lgvd.Get("tau", o.Tau);
        _ = lgvd.Raw("lr_min_ratio");
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        if (AnnealingSteps < 1) errors.Add($"AnnealingSteps must be at least 1; got {AnnealingSteps}");
        if (!(AnnealingSigmaMin > 0) || !(AnnealingSigmaMax >= AnnealingSigmaMin) || !double.IsFinite(AnnealingSigmaMax))
            errors.Add($"Need finite 0 < AnnealingSigmaMin ≤ AnnealingSigmaMax; got {AnnealingSigmaMin} and {AnnealingSigmaMax}");
        if (!(AnnealingDecay > 0 && AnnealingDecay <= 1)) errors.Add($"AnnealingDecay must be in (0, 1]; got {AnnealingDecay}");
        ScheduleConfig.Validate(DiffusionSchedule, nameof(DiffusionSchedule), errors);
        if (LangevinSteps < 0) errors.Add($"LangevinSteps must be ≥ 0; got {LangevinSteps}");
        if (!(LangevinStepSize > 0) || !double.IsFinite(LangevinStepSize)) errors.Add($"LangevinStepSize must be finite and > 0; got {LangevinStepSize}");
        if (!(Tau > 0) || !double.IsFinite(Tau)) errors.Add($"Tau must be finite and > 0; got {Tau}");
        if (!Enum.IsDefined(PartialSchedule)) errors.Add($"PartialSchedule {PartialSchedule} is not a valid mode");
    }
}
