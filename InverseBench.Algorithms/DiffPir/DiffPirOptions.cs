using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.DiffPir;

/// <summary>
/// Options of DiffPIR (Zhu et al., <i>Denoising Diffusion Models for Plug-and-Play Image Restoration</i>, CVPRW 2023), as the
/// reference's <c>algo/diffpir.py</c> implements it (half-quadratic splitting with the diffusion denoiser).
/// </summary>
/// <remarks>
/// Each step denoises <c>x₀ = D(x/s_i; σ_i)</c>, solves the data subproblem with weight <c>ρ = 2λσ_n²/(σ_i s_i)²</c> —
/// one gradient step <c>x̂₀ = x₀ − ∇ℓ(x₀)/ρ</c> (nonlinear mode) or the exact proximal map
/// <c>x̂₀ = normalize((AᵀA + ρI)⁻¹(Aᵀy + ρ·unnormalize(x₀)))</c> (linear mode, through the SVD) — and re-noises to σ_{i+1}:
/// <c>x ← (x̂₀ + σ_{i+1}(√ξ·ε + √(1−ξ)·ê))·s_{i+1}</c> with <c>ê = (x/s_i − x̂₀)/σ_i</c> (no scaling after the last step).
/// NFE = <c>num_steps</c>. The reference's linear mode crashes after its first step (progress-bar bug); the port runs it.
/// </remarks>
public sealed class DiffPirOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public DiffPirOptions() => Name = DiffPirDefaults.Name;

    /// <summary>The diffusion schedule.</summary>
    /// <value>The default is 1000 steps, <c>vp</c> schedule, <c>vp</c> timesteps, <c>vp</c> scaling (reference diffpir.yaml, <c>diffusion_scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = ScheduleConfig.FromDefaults(DiffPirDefaults.Scheduler);

    /// <summary>σ_n, the measurement noise level assumed by the data term.</summary>
    /// <value>The default is 0.05 (reference diffpir.yaml, <c>sigma_n</c>).</value>
    public double NoiseLevel { get; set; } = DiffPirDefaults.NoiseLevel;

    /// <summary>λ, the weight of the prior against the data in ρ.</summary>
    /// <value>The default is 8 (reference diffpir.yaml, <c>lamb</c>).</value>
    public double Lambda { get; set; } = DiffPirDefaults.Lambda;

    /// <summary>ξ ∈ [0, 1], the share of fresh noise (vs the estimated noise) in the re-noising.</summary>
    /// <value>The default is 1 (reference diffpir.yaml, <c>xi</c>).</value>
    public double Xi { get; set; } = DiffPirDefaults.Xi;

    /// <summary>Exact proximal data step through the operator's SVD (true) or one gradient step (false).</summary>
    /// <value>The default is false (reference diffpir.yaml, <c>linear</c>). Linear mode needs an <see cref="ISvdOperator"/>; gradient mode the data-misfit gradient.</value>
    public bool Linear { get; set; } = DiffPirDefaults.Linear;

    /// <summary>Reads the reference's <c>method</c> keys (<c>diffusion_scheduler_config.*</c>, <c>sigma_n</c>, <c>lamb</c>, <c>xi</c>, <c>linear</c>) over the yaml defaults.</summary>
    public static DiffPirOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var o = new DiffPirOptions();
        o.Schedule = ScheduleConfig.Read(method, "diffusion_scheduler_config", DiffPirDefaults.Scheduler);
        o.NoiseLevel = method.Get("sigma_n", o.NoiseLevel);
        o.Lambda = method.Get("lamb", o.Lambda);
        o.Xi = method.Get("xi", o.Xi);
        o.Linear = method.Get("linear", o.Linear);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        if (!(NoiseLevel > 0) || !double.IsFinite(NoiseLevel)) errors.Add($"{nameof(NoiseLevel)} must be positive and finite; got {NoiseLevel}");
        if (!(Lambda > 0) || !double.IsFinite(Lambda)) errors.Add($"{nameof(Lambda)} must be positive and finite; got {Lambda}");
        if (!(Xi >= 0 && Xi <= 1)) errors.Add($"{nameof(Xi)} must lie in [0, 1]; got {Xi}");
    }
}
