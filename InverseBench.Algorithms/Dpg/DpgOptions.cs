using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Dpg;

/// <summary>
/// Options of Diffusion Policy Gradient (Tang et al., <i>Solving General Noisy Inverse Problem via Posterior Sampling: A Policy
/// Gradient Viewpoint</i>, AISTATS 2024; reference <c>algo/dpg.py</c>).
/// </summary>
/// <remarks>
/// At each step the clean estimate <c>D = D(x/s_i; σ_i)</c> is perturbed into <see cref="NumMcSamples"/> candidates
/// <c>X_k = D + r·ε_k</c>, <c>r = max(√(Z/n)/2, r_min)</c>, with <c>Z</c> a moving average of the misfit <c>ℓ(D)</c>; rewards
/// <c>w_k = exp(−(ℓ(X_k) − ℓ(D))/Z)</c> with a leave-one-out baseline give the policy-gradient estimate
/// <c>g = ∇_x mean_k (w_k − b_k)‖X_k − D‖²/(2r²)</c> (one vector–Jacobian product through the denoiser), smoothed with the
/// previous gradient and normalised; the step adds <c>guidance_scale·(−g/‖g‖)</c> to the score. The forward model is only
/// evaluated (no forward-model gradient), so DPG runs on Navier–Stokes.
/// </remarks>
public sealed class DpgOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public DpgOptions() => Name = DpgDefaults.Name;

    /// <summary>The diffusion noise schedule.</summary>
    /// <value>The default is 1000 steps, vp / vp / vp (reference dpg.yaml, <c>diffusion_scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = DpgDefaults.Schedule();

    /// <summary>Weight of the normalised policy gradient in the score (the paper's B).</summary>
    /// <value>The default is 180 (reference dpg.yaml, <c>guidance_scale</c>).</value>
    public double GuidanceScale { get; set; } = DpgDefaults.GuidanceScale;

    /// <summary>Monte-Carlo candidates per step.</summary>
    /// <value>The default is 5000 (reference dpg.yaml, <c>num_mc_samples</c>).</value>
    public int NumMcSamples { get; set; } = DpgDefaults.NumMcSamples;

    /// <summary>Candidates per forward-model call; must divide <see cref="NumMcSamples"/>.</summary>
    /// <value>The default is 500 (reference dpg.yaml, <c>batch_size</c>).</value>
    public int BatchSize { get; set; } = DpgDefaults.BatchSize;

    /// <summary>Weight <c>β</c> of the previous raw gradient, scaled by <c>(N − i − 1)/N</c>.</summary>
    /// <value>The default is 0.1 (reference <c>DPG(beta=0.1)</c>).</value>
    public double Beta { get; set; } = DpgDefaults.Beta;

    /// <summary>Lower bound of the perturbation radius <c>r</c>.</summary>
    /// <value>The default is 0 (reference <c>DPG(rmin=0.0)</c>).</value>
    public double RMin { get; set; } = DpgDefaults.RMin;

    /// <summary>Stochastic (true) or probability-flow (false) sampler.</summary>
    /// <value>The default is true (reference <c>DPG(sde=True)</c>).</value>
    public bool Sde { get; set; } = DpgDefaults.Sde;

    /// <summary>
    /// False (default): the loss normaliser <c>Z</c> and the previous gradient start afresh for every sample. True reproduces the
    /// reference, which keeps them in the solver object across samples and across solves (test samples) and resets them only on
    /// construction.
    /// </summary>
    /// <value>The default is false.</value>
    public bool ReferencePersistState { get; set; }

    /// <summary>Reads the reference's <c>method</c> block of <c>configs/algorithm/dpg.yaml</c>.</summary>
    /// <remarks>Keys: <c>diffusion_scheduler_config.*</c>, <c>guidance_scale</c>, <c>num_mc_samples</c>, <c>batch_size</c>,
    /// <c>beta</c>, <c>rmin</c>, <c>sde</c>, <c>clamp_r</c> (unused by the reference; accepted and ignored); port addition
    /// <c>reference_persist_state</c>, and <c>reference_compatible</c> (turns it on unless given).</remarks>
    public static DpgOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        _ = method.Raw("clamp_r");
        return new DpgOptions
        {
            Schedule = ScheduleConfig.Read(method, "diffusion_scheduler_config", DpgDefaults.Schedule()),
            GuidanceScale = method.Get("guidance_scale", DpgDefaults.GuidanceScale),
            NumMcSamples = method.Get("num_mc_samples", DpgDefaults.NumMcSamples),
            BatchSize = method.Get("batch_size", DpgDefaults.BatchSize),
            Beta = method.Get("beta", DpgDefaults.Beta),
            RMin = method.Get("rmin", DpgDefaults.RMin),
            Sde = method.Get("sde", DpgDefaults.Sde),
            ReferencePersistState = ReferenceCompatibility.Quirk(method, "reference_persist_state", ReferenceCompatibility.Read(method), false, true),
        };
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        if (!(GuidanceScale >= 0) || !double.IsFinite(GuidanceScale)) errors.Add($"GuidanceScale must be ≥ 0; got {GuidanceScale}");
        if (NumMcSamples < 2) errors.Add($"NumMcSamples must be ≥ 2 (the baseline leaves one out); got {NumMcSamples}");
        if (BatchSize < 1) errors.Add($"BatchSize must be ≥ 1; got {BatchSize}");
        else if (NumMcSamples % BatchSize != 0) errors.Add($"NumMcSamples ({NumMcSamples}) must be divisible by BatchSize ({BatchSize})");
        if (!(Beta >= 0 && Beta <= 1)) errors.Add($"Beta must be in [0, 1]; got {Beta}");
        if (!(RMin >= 0) || !double.IsFinite(RMin)) errors.Add($"RMin must be ≥ 0; got {RMin}");
    }
}
