using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Smc;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Fps;

/// <summary>
/// Options of FPS-SMC, filtering posterior sampling (Dou &amp; Song, <i>Diffusion Posterior Sampling for Linear Inverse Problem
/// Solving: A Filtering Perspective</i>, ICLR 2024; reference <c>algo/fps.py</c>), run in the operator's SVD basis.
/// </summary>
/// <remarks>
/// <para>With ȳ = (Uᵀy')/S the spectral observation and σ_i the schedule's noise levels (unscaled variables), FPS first
/// generates a noisy observation sequence backwards, <c>Y_{i+1} = ȳ + √(1−η²)(σ_{i+1}/σ_i)(Y_i − ȳ) + η σ_{i+1} ε</c>, then
/// moves P particles per sample with the DDIM transition <c>N(x̂₀ + √(1−η²)(σ_{i+1}/σ_i)(x_i − x̂₀), η²σ_{i+1}²)</c>
/// conditioned on <c>Y_{i+1} ~ N(x_obs, σ_y²/S²)</c> (exact Gaussian update on observed directions), weights each particle by
/// the predictive likelihood of Y_{i+1} and resamples.</para>
/// <para>Needs <see cref="ISvdOperator"/>. The returned sample of a group is one particle of the final, equally weighted set.</para>
/// </remarks>
public sealed class FpsOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public FpsOptions() => Name = FpsDefaults.Name;

    /// <summary>The diffusion schedule.</summary>
    /// <value>The default is 100 VP steps (reference fps.yaml, <c>scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = FpsDefaults.Schedule();

    /// <summary>DDIM stochasticity η ∈ (0, 1].</summary>
    /// <value>The default is 0.85 (reference fps.yaml, <c>eta</c>).</value>
    public double Eta { get; set; } = FpsDefaults.Eta;

    /// <summary>Particles per requested sample.</summary>
    /// <value>The default is 20 (reference fps.yaml, <c>num_particles</c>).</value>
    public int NumParticles { get; set; } = FpsDefaults.NumParticles;

    /// <summary>The resampling scheme.</summary>
    /// <value>The default is <see cref="ResamplingMethod.Multinomial"/> (the reference's <c>torch.multinomial</c>).</value>
    public ResamplingMethod Resampling { get; set; } = ResamplingMethod.Multinomial;

    /// <summary>
    /// Return every particle (<c>[NumSamples·P, ..]</c>, as the reference returns all P particles of its single sample) instead
    /// of one particle per requested sample.
    /// </summary>
    /// <value>The default is false.</value>
    public bool ReturnAllParticles { get; set; }

    /// <summary>
    /// Reproduce the reference as written (spec §4.10 [QUIRK]): with VP scaling it mixes scaled and unscaled quantities
    /// (particles are stored scaled by s_i but combined with the unscaled x̂₀), starts from std σ_max (≈1 after the VP
    /// overwrite) instead of σ_0, conditions step i on the observation of step i rather than i+1, and uses σ_y instead of
    /// σ_y/S_k as the noise of spectral coordinate k.
    /// </summary>
    /// <value>The default is false: consistent unscaled variables and the corrected indices and noise levels.</value>
    public bool ReferenceCompatible { get; set; }

    /// <summary>Reads the <c>method</c> block of <c>configs/algorithm/fps.yaml</c> (<c>scheduler_config</c>, <c>eta</c>, <c>num_particles</c>).</summary>
    public static FpsOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var o = new FpsOptions();
        o.Schedule = ScheduleConfig.Read(method, "scheduler_config", FpsDefaults.Schedule());
        o.Eta = method.Get("eta", o.Eta);
        o.NumParticles = method.Get("num_particles", o.NumParticles);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        if (!(Eta > 0 && Eta <= 1)) errors.Add($"Eta must be in (0, 1]; got {Eta}");
        if (NumParticles < 1) errors.Add($"NumParticles must be at least 1; got {NumParticles}");
        if (!Enum.IsDefined(Resampling)) errors.Add($"Resampling {Resampling} is not a valid method");
    }
}
