using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Smc;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.McgDiff;

/// <summary>
/// Options of MCG-diff (Cardoso, Janati, Le Corff, Moulines, <i>Monte Carlo Guided Diffusion for Bayesian Linear Inverse
/// Problems</i>, ICLR 2024; reference <c>algo/mcgdiff.py</c>), a particle filter in the operator's SVD basis.
/// </summary>
/// <remarks>
/// <para>Each step moves P particles per sample with the Euler–Maruyama transition <c>N(m_i(x), f_i)</c>,
/// <c>m_i(x) = x + f_i (D(x; σ_i) − x)/σ_i²</c>. An observed spectral coordinate k carries ȳ_k = z_k + (σ_y/S_k) n, which is a
/// noiseless observation of the diffusion at the level σ_y/S_k; while σ_i² &gt; σ_y²/S_k² the particles target
/// <c>p_i(x) N(ȳ_k; x_k, v_{i,k})</c> with <c>v_{i,k} = σ_i² − σ_y²/S_k²</c>: they are weighted by
/// <c>N(ȳ; m_i, v_{i+1} + f_i) / N(ȳ; x_i, v_i)</c>, resampled, and moved with the optimal Gaussian proposal
/// (gain <c>K = f_i/(f_i + v_{i+1})</c>). Once the level reaches σ_y/S_k the coordinate is pinned to ȳ_k and continues
/// unconditionally (the paper's noisy extension); with σ_y = 0 this is the noiseless algorithm. Unobserved coordinates follow
/// the prior transition. Needs <see cref="ISvdOperator"/> and a schedule without scaling.</para>
/// </remarks>
public sealed class McgDiffOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public McgDiffOptions() => Name = McgDiffDefaults.Name;

    /// <summary>The diffusion schedule (must have no scaling).</summary>
    /// <value>The default is 200 steps, 100 → 0.01, linear/poly-7 (reference mcgdiff.yaml, <c>scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = McgDiffDefaults.Schedule();

    /// <summary>Particles per requested sample.</summary>
    /// <value>The default is 64 (reference mcgdiff.yaml, <c>num_particles</c>).</value>
    public int NumParticles { get; set; } = McgDiffDefaults.NumParticles;

    /// <summary>Largest batch given to the denoiser in one call (0 = no limit).</summary>
    /// <value>The default is 128 (reference <c>MAX_BATCH_SIZE</c>).</value>
    public int MaxDenoiserBatch { get; set; } = McgDiffDefaults.MaxDenoiserBatch;

    /// <summary>The resampling scheme.</summary>
    /// <value>The default is <see cref="ResamplingMethod.Multinomial"/> (the reference's <c>torch.multinomial</c>).</value>
    public ResamplingMethod Resampling { get; set; } = ResamplingMethod.Multinomial;

    /// <summary>Return every particle (<c>[NumSamples·P, ..]</c>, as the reference) instead of one per requested sample.</summary>
    /// <value>The default is false.</value>
    public bool ReturnAllParticles { get; set; }

    /// <summary>
    /// Reproduce the reference as written (spec §4.11 [QUIRK]): log-weights shifted by their <b>minimum</b> and capped at 60
    /// (which flattens the weights of the best particles), the measurement noise ignored (ȳ treated as noiseless), the gain
    /// <c>K(t) = f_t/(f_t + σ_t²)</c> taken at the next step's index (K(N) = 1), and the observed coordinates started at
    /// <c>σ_max K(0) z</c>.
    /// </summary>
    /// <value>The default is false: log-weights normalised by log-sum-exp, the noisy-observation treatment above.</value>
    public bool ReferenceCompatible { get; set; }

    /// <summary>Reads the <c>method</c> block of <c>configs/algorithm/mcgdiff.yaml</c> (<c>scheduler_config</c>, <c>num_particles</c>).</summary>
    public static McgDiffOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var o = new McgDiffOptions();
        o.Schedule = ScheduleConfig.Read(method, "scheduler_config", McgDiffDefaults.Schedule());
        o.NumParticles = method.Get("num_particles", o.NumParticles);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        ScheduleConfig.RequireNoScaling(Schedule, nameof(Schedule), errors);

        if (NumParticles < 1) errors.Add($"NumParticles must be at least 1; got {NumParticles}");
        if (MaxDenoiserBatch < 0) errors.Add($"MaxDenoiserBatch must be ≥ 0; got {MaxDenoiserBatch}");
        if (!Enum.IsDefined(Resampling)) errors.Add($"Resampling {Resampling} is not a valid method");
    }
}
