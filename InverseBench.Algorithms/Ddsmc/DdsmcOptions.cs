using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Smc;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Ddsmc;

/// <summary>How DDSMC reconstructs x̂₀ from a particle (reference <c>recon_fn</c>).</summary>
public enum DdsmcReconstruction
{
    /// <summary>One denoiser call, x̂₀ = D(x; σ) (reference <c>tweedie</c>).</summary>
    Tweedie,

    /// <summary>The probability-flow ODE from σ to 0 in <see cref="DdsmcOptions.DiffusionSchedule"/> steps (reference <c>ode</c>).</summary>
    Ode,
}

/// <summary>
/// Options of DDSMC, decoupled diffusion sequential Monte Carlo (Ekström Kelvinius, Zhao, Lindsten, <i>Solving
/// Linear-Gaussian Bayesian Inverse Problems with Decoupled Diffusion Sequential Monte Carlo</i>, 2025; reference
/// <c>algo/ddsmc.py</c>), in the operator's SVD basis.
/// </summary>
/// <remarks>
/// <para>P particles per sample walk the annealing levels σ_t. At each level a particle is reconstructed, x̂₀(x_t), and
/// weighted by the ρ-smoothed likelihood <c>N(y'; S x̂₀, σ_y² + ρ_t² S²)</c> times the ratio of the target transition
/// <c>N(x_t; DDIM(x_{t+1}, x̂₀_{t+1}), ·)</c> to the previous proposal; after resampling, the proposal combines the DDIM
/// transition with the Gaussian posterior of x₀ given x̂₀ (variance ρ_t²) and y (exact on observed directions). The final
/// weights use the exact likelihood (ρ = 0) and one particle per sample is drawn from them.</para>
/// <para>Needs <see cref="ISvdOperator"/>. A proposal variance that turns negative (ρ_t too large for σ_t on an observed
/// direction) is reported as an error naming the step.</para>
/// </remarks>
public sealed class DdsmcOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public DdsmcOptions() => Name = DdsmcDefaults.Name;

    /// <summary>DDIM stochasticity η ≥ 0 of the transitions.</summary>
    /// <value>The default is 0.5 (reference ddsmc.yaml, <c>eta</c>).</value>
    public double Eta { get; set; } = DdsmcDefaults.Eta;

    /// <summary>Particles per requested sample.</summary>
    /// <value>The default is 16 (reference ddsmc.yaml, <c>smc_config.num_particles</c>).</value>
    public int NumParticles { get; set; } = DdsmcDefaults.NumParticles;

    /// <summary>The resampling scheme.</summary>
    /// <value>The default is <see cref="ResamplingMethod.Multinomial"/> (reference ddsmc.yaml, <c>smc_config.resampling_method</c>).</value>
    public ResamplingMethod Resampling { get; set; } = ResamplingMethod.Multinomial;

    /// <summary>The annealing levels σ_t.</summary>
    /// <value>The default is 200 steps, 100 → 0.01, final 0, linear/poly-7 (reference ddsmc.yaml, <c>annealing_scheduler_config</c>).</value>
    public NoiseScheduleOptions AnnealingSchedule { get; set; } = DdsmcDefaults.AnnealingSchedule();

    /// <summary>The likelihood smoothing levels ρ_t (used in reverse order; at least as many steps as the annealing).</summary>
    /// <value>The default is 200 steps, 47 → 0.01, final 0, linear/poly-7 (reference ddsmc.yaml, <c>rho_scheduler_config</c>).</value>
    public NoiseScheduleOptions RhoSchedule { get; set; } = DdsmcDefaults.RhoSchedule();

    /// <summary>The inner ODE schedule of <see cref="DdsmcReconstruction.Ode"/>; its σ_max is replaced by each σ_t.</summary>
    /// <value>The default is 10 steps to 0.01, final 0, linear/poly-7 (reference ddsmc.yaml, <c>diffusion_scheduler_config</c>).</value>
    public NoiseScheduleOptions DiffusionSchedule { get; set; } = DdsmcDefaults.DiffusionSchedule();

    /// <summary>How x̂₀ is reconstructed. With <see cref="DdsmcReconstruction.Ode"/>, levels at or below the inner σ_min use one denoiser call.</summary>
    /// <value>The default is <see cref="DdsmcReconstruction.Tweedie"/> (reference ddsmc.yaml, <c>recon_fn</c>).</value>
    public DdsmcReconstruction Reconstruction { get; set; } = DdsmcReconstruction.Tweedie;

    /// <summary>
    /// Reproduce the reference's noise level (spec §4.17 [QUIRK]): the likelihood and the proposal use the operator's
    /// <c>sigma_noise</c> in physical units although y' and the SVD live in the normalised space.
    /// </summary>
    /// <value>The default is false: the noise std in the normalised space, σ_noise/unnorm_scale.</value>
    public bool ReferenceCompatible { get; set; }

    /// <summary>
    /// Reads the <c>method</c> block of <c>configs/algorithm/ddsmc.yaml</c> (<c>eta</c>, <c>recon_fn</c>, <c>smc_config</c>,
    /// <c>annealing_scheduler_config</c>, <c>rho_scheduler_config</c>, <c>diffusion_scheduler_config</c>; <c>verbose</c> is
    /// accepted and ignored: progress goes through the solver context). Port additions: <c>reference_noise_units</c>
    /// (<see cref="ReferenceCompatible"/>) and <c>reference_compatible</c> (turns it on unless given).
    /// </summary>
    public static DdsmcOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        var o = new DdsmcOptions();
        o.ReferenceCompatible = ReferenceCompatibility.Quirk(method, "reference_noise_units", reference, false, true);
        o.Eta = method.Get("eta", o.Eta);
        o.Reconstruction = method.Get("recon_fn", o.Reconstruction);
        _ = method.Raw("verbose");
        var smc = method.Section("smc_config");
        o.NumParticles = smc.Get("num_particles", o.NumParticles);
        o.Resampling = smc.Get("resampling_method", o.Resampling);
        if (method.Has("annealing_scheduler_config")) o.AnnealingSchedule = NoiseScheduleOptions.FromConfig(method.Section("annealing_scheduler_config"));
        if (method.Has("rho_scheduler_config")) o.RhoSchedule = NoiseScheduleOptions.FromConfig(method.Section("rho_scheduler_config"));
        if (method.Has("diffusion_scheduler_config")) o.DiffusionSchedule = NoiseScheduleOptions.FromConfig(method.Section("diffusion_scheduler_config"));
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        if (!(Eta >= 0) || !double.IsFinite(Eta)) errors.Add($"Eta must be finite and ≥ 0; got {Eta}");
        if (NumParticles < 1) errors.Add($"NumParticles must be at least 1; got {NumParticles}");
        if (!Enum.IsDefined(Resampling)) errors.Add($"Resampling {Resampling} is not a valid method");
        if (!Enum.IsDefined(Reconstruction)) errors.Add($"Reconstruction {Reconstruction} is not a valid method");
        if (AnnealingSchedule is null || RhoSchedule is null || DiffusionSchedule is null)
        {
            errors.Add("AnnealingSchedule, RhoSchedule and DiffusionSchedule must be set");
            return;
        }

        ScheduleConfig.Validate(AnnealingSchedule, nameof(AnnealingSchedule), errors);
        ScheduleConfig.Validate(RhoSchedule, nameof(RhoSchedule), errors);
        if (RhoSchedule.NumSteps < AnnealingSchedule.NumSteps)
            errors.Add($"RhoSchedule.NumSteps ({RhoSchedule.NumSteps}) must be at least AnnealingSchedule.NumSteps ({AnnealingSchedule.NumSteps})");
        if (DiffusionSchedule.NumSteps < 1) errors.Add($"DiffusionSchedule.NumSteps must be at least 1; got {DiffusionSchedule.NumSteps}");
    }
}
