using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Lgd;

/// <summary>What LGD divides its Monte-Carlo likelihood gradient by (reference: <c>0.5/√avg_loss</c>).</summary>
public enum LgdLossNormalizer
{
    /// <summary>
    /// The mean of the Monte-Carlo losses of the sample, so the step is ∇√(mean loss) as the name <c>avg_loss</c> says (the
    /// reference's non-batched path, which crashes as written). The step is √n_mc larger than <see cref="ReferenceSum"/>'s.
    /// </summary>
    Mean,

    /// <summary>
    /// The reference's working, batched path (<c>batch_grad=True</c>): the <i>sum</i> of the Monte-Carlo losses. The default:
    /// it is a choice of scale, not an error, and the reference's tuned <c>guidance_scale</c> values assume it.
    /// </summary>
    ReferenceSum,
}

/// <summary>
/// Options of LGD, loss-guided diffusion (Song et al., <i>Loss-Guided Diffusion Models for Plug-and-Play Controllable
/// Generation</i>, ICML 2023), as the reference's <c>algo/lgd.py</c> implements it.
/// </summary>
/// <remarks>
/// Like DPS, but the likelihood gradient is a Monte-Carlo average over <c>X_j = D + r_t·ε_j</c>, <c>r_t = σ/√(1+σ²)</c>:
/// <c>ḡ = mean_j ∇ℓ(X_j)</c>, pulled back through the denoiser and divided by <c>2√L</c> (L per <see cref="Normalizer"/>),
/// then subtracted with weight ζ after the Euler prior step. NFE = <c>num_steps</c> (+ as many VJPs), misfit gradients =
/// <c>num_steps·n_mc</c>. Unlike the reference (one sample only), every sample of a batch gets its own Monte-Carlo set.
/// </remarks>
public sealed class LgdOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public LgdOptions() => Name = LgdDefaults.Name;

    /// <summary>The diffusion schedule.</summary>
    /// <value>The default is 1000 steps, <c>vp</c> schedule, <c>vp</c> timesteps, <c>vp</c> scaling (reference lgd.yaml, <c>diffusion_scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = ScheduleConfig.FromDefaults(LgdDefaults.Scheduler);

    /// <summary>The guidance step size ζ.</summary>
    /// <value>The default is 3e-3 (reference lgd.yaml, <c>guidance_scale</c>).</value>
    public double GuidanceScale { get; set; } = LgdDefaults.GuidanceScale;

    /// <summary>Monte-Carlo samples per step and per sample.</summary>
    /// <value>The default is 3 (reference lgd.yaml, <c>num_samples</c>).</value>
    public int MonteCarloSamples { get; set; } = LgdDefaults.MonteCarloSamples;

    /// <summary>Evaluate the Monte-Carlo gradients in one batched call (true) or one call per Monte-Carlo sample (false, for operators that cannot batch).</summary>
    /// <value>The default is true (reference lgd.py, <c>batch_grad</c>).</value>
    public bool BatchGradient { get; set; } = LgdDefaults.BatchGradient;

    /// <summary>Reverse SDE (true) or probability-flow ODE (false) prior step.</summary>
    /// <value>The default is true (reference lgd.py, <c>sde</c>).</value>
    public bool Sde { get; set; } = LgdDefaults.Sde;

    /// <summary>The loss the gradient is normalised by.</summary>
    /// <value>The default is <see cref="LgdLossNormalizer.ReferenceSum"/>, the reference's batched path, so tuned <c>guidance_scale</c> values transfer.</value>
    public LgdLossNormalizer Normalizer { get; set; } = LgdLossNormalizer.ReferenceSum;

    /// <summary>
    /// Reads the reference's <c>method</c> keys (<c>diffusion_scheduler_config.*</c>, <c>guidance_scale</c>, <c>num_samples</c>,
    /// <c>batch_grad</c>, <c>sde</c>) over the yaml defaults; port additions <c>normalizer</c> (<c>reference_sum</c> |
    /// <c>mean</c>) and <c>reference_compatible</c> (sets it to <c>reference_sum</c> unless given).
    /// </summary>
    public static LgdOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        var o = new LgdOptions();
        o.Normalizer = ReferenceCompatibility.Quirk(method, "normalizer", reference, o.Normalizer, LgdLossNormalizer.ReferenceSum);
        o.Schedule = ScheduleConfig.Read(method, "diffusion_scheduler_config", LgdDefaults.Scheduler);
        o.GuidanceScale = method.Get("guidance_scale", o.GuidanceScale);
        o.MonteCarloSamples = method.Get("num_samples", o.MonteCarloSamples);
        o.BatchGradient = method.Get("batch_grad", o.BatchGradient);
        o.Sde = method.Get("sde", o.Sde);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        if (!double.IsFinite(GuidanceScale) || GuidanceScale < 0) errors.Add($"{nameof(GuidanceScale)} must be finite and non-negative; got {GuidanceScale}");
        if (MonteCarloSamples < 1) errors.Add($"{nameof(MonteCarloSamples)} must be at least 1; got {MonteCarloSamples}");
        if (!Enum.IsDefined(Normalizer)) errors.Add($"{nameof(Normalizer)} is not a defined value ({Normalizer})");
    }
}
