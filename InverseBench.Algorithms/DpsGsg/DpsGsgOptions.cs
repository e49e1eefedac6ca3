using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.DpsGsg;

/// <summary>
/// Options of zeroth-order DPS (DPS-GSG; the baseline of Zheng et al. 2024, <i>Ensemble Kalman Diffusion Guidance</i>; reference
/// <c>algo/dps_gsg.py</c>): Diffusion Posterior Sampling (Chung et al., ICLR 2023) with the likelihood gradient
/// <c>∇_x ‖G(D(x)) − y‖</c> replaced by a vector–Jacobian product through the denoiser of a Gaussian-smoothed estimate
/// <c>ĝ ≈ ∇_{x̂₀} ℓ</c> (central or forward differences, <see cref="GaussianSmoothedGradient"/>):
/// <c>x ← step(x) − guidance_scale · J_D(x)ᵀ ĝ / (2√ℓ(D))</c>. Only forward evaluations of the forward model.
/// </summary>
public sealed class DpsGsgOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public DpsGsgOptions() => Name = DpsGsgDefaults.Name;

    /// <summary>The diffusion noise schedule.</summary>
    /// <value>The default is 1000 steps, linear / poly-7 / none, σ 100 → 0.01 (reference dps_gsg.yaml, <c>diffusion_scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = DpsGsgDefaults.Schedule();

    /// <summary>Guidance step size.</summary>
    /// <value>The default is 0.1 (reference dps_gsg.yaml, <c>guidance_scale</c>).</value>
    public double GuidanceScale { get; set; } = DpsGsgDefaults.GuidanceScale;

    /// <summary>Loss evaluations per sample and step for the gradient estimate.</summary>
    /// <value>The default is 2048 (reference dps_gsg.yaml, <c>num_queries</c>).</value>
    public int NumQueries { get; set; } = DpsGsgDefaults.NumQueries;

    /// <summary>Directions per forward-model call.</summary>
    /// <value>The default is 512 (reference dps_gsg.yaml, <c>batch_size</c>).</value>
    public int BatchSize { get; set; } = DpsGsgDefaults.BatchSize;

    /// <summary>Smoothing radius <c>μ</c>.</summary>
    /// <value>The default is 0.01 (reference dps_gsg.yaml, <c>mu</c>).</value>
    public double Mu { get; set; } = DpsGsgDefaults.Mu;

    /// <summary>Central or forward differences.</summary>
    /// <value>The default is <see cref="SmoothedGradientScheme.Central"/> (reference dps_gsg.yaml, <c>is_central: True</c>).</value>
    public SmoothedGradientScheme Scheme { get; set; } = DpsGsgDefaults.Scheme;

    /// <summary>Stochastic (true) or probability-flow (false) sampler.</summary>
    /// <value>The default is true (reference dps_gsg.yaml, <c>sde</c>).</value>
    public bool Sde { get; set; } = DpsGsgDefaults.Sde;

    /// <summary>Reads the reference's <c>method</c> block of <c>configs/algorithm/dps_gsg.yaml</c>.</summary>
    /// <remarks>Keys: <c>diffusion_scheduler_config.*</c>, <c>guidance_scale</c>, <c>num_queries</c>, <c>batch_size</c>, <c>mu</c>,
    /// <c>is_central</c>, <c>sde</c>.</remarks>
    public static DpsGsgOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new DpsGsgOptions
        {
            Schedule = ScheduleConfig.Read(method, "diffusion_scheduler_config", DpsGsgDefaults.Schedule()),
            GuidanceScale = method.Get("guidance_scale", DpsGsgDefaults.GuidanceScale),
            NumQueries = method.Get("num_queries", DpsGsgDefaults.NumQueries),
            BatchSize = method.Get("batch_size", DpsGsgDefaults.BatchSize),
            Mu = method.Get("mu", DpsGsgDefaults.Mu),
            Scheme = method.Get("is_central", true) ? SmoothedGradientScheme.Central : SmoothedGradientScheme.Forward,
            Sde = method.Get("sde", DpsGsgDefaults.Sde),
        };
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        if (!(GuidanceScale >= 0) || !double.IsFinite(GuidanceScale)) errors.Add($"GuidanceScale must be ≥ 0; got {GuidanceScale}");
        if (!(Mu > 0) || !double.IsFinite(Mu)) errors.Add($"Mu must be positive; got {Mu}");
        if (BatchSize < 1) errors.Add($"BatchSize must be ≥ 1; got {BatchSize}");
        else if (NumQueries < (Scheme == SmoothedGradientScheme.Central ? 2 * BatchSize : BatchSize))
            errors.Add($"NumQueries ({NumQueries}) must allow one full batch of {BatchSize} directions ({(Scheme == SmoothedGradientScheme.Central ? "two evaluations each" : "one each")})");
        if (!Enum.IsDefined(Scheme)) errors.Add($"Scheme must be Central or Forward; got {Scheme}");
    }
}
