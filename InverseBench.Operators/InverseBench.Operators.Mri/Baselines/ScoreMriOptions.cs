using InverseBench.Core.Abstractions;
using InverseBench.Core.Diffusion;

namespace InverseBench.Operators.Mri.Baselines;

/// <summary>
/// Options of Score-MRI (Chung &amp; Ye 2022, "Score-based diffusion models for accelerated MRI"): a reverse-SDE predictor,
/// Langevin correctors and a gradient data-consistency step after each — reference <c>algo/score_mri.py</c>
/// <c>ScoreMRI</c>, config <c>configs/algorithm/score_mri.yaml</c>.
/// </summary>
public sealed class ScoreMriOptions : SolverOptions
{
    /// <summary>The registered name.</summary>
    public const string SolverName = "score_mri";

    /// <summary>Creates options with the defaults.</summary>
    public ScoreMriOptions() => Name = SolverName;

    /// <summary>The diffusion schedule (<c>scheduler_config</c>).</summary>
    /// <value>The default is 2000 VP steps, σ ∈ [0.01, 100], VP time steps and scaling (score_mri.yaml).</value>
    public NoiseScheduleOptions Schedule { get; set; } = new()
    {
        NumSteps = 2000, SigmaMax = 100, SigmaMin = 0.01, Schedule = SigmaScheduleKind.Vp, Timestep = "vp", Scaling = ScalingScheduleKind.Vp,
    };

    /// <summary>Corrector steps per level (<c>correct_steps</c>).</summary>
    /// <value>The default is 1 (score_mri.yaml).</value>
    public int CorrectorSteps { get; set; } = 1;

    /// <summary>Corrector step scale (<c>lr</c>): step <c>2·lr·‖ε‖/‖score‖</c>, as the reference.</summary>
    /// <value>The default is 0.01 (score_mri.yaml).</value>
    public double CorrectorLr { get; set; } = 0.01;

    /// <summary>Data-consistency step (<c>lamb</c>): <c>x ← x − lamb·∇‖A x − y‖²</c>.</summary>
    /// <value>The default is 1 (score_mri.yaml).</value>
    public double DataConsistencyStep { get; set; } = 1;

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Schedule is null) errors.Add($"{nameof(Schedule)} is required");
        else if (Schedule.NumSteps < 1) errors.Add($"{nameof(Schedule)}.NumSteps must be at least 1 (got {Schedule.NumSteps})");
        if (CorrectorSteps < 0) errors.Add($"{nameof(CorrectorSteps)} must be ≥ 0 (got {CorrectorSteps})");
        if (!(CorrectorLr >= 0) || !double.IsFinite(CorrectorLr)) errors.Add($"{nameof(CorrectorLr)} must be finite and ≥ 0 (got {CorrectorLr})");
        if (!(DataConsistencyStep >= 0) || !double.IsFinite(DataConsistencyStep)) errors.Add($"{nameof(DataConsistencyStep)} must be finite and ≥ 0 (got {DataConsistencyStep})");
    }
}
