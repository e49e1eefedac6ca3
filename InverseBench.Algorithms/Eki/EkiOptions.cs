using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;

namespace InverseBench.Algorithms.Eki;

/// <summary>
/// Options of Ensemble Kalman Inversion (Iglesias, Law &amp; Stuart, <i>Ensemble Kalman methods for inverse problems</i>,
/// Inverse Problems 2013; reference <c>algo/eki.py</c>). An ensemble drawn from a periodic Gaussian random field is moved by
/// <see cref="NumUpdates"/> normalised Kalman steps <c>X ← X − (γ/‖C‖_F)·C ΔX</c>, <c>C = (G(X) − y) ΔG(X)ᵀ / E</c>.
/// Derivative-free: only forward-model evaluations; no diffusion prior is used.
/// </summary>
public sealed class EkiOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public EkiOptions() => Name = EkiDefaults.Name;

    /// <summary>Step size <c>γ</c> of each normalised Kalman update.</summary>
    /// <value>The default is 2.0 (reference eki.yaml, <c>guidance_scale</c>).</value>
    public double GuidanceScale { get; set; } = EkiDefaults.GuidanceScale;

    /// <summary>Number of Kalman updates.</summary>
    /// <value>The default is 500 (reference eki.yaml, <c>num_updates</c>).</value>
    public int NumUpdates { get; set; } = EkiDefaults.NumUpdates;

    /// <summary>Number of particles <c>E</c>; the whole ensemble is returned (as the reference does), whatever <see cref="SolverContext.NumSamples"/> says.</summary>
    /// <value>The default is 512 (reference eki.yaml, <c>num_samples</c>).</value>
    public int EnsembleSize { get; set; } = EkiDefaults.EnsembleSize;

    /// <summary>Grid size of the initial random field; null uses the operator's signal resolution.</summary>
    /// <value>The default is null (the reference's constructor default is 128, the Navier–Stokes resolution).</value>
    public int? Resolution { get; set; }

    /// <summary>Length <c>L</c> of the periodic domain of the initial random field.</summary>
    /// <value>The default is 2π (reference <c>EKI(L=2π)</c>).</value>
    public double DomainLength { get; set; } = EkiDefaults.DomainLength;

    /// <summary>Smoothness exponent <c>α</c> of the initial random field.</summary>
    /// <value>The default is 4.0 (reference <c>GaussianRF2d(alpha=4.0)</c>).</value>
    public double Alpha { get; set; } = EkiDefaults.Alpha;

    /// <summary>Inverse length scale <c>τ</c> of the initial random field.</summary>
    /// <value>The default is 3.0 (reference <c>GaussianRF2d(tau=3.0)</c>).</value>
    public double Tau { get; set; } = EkiDefaults.Tau;

    /// <summary>Particles per forward-model call; 0 evaluates the whole ensemble in one call (as the reference).</summary>
    /// <value>The default is 0.</value>
    public int ForwardBatchSize { get; set; }

    /// <summary>Reads the reference's <c>method</c> block of <c>configs/algorithm/eki.yaml</c>.</summary>
    /// <remarks>
    /// Keys: <c>guidance_scale</c>, <c>num_updates</c>, <c>num_samples</c>, <c>resolution</c>, <c>L</c>. The keys
    /// <c>device</c> and <c>use_wandb</c> (which the reference constructor rejects) are accepted and ignored; the device is the
    /// operator's.
    /// </remarks>
    public static EkiOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var options = new EkiOptions
        {
            GuidanceScale = method.Get("guidance_scale", EkiDefaults.GuidanceScale),
            NumUpdates = method.Get("num_updates", EkiDefaults.NumUpdates),
            EnsembleSize = method.Get("num_samples", EkiDefaults.EnsembleSize),
            Resolution = method.Get<int?>("resolution", null),
            DomainLength = method.Get("L", EkiDefaults.DomainLength),
            ForwardBatchSize = method.Get("forward_batch_size", 0),
        };
        _ = method.Raw("device");
        _ = method.Raw("use_wandb");
        return options;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        if (!(GuidanceScale > 0) || !double.IsFinite(GuidanceScale)) errors.Add($"GuidanceScale must be positive and finite; got {GuidanceScale}");
        if (NumUpdates < 0) errors.Add($"NumUpdates must be ≥ 0; got {NumUpdates}");
        if (EnsembleSize < 2) errors.Add($"EnsembleSize must be ≥ 2 (ensemble covariances need two particles); got {EnsembleSize}");
        if (Resolution is < 2) errors.Add($"Resolution must be ≥ 2 when set; got {Resolution}");
        if (!(DomainLength > 0) || !double.IsFinite(DomainLength)) errors.Add($"DomainLength must be positive and finite; got {DomainLength}");
        if (!double.IsFinite(Alpha)) errors.Add($"Alpha must be finite; got {Alpha}");
        if (!(Tau > 0) || !double.IsFinite(Tau)) errors.Add($"Tau must be positive and finite; got {Tau}");
        if (ForwardBatchSize < 0) errors.Add($"ForwardBatchSize must be ≥ 0 (0 = whole ensemble); got {ForwardBatchSize}");
    }
}
