using System.Globalization;
using InverseBench.Core.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Priors;

/// <summary>Settings of a <see cref="GaussianFieldPrior"/>; defaults give the Navier–Stokes-style GRF (α = 2.5, τ = 7).</summary>
public sealed class GaussianFieldPriorOptions
{
    /// <summary>Independent channels C (each with the same spectrum).</summary>
    /// <value>The default is 1.</value>
    public int Channels { get; set; } = 1;

    /// <summary>Grid size R (fields are R×R on the periodic square of side <see cref="Length"/>); any R ≥ 2.</summary>
    /// <value>The default is 64.</value>
    public int Resolution { get; set; } = 64;

    /// <summary>Spectral decay α of S(k) ∝ (4π²|k|²/L² + τ²)^(−α).</summary>
    /// <value>The default is 2.5 (the family of the reference's GaussianRF2d initial vorticity; EKI uses α = 4, τ = 3).</value>
    public double Alpha { get; set; } = 2.5;

    /// <summary>Inverse length scale τ.</summary>
    /// <value>The default is 7.</value>
    public double Tau { get; set; } = 7;

    /// <summary>
    /// The field scale σ_g of the reference's <c>GaussianRF2d(sigma=...)</c>; null means the reference default τ^(α−1).
    /// </summary>
    /// <value>The default is null.</value>
    public double? Amplitude { get; set; }

    /// <summary>The constant mean μ of every pixel.</summary>
    /// <value>The default is 0.</value>
    public double Mean { get; set; }

    /// <summary>The side L of the periodic domain.</summary>
    /// <value>The default is 2π (the reference's L1 = L2).</value>
    public double Length { get; set; } = 2 * Math.PI;

    /// <summary>
    /// Whether the k = 0 (spatial-mean) mode has variance. False (default) zeroes it, as the reference's <c>sqrt_eig[0,0] = 0</c>:
    /// every draw then has spatial mean exactly <see cref="Mean"/> and the denoiser projects the mean onto it.
    /// </summary>
    /// <value>The default is false.</value>
    public bool IncludeZeroFrequency { get; set; }

    /// <summary>
    /// Optional override of the spectrum: maps |k|² (float64 <c>[R, R]</c>, integer wavenumbers on the FFT grid, as
    /// <c>fftfreq(R)·R</c>) to S (float64 <c>[R, R]</c>, finite, ≥ 0), the eigenvalues of the covariance in the orthonormal
    /// DFT basis (the pixel variance is the mean of S). Used as returned (including k = 0). Null uses the α/τ family.
    /// </summary>
    /// <value>The default is null.</value>
    public Func<Tensor, Tensor>? Spectrum { get; set; }

    /// <summary>The device of the prior.</summary>
    /// <value>The default is null (CPU).</value>
    public Device? Device { get; set; }

    /// <summary>Adds a message to <paramref name="errors"/> for each invalid setting.</summary>
    public void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Channels < 1) errors.Add($"Channels must be ≥ 1; got {Channels}.");
        if (Resolution < 2) errors.Add($"Resolution must be ≥ 2; got {Resolution}.");
        if (!(Length > 0) || !double.IsFinite(Length)) errors.Add($"Length must be finite and > 0; got {Show(Length)}.");
        if (!double.IsFinite(Mean)) errors.Add($"Mean must be finite; got {Show(Mean)}.");
        if (Spectrum is not null) return;
        if (!(Alpha > 0) || !double.IsFinite(Alpha)) errors.Add($"Alpha must be finite and > 0; got {Show(Alpha)}.");
        if (!(Tau >= 0) || !double.IsFinite(Tau)) errors.Add($"Tau must be finite and ≥ 0; got {Show(Tau)}.");
        if (Tau == 0 && IncludeZeroFrequency) errors.Add("Tau = 0 with IncludeZeroFrequency gives the k = 0 mode infinite variance.");
        if (Amplitude is { } a && (!(a > 0) || !double.IsFinite(a))) errors.Add($"Amplitude must be finite and > 0; got {Show(a)}.");
    }

    private static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>
/// A stationary Gaussian random field on the periodic R×R grid, N(μ, Σ) with a circulant covariance Σ = F*diag(S)F
/// (F the orthonormal 2-D DFT), independently per channel. By default
/// S(k) = R²σ_g²/L² · (4π²|k|²/L² + τ²)^(−α) with S(0) = 0 — the covariance of the reference's <c>GaussianRF2d</c>
/// (<c>algo/eki.py</c>; the Navier–Stokes initial vorticity family), so the pixel variance does not depend on R.
/// The denoiser is exact: D(x; σ) = μ + F⁻¹[S/(S+σ²)·F(x − μ)], evaluated with real FFTs in float64 and differentiable w.r.t. x.
/// </summary>
/// <remarks>
/// Two differences from the reference sampler, both deliberate: the reference's half-plane mask also drops every mode on the
/// Nyquist row and column for even R (a negligible high-frequency part of the variance, which this symmetric spectrum keeps so
/// that Σ is exactly circulant), and draws here are taken as F⁻¹[√S·F(ε)] from real white noise (same distribution, another
/// random stream).
/// </remarks>
public sealed class GaussianFieldPrior : AnalyticPriorBase
{
    private readonly Tensor _spectrum;      // [R, R] float64
    private readonly Tensor _halfSpectrum;  // [R, R/2+1] float64 (rfft layout)
    private readonly double _mean;

    /// <summary>Builds the prior.</summary>
    /// <exception cref="ArgumentException">Invalid options (all problems listed) or an invalid custom spectrum.</exception>
    public GaussianFieldPrior(GaussianFieldPriorOptions options)
        : base("gaussian-field", CheckOptions(options).Channels, options.Resolution, options.Device ?? CPU)
    {
        _mean = options.Mean;
        Alpha = options.Alpha;
        Tau = options.Tau;
        Amplitude = options.Amplitude ?? Math.Pow(options.Tau, options.Alpha - 1);
        int r = options.Resolution;
        using var scope = NewDisposeScope();
        var k = fft.fftfreq(r, 1.0 / r, ScalarType.Float64, Device).round();
        var k2 = k.unsqueeze(1).square() + k.unsqueeze(0).square();
        Tensor s;
        if (options.Spectrum is { } custom)
        {
            s = custom(k2) ?? throw new ArgumentException("The custom Spectrum returned null.", nameof(options));
            TensorGuard.Shape(s, "Spectrum(|k|²)", r, r);
            s = s.to(ScalarType.Float64, Device);
            TensorGuard.Finite(s, "Spectrum(|k|²)");
            if ((s < 0).any().item<bool>()) throw new ArgumentException("The custom Spectrum must be ≥ 0 everywhere.", nameof(options));
        }
        else
        {
            double l = options.Length;
            double c = 4 * Math.PI * Math.PI / (l * l);
            double scale = (double)r * r * Amplitude * Amplitude / (l * l);
            s = (k2 * c + options.Tau * options.Tau).pow(-options.Alpha) * scale;
            if (!options.IncludeZeroFrequency) s[0, 0] = tensor(0.0, ScalarType.Float64, Device);
        }
        _spectrum = s.contiguous().DetachFromDisposeScope();
        _halfSpectrum = _spectrum[.., ..(r / 2 + 1)].contiguous().DetachFromDisposeScope();
    }

    /// <summary>α (unused with a custom spectrum).</summary>
    public double Alpha { get; }

    /// <summary>τ (unused with a custom spectrum).</summary>
    public double Tau { get; }

    /// <summary>The field scale σ_g (unused with a custom spectrum).</summary>
    public double Amplitude { get; }

    /// <summary>The constant mean μ.</summary>
    public double Mean => _mean;

    /// <summary>S on the full <c>[R, R]</c> FFT grid (float64, owned by the prior): the covariance eigenvalues in the orthonormal DFT basis.</summary>
    public Tensor SpectralVariance => _spectrum;

    /// <summary>The variance of every pixel, mean(S).</summary>
    public double PixelVariance
    {
        get
        {
            using var scope = NewDisposeScope();
            return _spectrum.mean().item<double>();
        }
    }

    /// <summary>
    /// Fits a stationary, isotropic Gaussian field to example images (an empirical-Bayes prior): the mean is their pixel
    /// mean, and the spectrum is their periodogram <c>|F(x − x̄)|²</c> (orthonormal DFT, each image centred on its own spatial
    /// mean) averaged over images, channels and rings of equal rounded radius <c>round(|k|)</c>. The zero-frequency mode gets
    /// the spread of the images' own means: <c>R²·s²</c> with <c>s²</c> the unbiased variance of the per-image, per-channel
    /// spatial means about the fitted mean (zero from a single image), so a prior fitted to images of different
    /// brightness does not pull every reconstruction's brightness to the fitted mean. The pixel variance of the fit is the
    /// examples' variance about their own spatial means (Parseval; ring averaging keeps each ring's total) plus <c>s²</c>.
    /// </summary>
    /// <param name="examples">Images <c>[N, C, R, R]</c> (N ≥ 1, R ≥ 2), real and finite; any dtype and device.</param>
    /// <param name="device">Device of the prior (the examples' device when null).</param>
    /// <returns>A prior named <c>gaussian-field</c> with the fitted spectrum.</returns>
    /// <exception cref="ArgumentException">Wrong rank, non-square images, complex or non-finite values, or examples that are
    /// constant (no variance to fit).</exception>
    public static GaussianFieldPrior FitIsotropic(Tensor examples, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.dim() != 4 || examples.shape[0] < 1 || examples.shape[2] != examples.shape[3] || examples.shape[2] < 2)
            throw new ArgumentException($"The examples must be [N, C, R, R] with N ≥ 1 and R ≥ 2; got {TensorGuard.Format(examples.shape)}.", nameof(examples));
        TensorGuard.FloatingPoint(examples, nameof(examples));
        if (examples.is_complex()) throw new ArgumentException("The examples must be real.", nameof(examples));
        TensorGuard.Finite(examples, nameof(examples));
        int r = (int)examples.shape[2];
        var target = device ?? examples.device;
        double mean;
        Tensor rings;
        using (var scope = NewDisposeScope())
        {
            var x = examples.to(ScalarType.Float64, target);
            mean = x.mean().item<double>();
            var centred = x - x.mean([-2L, -1L], keepdim: true);
            var power = fft.fft2(centred, norm: FFTNormType.Ortho).abs().square().mean([0L, 1L]); // [R, R]
            var radius = RingIndex(r, target);
            var sums = zeros(radius.max().item<long>() + 1, ScalarType.Float64, target).index_add_(0, radius.flatten(), power.flatten(), 1.0);
            var counts = zeros_like(sums).index_add_(0, radius.flatten(), ones(radius.numel(), ScalarType.Float64, target), 1.0);
            var ringMean = sums / counts.clamp_min(1);
            if (!(ringMean.narrow(0, 1, ringMean.shape[0] - 1).max().item<double>() > 0))
                throw new ArgumentException("The examples are constant over each image: there is no spatial variance to fit.", nameof(examples));
            // The zero-frequency mode: the spread of the images' own means about the fitted mean. With the orthonormal DFT
            // the mode of an image is R·(its mean − μ), so its variance is R²·s² with s² the unbiased variance of the
            // per-image, per-channel means (zero when there is a single image and channel to estimate it from).
            var means = x.mean([-2L, -1L]).flatten();
            double dc = means.numel() < 2 ? 0.0 : (double)r * r * means.sub(mean).square().sum().item<double>() / (means.numel() - 1);
            ringMean[0] = tensor(dc, ScalarType.Float64, target);
            rings = scope.MoveToOuter(ringMean);
        }

        try
        {
            return new GaussianFieldPrior(new GaussianFieldPriorOptions
            {
                Channels = (int)examples.shape[1],
                Resolution = r,
                Mean = mean,
                Device = target,
                Spectrum = k2 => rings[k2.sqrt().round().to(ScalarType.Int64)],
            });
        }
        finally
        {
            rings.Dispose();
        }
    }

    private static Tensor RingIndex(int resolution, Device device)
    {
        var k = fft.fftfreq(resolution, 1.0 / resolution, ScalarType.Float64, device).round();
        return (k.unsqueeze(1).square() + k.unsqueeze(0).square()).sqrt().round().to(ScalarType.Int64);
    }

    /// <summary>Exact draws μ + F⁻¹[√S·F(ε)], <c>[count, C, R, R]</c> float32 (white noise drawn in float64 from <paramref name="generator"/>).</summary>
    public Tensor Sample(int count, Generator generator)
    {
        CheckSampleArguments(count, generator);
        using var scope = NewDisposeScope();
        var eps = StandardNormal(new long[] { count, Channels, Resolution, Resolution }, generator);
        var field = Filter(eps, _halfSpectrum.sqrt()) + _mean;
        return scope.MoveToOuter(field.to(ScalarType.Float32));
    }

    /// <summary>The covariance Σ as a dense <c>[n, n]</c> float64 matrix (n = C·R·R; for small grids and tests).</summary>
    public Tensor DenseCovariance()
    {
        using var scope = NewDisposeScope();
        long n = Dimension;
        var basis = eye(n, dtype: ScalarType.Float64, device: Device).reshape(n, Channels, Resolution, Resolution);
        return scope.MoveToOuter(Filter(basis, _halfSpectrum).reshape(n, n));
    }

    private protected override Tensor DenoiseCore(Tensor x, Tensor sigma2)
    {
        var s2 = sigma2.reshape(-1, 1, 1, 1);
        var ratio = where(s2 == 0, ones_like(_halfSpectrum), _halfSpectrum / (_halfSpectrum + s2));
        return Filter(x - _mean, ratio) + _mean;
    }

    private Tensor Filter(Tensor field, Tensor multiplier)
    {
        var spectrum = fft.rfft2(field, norm: FFTNormType.Ortho);
        return fft.irfft2(spectrum * multiplier, s: new long[] { Resolution, Resolution }, norm: FFTNormType.Ortho);
    }

    private static GaussianFieldPriorOptions CheckOptions(GaussianFieldPriorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        options.Validate(errors);
        if (errors.Count > 0) throw new ArgumentException("Invalid GaussianFieldPriorOptions: " + string.Join(" ", errors), nameof(options));
        return options;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _spectrum.Dispose();
        _halfSpectrum.Dispose();
    }
}
