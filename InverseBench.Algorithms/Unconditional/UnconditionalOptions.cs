using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Unconditional;

/// <summary>
/// Options of the unconditional diffusion sampler (reference <c>algo/unconditional.py</c>
/// <c>UnconditionalDiffusionSampler</c>): draws from the prior alone, ignoring the observation — a sanity check of a prior
/// and of the sampler. Starting from <c>x ~ N(0, σ_max² I)</c> it runs the Euler sampler
/// <c>x ← c_i x + f_i ∇log p_{σ_i}(x) + √f_i ε</c> (SDE) or <c>x ← c_i x + ½ f_i ∇log p_{σ_i}(x)</c> (probability-flow ODE).
/// </summary>
public sealed class UnconditionalOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public UnconditionalOptions() => Name = UnconditionalDefaults.Name;

    /// <summary>The sampler's noise schedule.</summary>
    /// <value>The default is 1000 VP steps (reference uncond.yaml, <c>diffusion_scheduler_config</c>: vp/vp/vp).</value>
    public NoiseScheduleOptions DiffusionSchedule { get; set; } = UnconditionalDefaults.Schedule();

    /// <summary>Stochastic (SDE, true) or deterministic probability-flow (ODE, false) sampling.</summary>
    /// <value>The default is true (reference uncond.yaml, <c>sde</c>).</value>
    public bool Sde { get; set; } = UnconditionalDefaults.Sde;

    /// <summary>
    /// Reference quirk (spec §4.24): draw as many samples as the observation has batch rows (the reference uses
    /// <c>observation.shape[0]</c>, i.e. one) instead of <see cref="SolverContext.NumSamples"/>.
    /// </summary>
    /// <value>The default is false: the number of samples is <see cref="SolverContext.NumSamples"/>.</value>
    public bool ReferenceBatchFromObservation { get; set; }

    /// <summary>
    /// Reads the <c>method</c> block of <c>configs/algorithm/uncond.yaml</c> (keys <c>diffusion_scheduler_config</c>, <c>sde</c>);
    /// port additions <c>reference_batch_from_observation</c> (<see cref="ReferenceBatchFromObservation"/>) and
    /// <c>reference_compatible</c> (turns it on unless given).
    /// </summary>
    public static UnconditionalOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        var o = new UnconditionalOptions();
        o.ReferenceBatchFromObservation = ReferenceCompatibility.Quirk(method, "reference_batch_from_observation", reference, false, true);
        o.DiffusionSchedule = ScheduleConfig.Read(method, "diffusion_scheduler_config", UnconditionalDefaults.Schedule());
        o.Sde = method.Get("sde", o.Sde);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(DiffusionSchedule, nameof(DiffusionSchedule), errors);
    }
}
