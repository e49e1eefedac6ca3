using System.Globalization;
using InverseBench.Operators.BlackHole.Internal;

namespace InverseBench.Operators.BlackHole;

/// <summary>
/// Configuration of black-hole imaging. Property names follow the reference's <c>configs/problem/blackhole.yaml</c>
/// <c>model</c> keys (given in each summary); the <c>Synthetic*</c> settings describe the EHT-2017 observation used when
/// <see cref="Root"/> is null or does not exist.
/// </summary>
public sealed class BlackHoleOptions
{
    /// <summary>Folder holding <c>obs.uvfits</c> and <c>gt.fits</c> (<c>root</c>); null or a missing folder selects the synthetic observation.</summary>
    /// <value>The default is <c>../data/blackhole/measure</c> (blackhole.yaml).</value>
    public string? Root { get; set; } = BlackHoleDefaults.Root;

    /// <summary>Image side in pixels (<c>imsize</c>).</summary>
    /// <value>The default is 64 (blackhole.yaml).</value>
    public int ImageSize { get; set; } = BlackHoleDefaults.ImageSize;

    /// <summary>Fraction of the observation's time stamps kept, from the start (<c>observation_time_ratio</c>).</summary>
    /// <value>The default is 1.0 (blackhole.yaml).</value>
    public double ObservationTimeRatio { get; set; } = BlackHoleDefaults.ObservationTimeRatio;

    /// <summary>The noise model of <see cref="BlackHoleOperator.Observe(TorchSharp.torch.Tensor, TorchSharp.torch.Generator)"/> (<c>noise_type</c>: gaussian, vis_thermal, eht).</summary>
    /// <value>The default is <see cref="BlackHoleNoiseType.Eht"/> (blackhole.yaml).</value>
    public BlackHoleNoiseType NoiseType { get; set; } = BlackHoleDefaults.NoiseType;

    /// <summary>Weight of the amplitude χ² per visibility (<c>w1</c>; the loss weight is w1·M).</summary>
    /// <value>The default is 0 (blackhole.yaml).</value>
    public double W1 { get; set; } = BlackHoleDefaults.W1;

    /// <summary>Weight of the closure-phase χ² per closure phase (<c>w2</c>).</summary>
    /// <value>The default is 1 (blackhole.yaml).</value>
    public double W2 { get; set; } = BlackHoleDefaults.W2;

    /// <summary>Weight of the log-closure-amplitude χ² per quantity (<c>w3</c>).</summary>
    /// <value>The default is 1 (blackhole.yaml).</value>
    public double W3 { get; set; } = BlackHoleDefaults.W3;

    /// <summary>Weight of the flux χ² (<c>w4</c>).</summary>
    /// <value>The default is 0.5 (blackhole.yaml).</value>
    public double W4 { get; set; } = BlackHoleDefaults.W4;

    /// <summary>The reference's <c>sigma_noise</c> (reported as <see cref="InverseBench.Core.Abstractions.INoiseModel.Sigma"/>; the black-hole noise models do not use it).</summary>
    /// <value>The default is 0 (blackhole.yaml).</value>
    public double SigmaNoise { get; set; } = BlackHoleDefaults.SigmaNoise;

    /// <summary>Normalisation shift (<c>unnorm_shift</c>): image = (x + shift)·scale.</summary>
    /// <value>The default is 1.0 (blackhole.yaml).</value>
    public double UnnormShift { get; set; } = BlackHoleDefaults.UnnormShift;

    /// <summary>Normalisation scale (<c>unnorm_scale</c>).</summary>
    /// <value>The default is 0.5 (blackhole.yaml).</value>
    public double UnnormScale { get; set; } = BlackHoleDefaults.UnnormScale;

    /// <summary>Rescales the reference image to this total flux in Jy (<c>ref_flux</c>); null keeps it.</summary>
    /// <value>The default is null (constructor default).</value>
    public double? ReferenceFlux { get; set; }

    /// <summary>Constant station gain offset std of the <c>eht</c> noise (ehtim <c>gain_offset</c>).</summary>
    /// <value>The default is 0.1 (ehtim <c>GAINPDEF</c>).</value>
    public double GainOffset { get; set; } = BlackHoleDefaults.GainDefault;

    /// <summary>Per-time station gain std of the <c>eht</c> noise (ehtim <c>gainp</c>).</summary>
    /// <value>The default is 0.1 (ehtim <c>GAINPDEF</c>).</value>
    public double GainStd { get; set; } = BlackHoleDefaults.GainDefault;

    /// <summary>Stations of the synthetic observation (names from <see cref="Interferometry.EhtArrays.Eht2017"/>); null uses all.</summary>
    /// <value>The default is null (all eight EHT-2017 stations).</value>
    public IReadOnlyList<string>? SyntheticStations { get; set; }

    /// <summary>Seconds between integrations of the synthetic observation (ehtim <c>tadv</c>).</summary>
    /// <value>The default is 600.</value>
    public double SyntheticScanIntervalSeconds { get; set; } = BlackHoleDefaults.SyntheticScanIntervalSeconds;

    /// <summary>Integration time of the synthetic observation in seconds (ehtim <c>tint</c>).</summary>
    /// <value>The default is 60.</value>
    public double SyntheticIntegrationSeconds { get; set; } = BlackHoleDefaults.SyntheticIntegrationSeconds;

    /// <summary>Field of view of the synthetic reference image, µas.</summary>
    /// <value>The default is 160.</value>
    public double SyntheticFieldOfViewMicroArcseconds { get; set; } = BlackHoleDefaults.SyntheticFieldOfViewMicroArcseconds;

    /// <summary>A copy of these options.</summary>
    public BlackHoleOptions Clone() => (BlackHoleOptions)MemberwiseClone();

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid value.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(errors);
        if (errors.Count > 0) throw new ArgumentException($"Invalid {nameof(BlackHoleOptions)}: {string.Join("; ", errors)}.");
    }

    /// <summary>Appends a message for every invalid value to <paramref name="errors"/>.</summary>
    public void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        if (ImageSize < 4) errors.Add($"{nameof(ImageSize)} (imsize) must be at least 4 (got {ImageSize})");
        if (!(ObservationTimeRatio > 0 && ObservationTimeRatio <= 1)) errors.Add($"{nameof(ObservationTimeRatio)} must be in (0, 1] (got {F(ObservationTimeRatio)})");
        foreach (var (name, value) in new[] { (nameof(W1), W1), (nameof(W2), W2), (nameof(W3), W3), (nameof(W4), W4) })
        {
            if (!(value >= 0) || !double.IsFinite(value)) errors.Add($"{name} must be finite and ≥ 0 (got {F(value)})");
        }

        if (!(SigmaNoise >= 0) || !double.IsFinite(SigmaNoise)) errors.Add($"{nameof(SigmaNoise)} must be finite and ≥ 0 (got {F(SigmaNoise)})");
        if (!double.IsFinite(UnnormShift)) errors.Add($"{nameof(UnnormShift)} must be finite");
        if (UnnormScale == 0 || !double.IsFinite(UnnormScale)) errors.Add($"{nameof(UnnormScale)} must be finite and non-zero");
        if (ReferenceFlux is { } flux && !(flux > 0)) errors.Add($"{nameof(ReferenceFlux)} must be positive (got {F(flux)})");
        if (!(GainOffset >= 0) || !(GainStd >= 0)) errors.Add($"{nameof(GainOffset)} and {nameof(GainStd)} must be ≥ 0");
        if (!(SyntheticScanIntervalSeconds > 0)) errors.Add($"{nameof(SyntheticScanIntervalSeconds)} must be positive");
        if (!(SyntheticIntegrationSeconds > 0)) errors.Add($"{nameof(SyntheticIntegrationSeconds)} must be positive");
        if (!(SyntheticFieldOfViewMicroArcseconds > 0)) errors.Add($"{nameof(SyntheticFieldOfViewMicroArcseconds)} must be positive");
        if (SyntheticStations is { } stations)
        {
            var known = Interferometry.EhtArrays.Eht2017.Select(s => s.Site).ToHashSet(StringComparer.Ordinal);
            var unknown = stations.Where(s => !known.Contains(s)).ToArray();
            if (unknown.Length > 0) errors.Add($"{nameof(SyntheticStations)} has unknown station(s) {string.Join(", ", unknown)} (known: {string.Join(", ", known)})");
            if (stations.Distinct().Count() < 3) errors.Add($"{nameof(SyntheticStations)} needs at least 3 distinct stations for closure phases");
        }
    }
}
