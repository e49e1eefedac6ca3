using InverseBench.Algorithms.Common;
using InverseBench.Algorithms.Ensemble;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.Diffusion;

namespace InverseBench.Algorithms.Scg;

/// <summary>
/// Options of Stochastic Control Guidance (Huang et al., <i>Symbolic Music Generation with Non-Differentiable Rule Guided
/// Diffusion</i>, ICML 2024; reference <c>algo/scg.py</c>). Fully derivative-free: no gradient of the forward model or the
/// network.
/// </summary>
/// <remarks>
/// The reverse SDE runs unguided for the first <c>T = ⌊N·threshold⌋</c> steps. Afterwards, every step draws
/// <see cref="NumCandidates"/> candidate next states <c>x·c_i + f_i·score + √f_i·ε_k</c>, denoises each at the next noise level
/// and keeps the candidate whose clean estimate has the smallest data misfit. The last step returns the clean estimate.
/// </remarks>
public sealed class ScgOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public ScgOptions() => Name = ScgDefaults.Name;

    /// <summary>The diffusion noise schedule.</summary>
    /// <value>The default is 1000 steps, vp / vp / vp (reference scg.yaml, <c>diffusion_scheduler_config</c>).</value>
    public NoiseScheduleOptions Schedule { get; set; } = ScgDefaults.Schedule();

    /// <summary>Fraction of the steps run without guidance.</summary>
    /// <value>The default is 0.25 (reference scg.yaml, <c>threshold</c>).</value>
    public double Threshold { get; set; } = ScgDefaults.Threshold;

    /// <summary>Candidates per guided step.</summary>
    /// <value>The default is 512 (reference scg.yaml, <c>num_candidates</c>).</value>
    public int NumCandidates { get; set; } = ScgDefaults.NumCandidates;

    /// <summary>Candidates per denoiser and forward-model call; must divide <see cref="NumCandidates"/>.</summary>
    /// <value>The default is 64 (reference scg.yaml, <c>batch_size</c>).</value>
    public int BatchSize { get; set; } = ScgDefaults.BatchSize;

    /// <summary>
    /// False (default): step <c>T</c> is an ordinary unguided step. True reproduces the reference, whose step <c>T</c> falls into
    /// the final branch and replaces the state by the unscaled clean estimate in the middle of sampling.
    /// </summary>
    /// <value>The default is false.</value>
    public bool ReferenceJumpAtThreshold { get; set; }

    /// <summary>Reads the reference's <c>method</c> block of <c>configs/algorithm/scg.yaml</c>.</summary>
    /// <remarks>Keys: <c>diffusion_scheduler_config.*</c>, <c>threshold</c>, <c>num_candidates</c>, <c>batch_size</c>; port
    /// additions <c>reference_jump_at_threshold</c> and <c>reference_compatible</c> (turns it on unless given).</remarks>
    public static ScgOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new ScgOptions
        {
            Schedule = ScheduleConfig.Read(method, "diffusion_scheduler_config", ScgDefaults.Schedule()),
            Threshold = method.Get("threshold", ScgDefaults.Threshold),
            NumCandidates = method.Get("num_candidates", ScgDefaults.NumCandidates),
            BatchSize = method.Get("batch_size", ScgDefaults.BatchSize),
            ReferenceJumpAtThreshold = ReferenceCompatibility.Quirk(method, "reference_jump_at_threshold", ReferenceCompatibility.Read(method), false, true),
        };
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ScheduleConfig.Validate(Schedule, nameof(Schedule), errors);
        if (!(Threshold >= 0 && Threshold <= 1)) errors.Add($"Threshold must be in [0, 1]; got {Threshold}");
        if (NumCandidates < 1) errors.Add($"NumCandidates must be ≥ 1; got {NumCandidates}");
        if (BatchSize < 1) errors.Add($"BatchSize must be ≥ 1; got {BatchSize}");
        else if (NumCandidates % BatchSize != 0) errors.Add($"NumCandidates ({NumCandidates}) must be divisible by BatchSize ({BatchSize})");
    }
}
