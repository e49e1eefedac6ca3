using System.Globalization;
using InverseBench.Operators.InverseScattering.Internal;

namespace InverseBench.Operators.InverseScattering;

/// <summary>
/// Configuration of the linear (first-order Born) inverse-scattering problem: the imaging geometry, the noise and the
/// normalisation. Property names follow the reference's <c>configs/problem/inv-scatter.yaml</c> <c>model</c> keys
/// (given in each summary).
/// </summary>
public sealed class InverseScatteringOptions
{
    /// <summary>Side length of the imaging domain in x, metres (<c>Lx</c>).</summary>
    /// <value>The default is 0.18 (inv-scatter.yaml).</value>
    public double Lx { get; set; } = InverseScatteringDefaults.Lx;

    /// <summary>Side length of the imaging domain in y, metres (<c>Ly</c>).</summary>
    /// <value>The default is 0.18 (inv-scatter.yaml).</value>
    public double Ly { get; set; } = InverseScatteringDefaults.Ly;

    /// <summary>Number of pixels in x (<c>Nx</c>).</summary>
    /// <value>The default is 128 (inv-scatter.yaml).</value>
    public int Nx { get; set; } = InverseScatteringDefaults.Nx;

    /// <summary>Number of pixels in y (<c>Ny</c>).</summary>
    /// <value>The default is 128 (inv-scatter.yaml).</value>
    public int Ny { get; set; } = InverseScatteringDefaults.Ny;

    /// <summary>The wavelength in pixels: <c>λ = dx·Wave</c> (<c>wave</c>).</summary>
    /// <value>The default is 6 (inv-scatter.yaml).</value>
    public double Wave { get; set; } = InverseScatteringDefaults.Wave;

    /// <summary>Number of receivers on the ring (<c>numRec</c>); the paper's settings are 360, 180 and 60.</summary>
    /// <value>The default is 360 (inv-scatter.yaml).</value>
    public int Receivers { get; set; } = InverseScatteringDefaults.NumReceivers;

    /// <summary>Number of transmitters on the ring (<c>numTrans</c>).</summary>
    /// <value>The default is 20 (inv-scatter.yaml; the Python constructor's own default is 60).</value>
    public int Transmitters { get; set; } = InverseScatteringDefaults.NumTransmitters;

    /// <summary>Radius of the sensor ring, metres (<c>sensorRadius</c>).</summary>
    /// <value>The default is 1.6 (inv-scatter.yaml).</value>
    public double SensorRadius { get; set; } = InverseScatteringDefaults.SensorRadius;

    /// <summary>Standard deviation of the complex measurement noise (<c>sigma_noise</c>); Re and Im each get σ/√2.</summary>
    /// <value>The default is 1e-4 (inv-scatter.yaml).</value>
    public double SigmaNoise { get; set; } = InverseScatteringDefaults.SigmaNoise;

    /// <summary>Normalisation shift (<c>unnorm_shift</c>): physical contrast = (x + shift)·scale.</summary>
    /// <value>The default is 1.0 (inv-scatter.yaml).</value>
    public double UnnormShift { get; set; } = InverseScatteringDefaults.UnnormShift;

    /// <summary>Normalisation scale (<c>unnorm_scale</c>).</summary>
    /// <value>The default is 0.5 (inv-scatter.yaml).</value>
    public double UnnormScale { get; set; } = InverseScatteringDefaults.UnnormScale;

    /// <summary>Singular values above this count as observed directions (reference property <c>M</c>).</summary>
    /// <value>The default is 1e-3 (reference <c>inverse_scatter.py</c>).</value>
    public double SingularValueThreshold { get; set; } = InverseScatteringDefaults.SingularValueThreshold;

    /// <summary>
    /// Folder of the on-disk SVD cache (one sub-folder per geometry, see <see cref="InverseScatteringSvd"/>); null keeps
    /// the SVD in memory only.
    /// </summary>
    /// <value>The default is <c>cache</c> relative to the working directory, like the reference.</value>
    public string? SvdCacheDirectory { get; set; } = InverseScatteringDefaults.SvdCacheDirectory;

    /// <summary>The geometry these options describe.</summary>
    public InverseScatteringGeometry Geometry => new(Lx, Ly, Nx, Ny, Wave, Transmitters, Receivers, SensorRadius);

    /// <summary>A copy of these options.</summary>
    public InverseScatteringOptions Clone() => (InverseScatteringOptions)MemberwiseClone();

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid value.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(errors);
        if (errors.Count > 0)
            throw new ArgumentException($"Invalid {nameof(InverseScatteringOptions)}: {string.Join("; ", errors)}.");
    }

    /// <summary>Appends a message for every invalid value to <paramref name="errors"/>.</summary>
    public void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        if (!(Lx > 0) || !double.IsFinite(Lx)) errors.Add($"{nameof(Lx)} must be positive and finite (got {F(Lx)})");
        if (!(Ly > 0) || !double.IsFinite(Ly)) errors.Add($"{nameof(Ly)} must be positive and finite (got {F(Ly)})");
        if (Nx < 2) errors.Add($"{nameof(Nx)} must be at least 2 (got {Nx})");
        if (Ny < 2) errors.Add($"{nameof(Ny)} must be at least 2 (got {Ny})");
        if (!(Wave > 0) || !double.IsFinite(Wave)) errors.Add($"{nameof(Wave)} must be positive and finite (got {F(Wave)})");
        if (Receivers < 1) errors.Add($"{nameof(Receivers)} must be at least 1 (got {Receivers})");
        if (Transmitters < 1) errors.Add($"{nameof(Transmitters)} must be at least 1 (got {Transmitters})");
        if (!(SensorRadius > 0) || !double.IsFinite(SensorRadius))
            errors.Add($"{nameof(SensorRadius)} must be positive and finite (got {F(SensorRadius)})");
        else if (SensorRadius <= 0.5 * Math.Sqrt(Lx * Lx + Ly * Ly))
            errors.Add($"{nameof(SensorRadius)} ({F(SensorRadius)}) must lie outside the imaging domain (half-diagonal {F(0.5 * Math.Sqrt(Lx * Lx + Ly * Ly))})");
        if (!(SigmaNoise >= 0) || !double.IsFinite(SigmaNoise)) errors.Add($"{nameof(SigmaNoise)} must be finite and ≥ 0 (got {F(SigmaNoise)})");
        if (!double.IsFinite(UnnormShift)) errors.Add($"{nameof(UnnormShift)} must be finite");
        if (UnnormScale == 0 || !double.IsFinite(UnnormScale)) errors.Add($"{nameof(UnnormScale)} must be finite and non-zero");
        if (!(SingularValueThreshold >= 0)) errors.Add($"{nameof(SingularValueThreshold)} must be ≥ 0");
    }
}
