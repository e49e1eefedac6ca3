using InverseBench.Core.Abstractions;

namespace InverseBench.Operators.Mri.Baselines;

/// <summary>How CSGM's noise levels are spaced (reference <c>sigmas_config.sigma_dist</c>).</summary>
public enum SigmaDistribution
{
    /// <summary><c>geometric</c>: <c>exp(linspace(log σ_begin, log σ_end, N))</c>.</summary>
    Geometric,

    /// <summary><c>uniform</c>: <c>linspace(σ_begin, σ_end, N)</c>.</summary>
    Uniform,
}

/// <summary>
/// Options of CSGM-MRI (Jalal et al. 2021, "Robust compressed sensing MRI with deep generative priors"): annealed Langevin
/// dynamics with a norm-matched data-consistency term — reference <c>algo/csgm_mri.py</c> <c>CSGMMRI</c>, config
/// <c>configs/algorithm/csgm_mri.yaml</c>.
/// </summary>
public sealed class CsgmMriOptions : SolverOptions
{
    /// <summary>The registered name.</summary>
    public const string SolverName = "csgm_mri";

    /// <summary>Creates options with the defaults.</summary>
    public CsgmMriOptions() => Name = SolverName;

    /// <summary>Spacing of the noise levels (<c>sigmas_config.sigma_dist</c>).</summary>
    /// <value>The default is <see cref="SigmaDistribution.Geometric"/> (csgm_mri.yaml).</value>
    public SigmaDistribution Distribution { get; set; } = SigmaDistribution.Geometric;

    /// <summary>First noise level (<c>sigmas_config.sigma_begin</c>).</summary>
    /// <value>The default is 232 (csgm_mri.yaml).</value>
    public double SigmaBegin { get; set; } = 232;

    /// <summary>Last noise level (<c>sigmas_config.sigma_end</c>).</summary>
    /// <value>The default is 0.0066 (csgm_mri.yaml).</value>
    public double SigmaEnd { get; set; } = 0.0066;

    /// <summary>Number of noise levels (<c>sigmas_config.num_steps</c>).</summary>
    /// <value>The default is 2311 (csgm_mri.yaml).</value>
    public int NumSteps { get; set; } = 2311;

    /// <summary>Levels with index ≤ this are skipped (<c>start_iter</c>).</summary>
    /// <value>The default is 1155 (csgm_mri.yaml).</value>
    public int StartIteration { get; set; } = 1155;

    /// <summary>Langevin steps per level after <see cref="SwitchIteration"/> (<c>n_steps_each</c>); before it the reference uses 3.</summary>
    /// <value>The default is 3 (csgm_mri.yaml).</value>
    public int StepsEach { get; set; } = 3;

    /// <summary>Level index up to which 3 Langevin steps are taken regardless of <see cref="StepsEach"/> (hard-coded 1800 in the reference).</summary>
    /// <value>The default is 1800.</value>
    public int SwitchIteration { get; set; } = 1800;

    /// <summary>Base step size (<c>step_lr</c>); the step at level σ is <c>step_lr·(σ/σ_end)²</c>.</summary>
    /// <value>The default is 3e-5 (csgm_mri.yaml).</value>
    public double StepLr { get; set; } = 3e-5;

    /// <summary>Weight of the data term relative to the prior score after norm matching (<c>mse</c>).</summary>
    /// <value>The default is 0.3 (csgm_mri.yaml).</value>
    public double MeasurementWeight { get; set; } = 0.3;

    /// <summary>The noise levels σ_0..σ_{N−1}.</summary>
    public double[] Sigmas() => Enumerable.Range(0, NumSteps).Select(i =>
    {
        double f = NumSteps == 1 ? 0 : i / (double)(NumSteps - 1);
        return Distribution == SigmaDistribution.Geometric
            ? Math.Exp(Math.Log(SigmaBegin) + f * (Math.Log(SigmaEnd) - Math.Log(SigmaBegin)))
            : SigmaBegin + f * (SigmaEnd - SigmaBegin);
    }).ToArray();

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!(SigmaBegin > 0) || !(SigmaEnd > 0) || !double.IsFinite(SigmaBegin) || !double.IsFinite(SigmaEnd))
            errors.Add($"{nameof(SigmaBegin)} and {nameof(SigmaEnd)} must be positive and finite (got {SigmaBegin}, {SigmaEnd})");
        if (NumSteps < 1) errors.Add($"{nameof(NumSteps)} must be at least 1 (got {NumSteps})");
        if (StartIteration < -1 || StartIteration >= NumSteps - 1)
            errors.Add($"{nameof(StartIteration)} must lie in [-1, {NumSteps - 2}] so that at least one level runs (got {StartIteration})");
        if (StepsEach < 1) errors.Add($"{nameof(StepsEach)} must be at least 1 (got {StepsEach})");
        if (!(StepLr > 0) || !double.IsFinite(StepLr)) errors.Add($"{nameof(StepLr)} must be positive and finite (got {StepLr})");
        if (!(MeasurementWeight >= 0) || !double.IsFinite(MeasurementWeight)) errors.Add($"{nameof(MeasurementWeight)} must be finite and ≥ 0 (got {MeasurementWeight})");
    }
}
