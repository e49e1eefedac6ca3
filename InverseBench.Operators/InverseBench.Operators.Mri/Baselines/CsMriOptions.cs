using InverseBench.Core.Abstractions;

namespace InverseBench.Operators.Mri.Baselines;

/// <summary>
/// Options of compressed-sensing MRI (reference <c>algo/cs_mri.py</c> <c>CompressedSensingMRI</c>, config
/// <c>configs/algorithm/cs_mri.yaml</c>), which runs sigpy 0.1.27's MRI applications with their default solver settings.
/// </summary>
public sealed class CsMriOptions : SolverOptions
{
    /// <summary>The registered name.</summary>
    public const string SolverName = "cs_mri";

    /// <summary>Creates options with the defaults.</summary>
    public CsMriOptions() => Name = SolverName;

    /// <summary>Regulariser (<c>mode</c>).</summary>
    /// <value>The default is <see cref="CsMriMode.L1Wavelet"/> (cs_mri.yaml).</value>
    public CsMriMode Mode { get; set; } = CsMriMode.L1Wavelet;

    /// <summary>Regularisation weight λ (<c>lamda</c>).</summary>
    /// <value>The default is 1e-6 (cs_mri.yaml).</value>
    public double Lambda { get; set; } = 1e-6;

    /// <summary>Solver iterations (<c>max_iter</c> of sigpy's <c>LinearLeastSquares</c>).</summary>
    /// <value>The default is 100 (sigpy default).</value>
    public int Iterations { get; set; } = 100;

    /// <summary>Power iterations for the step size (<c>max_power_iter</c>).</summary>
    /// <value>The default is 30 (sigpy default).</value>
    public int PowerIterations { get; set; } = 30;

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!(Lambda >= 0) || !double.IsFinite(Lambda)) errors.Add($"{nameof(Lambda)} must be finite and ≥ 0 (got {Lambda})");
        if (Iterations < 1) errors.Add($"{nameof(Iterations)} must be at least 1 (got {Iterations})");
        if (PowerIterations < 1) errors.Add($"{nameof(PowerIterations)} must be at least 1 (got {PowerIterations})");
    }
}
