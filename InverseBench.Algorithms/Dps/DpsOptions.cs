using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Dps;

/// <summary>How DPS normalises the likelihood gradient.</summary>
public enum DpsGuidanceNormalization
{
    /// <summary>
    /// Each sample's gradient is divided by its own <c>2·√ℓ_b</c>, so the step follows <c>∇_x ‖G(D(x_b)) − y‖</c> of that
    /// sample alone (the DPS paper's rule; samples of a batch are independent). The default.
    /// </summary>
    PerSample,

    /// <summary>
    /// The reference as written (<c>algo/dps.py</c>): every gradient is divided by <c>2·√(Σ_b ℓ_b)</c>, the root of the loss
    /// summed over the whole batch, which couples the samples of a batch (identical to <see cref="PerSample"/> for one sample).
    /// </summary>
    ReferenceBatchSum,
}

/// <summary>
/// Options of DPS, Diffusion Posterior Sampling (Chung et al., <i>Diffusion Posterior Sampling for General Noisy Inverse
/// Problems</i>, ICLR 2023), as implemented by the reference's <c>algo/dps.py</c> in the EDM framework.
/// </summary>
/// <remarks>
/// Each step i evaluates <c>D = D(x/s_i; σ_i)</c>, the data-misfit gradient <c>g = ∇ℓ(D)</c> and its pull-back through the
/// denoiser <c>∇_x ℓ = J_Dᵀ g</c>, then takes the Euler (SDE or ODE) prior step
/// <c>x ← x·c_i + f_i·score + √f_i·ε</c> with <c>score = (D − x/s_i)/σ_i²/s_i</c> and subtracts
/// <c>ζ·∇_x ℓ/(2√ℓ)</c> (= ζ·∇_x‖G(D) − y‖). NFE = <c>num_steps</c>, plus one VJP through the denoiser per step.
/// </remarks>
public sealed class DpsOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public DpsOptions() => Name = DpsDefaults.Name;

    /// <summary>The diffusion schedule walked from σ_max to σ_min.</summary>
    /// <value>The default is 1000 steps, <c>vp</c> schedule, <c>vp</c> timesteps, <c>vp</c> scaling (reference dps.yaml, <c>diffusion_scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = ScheduleConfig.FromDefaults(DpsDefaults.Scheduler);

    /// <summary>The guidance step size ζ.</summary>
    /// <value>The default is 10 (reference dps.yaml, <c>guidance_scale</c>).</value>
    public double GuidanceScale { get; set; } = DpsDefaults.GuidanceScale;

    /// <summary>Whether the prior step is the reverse SDE (true) or the probability-flow ODE (false).</summary>
    /// <value>The default is true (reference dps.yaml, <c>sde</c>).</value>
    public bool Sde { get; set; } = DpsDefaults.Sde;

    /// <summary>How the likelihood gradient is normalised.</summary>
    /// <value>The default is <see cref="DpsGuidanceNormalization.PerSample"/>; <see cref="DpsGuidanceNormalization.ReferenceBatchSum"/> reproduces the reference.</value>
    public DpsGuidanceNormalization Normalization { get; set; } = DpsGuidanceNormalization.PerSample;

    /// <summary>
    /// Reads the reference's <c>method</c> keys (<c>diffusion_scheduler_config.*</c>, <c>guidance_scale</c>, <c>sde</c>) over the
    /// yaml defaults; port additions <c>normalization</c> (<c>per_sample</c> | <c>reference_batch_sum</c>) and
    /// <c>reference_compatible</c> (sets <c>normalization</c> to <c>reference_batch_sum</c> unless given).
    /// </summary>
    public static DpsOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        var o = new DpsOptions();
        o.Schedule = ScheduleConfig.Read(method, "diffusion_scheduler_config", DpsDefaults.Scheduler);
        o.GuidanceScale = method.Get("guidance_scale", o.GuidanceScale);
        o.Sde = method.Get("sde", o.Sde);
        o.Normalization = ReferenceCompatibility.Quirk(method, "normalization", reference, DpsGuidanceNormalization.PerSample, DpsGuidanceNormalization.ReferenceBatchSum);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        if (!double.IsFinite(GuidanceScale) || GuidanceScale < 0) errors.Add($"{nameof(GuidanceScale)} must be finite and non-negative; got {GuidanceScale}");
        if (!Enum.IsDefined(Normalization)) errors.Add($"{nameof(Normalization)} is not a defined value ({Normalization})");
    }
}
