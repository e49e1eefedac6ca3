using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Smc;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Fps;

/// <summary>Which FPS algorithm runs: the reference's code as written, or the port's re-derivation of the paper's filter.</summary>
public enum FpsVariant
{
    /// <summary>
    /// The reference's <c>algo/fps.py</c> as written (spec §4.10), the default so that tuned configs transfer. Where it is
    /// wrong: with VP scaling it mixes scaled and unscaled quantities (particles are stored scaled by s_i but combined with the
    /// unscaled x̂₀), starts from std σ_max (≈1 after the VP overwrite) instead of σ_0, conditions step i on the observation of
    /// step i rather than i+1, and uses σ_y instead of σ_y/S_k as the noise of spectral coordinate k.
    /// </summary>
    Reference,

    /// <summary>
    /// The port's re-derivation of FPS-SMC (Dou &amp; Song, Algorithms 1–2) in unscaled variables. The observation sequence is
    /// <c>Y_{i+1} = ȳ + √(1−η²)(σ_{i+1}/σ_i)(Y_i − ȳ) + ησ_{i+1}ε</c> from <c>Y_0 = z_obs</c>, <c>z ~ N(0, σ_0²I)</c>, so that
    /// <c>Y_i − x_obs,i</c> has the noise of the diffusion at σ_i plus the measurement noise σ_y/S_k on coordinate k. A particle
    /// moves with the DDIM prior transition <c>N(m, η²σ_{i+1}²)</c>, <c>m = x̂₀ + √(1−η²)(σ_{i+1}/σ_i)(x_i − x̂₀)</c>; on an
    /// observed coordinate the product with the likelihood <c>N(Y_{i+1}; x, σ_y²/S_k²)</c> is the Gaussian with variance
    /// <c>v = (1/(η²σ_{i+1}²) + S_k²/σ_y²)⁻¹</c> and mean <c>v(m/(η²σ_{i+1}²) + S_k² Y_{i+1}/σ_y²)</c>, the optimal proposal, and
    /// the incremental weight is the normaliser of that product, the predictive density
    /// <c>N(Y_{i+1}; m_obs, η²σ_{i+1}² + σ_y²/S_k²)</c>.
    /// </summary>
    Rederived,
}

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
/// <para>Needs <see cref="ISvdOperator"/>. Like the reference, every particle of the final, equally weighted set is returned
/// (<see cref="ReturnAllParticles"/>), and metrics are averaged over them. The update is <see cref="Variant"/>'s.</para>
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
    /// Return every particle (<c>[NumSamples·P, ..]</c>, as the reference returns all P particles of its single sample, whose
    /// metrics are then averaged) instead of one particle per requested sample.
    /// </summary>
    /// <value>The default is true (the reference's output).</value>
    public bool ReturnAllParticles { get; set; } = true;

    /// <summary>The algorithm: the reference's as written, or the re-derivation (see <see cref="FpsVariant"/>).</summary>
    /// <value>The default is <see cref="FpsVariant.Reference"/>.</value>
    public FpsVariant Variant { get; set; } = FpsVariant.Reference;

    /// <summary>
    /// Reads the <c>method</c> block of <c>configs/algorithm/fps.yaml</c> (<c>scheduler_config</c>, <c>eta</c>,
    /// <c>num_particles</c>); port additions <c>variant</c> (<c>reference</c> | <c>rederived</c>), <c>return_all_particles</c>,
    /// <c>resampling_method</c> (<c>multinomial</c> | <c>systematic</c> | <c>stratified</c>) and <c>reference_compatible</c>
    /// (forces <c>variant: reference</c> and <c>return_all_particles: true</c> unless given).
    /// </summary>
    public static FpsOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        var o = new FpsOptions();
        o.Variant = ReferenceCompatibility.Quirk(method, "variant", reference, o.Variant, FpsVariant.Reference);
        o.ReturnAllParticles = ReferenceCompatibility.Quirk(method, "return_all_particles", reference, o.ReturnAllParticles, true);
        o.Resampling = method.Get("resampling_method", o.Resampling);
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
        if (!Enum.IsDefined(Variant)) errors.Add($"Variant {Variant} is not a valid FPS variant");
    }
}
