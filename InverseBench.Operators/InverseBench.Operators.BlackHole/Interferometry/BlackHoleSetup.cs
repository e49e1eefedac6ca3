namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>
/// The reference's <c>process_obs</c> + <c>get_index_matrix</c> result: the (time-subset) observation, its minimal closure
/// sets, the reference image regridded to the problem size, <c>multiplier = max(ref image)</c> (Jy/pixel) and
/// <c>σ = obs σ / multiplier</c> per visibility.
/// </summary>
public sealed class BlackHoleSetup
{
    /// <summary>Builds the setup from an observation and a reference image.</summary>
    /// <param name="observation">The full observation (before the time subset).</param>
    /// <param name="referenceImage">The reference image at its file resolution.</param>
    /// <param name="imageSize">Problem image side (reference <c>imsize</c>).</param>
    /// <param name="observationTimeRatio">Fraction of time stamps kept (reference <c>observation_time_ratio</c>).</param>
    /// <param name="referenceFlux">When set, the regridded reference image is rescaled to this total flux after the multiplier is taken (reference <c>ref_flux</c>).</param>
    public BlackHoleSetup(EhtObservation observation, ReferenceImage referenceImage, int imageSize, double observationTimeRatio = 1.0,
        double? referenceFlux = null)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(referenceImage);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageSize, 2);
        Observation = observation.SubsetByTimeRatio(observationTimeRatio);
        var image = referenceImage.Regrid(referenceImage.FieldOfViewX, imageSize);
        Multiplier = image.Max;
        if (!(Multiplier > 0)) throw new ArgumentException("The reference image has no positive pixel; its maximum sets the flux scale.", nameof(referenceImage));
        if (referenceFlux is { } flux)
        {
            double factor = flux / image.Flux;
            image = new ReferenceImage(image.Pixels.Select(p => p * factor).ToArray(), image.Height, image.Width, image.PixelSize);
        }

        Image = image;
        Sigma = Observation.Rows.Select(r => r.Sigma / Multiplier).ToArray();
        Closures = ClosureSets.Build(Observation);
        if (Closures.PhaseCount == 0)
            throw new ArgumentException("The observation has no closure triangle (it needs at least 3 stations observing at the same time).", nameof(observation));
    }

    /// <summary>The observation after the time subset.</summary>
    public EhtObservation Observation { get; }

    /// <summary>The reference image at the problem size (ehtim <c>regrid_image(fovx, imsize)</c>).</summary>
    public ReferenceImage Image { get; }

    /// <summary><c>max(ref image)</c> in Jy/pixel (reference <c>multiplier</c>): physical image = normalised image × multiplier.</summary>
    public double Multiplier { get; }

    /// <summary>Per-visibility σ in units of the multiplier (reference <c>self.sigma</c>).</summary>
    public double[] Sigma { get; }

    /// <summary>Minimal closure sets and index tables.</summary>
    public ClosureSets Closures { get; }

    /// <summary>
    /// Where the observation and reference image came from (files with SHA-256, a synthetic stand-in, or the caller);
    /// <see cref="FromFolder"/> and <see cref="BlackHoleOperator.CreateSetup"/> fill it in.
    /// </summary>
    public string Provenance { get; init; } = "observation and reference image given by the caller";

    /// <summary>Whether this is the synthetic EHT-2017 stand-in (<see cref="BlackHoleOperator.CreateSetup"/> without files).</summary>
    public bool IsSynthetic { get; init; }

    /// <summary>Reads <c>root/obs.uvfits</c> and <c>root/gt.fits</c> as the reference does.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    public static BlackHoleSetup FromFolder(string root, int imageSize, double observationTimeRatio = 1.0, double? referenceFlux = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        string obsFile = Path.Combine(root, "obs.uvfits"), imageFile = Path.Combine(root, "gt.fits");
        if (!File.Exists(obsFile)) throw new FileNotFoundException($"Black-hole observation not found: {obsFile} (expected root/obs.uvfits).", obsFile);
        if (!File.Exists(imageFile)) throw new FileNotFoundException($"Black-hole reference image not found: {imageFile} (expected root/gt.fits).", imageFile);
        return new BlackHoleSetup(UvfitsReader.Read(obsFile), ReferenceImage.ReadFits(imageFile), imageSize, observationTimeRatio, referenceFlux)
        {
            Provenance = $"{Core.Running.ProvenanceText.Of("observation", obsFile)}; {Core.Running.ProvenanceText.Of("reference image", imageFile)}",
        };
    }
}
