using InverseBench.Core.Fluent;
using InverseBench.Operators.ImageRestoration;
using InverseBench.Operators.ImageRestoration.Data;
using InverseBench.Operators.ImageRestoration.Evaluation;

namespace InverseBench.Core.Fluent;

/// <summary>
/// Fluent selection of the image-restoration problems, e.g. <c>.Problem(p =&gt; p.SuperResolution(o =&gt; o.ScaleFactor = 4))</c>.
/// Each uses the context's device, synthetic portraits (seeded by the context) as its test set and <see cref="ImageEvaluator"/>.
/// </summary>
public static class ImageRestorationProblemCatalogExtensions
{
    /// <summary>Number of synthetic portraits in the default test set (the reference's <c>id_list: 0-9</c>).</summary>
    public const int DefaultSyntheticCount = 10;

    /// <summary>Gaussian deblurring (<c>ffhq256_deblur</c>).</summary>
    public static ProblemSelection GaussianDeblur(this ProblemCatalog catalog, Action<GaussianBlurOptions>? configure = null) =>
        Select(catalog, configure, (o, c) => new GaussianBlurOperator(o, c.Device));

    /// <summary>Inpainting (<c>ffhq256_inpaint</c>; box mask of <c>np.random.seed(MaskSeed)</c>).</summary>
    public static ProblemSelection Inpainting(this ProblemCatalog catalog, Action<InpaintingOptions>? configure = null) =>
        Select(catalog, configure, (o, c) => new InpaintingOperator(o, c.Device));

    /// <summary>Super-resolution (<c>ffhq256_sr</c>).</summary>
    public static ProblemSelection SuperResolution(this ProblemCatalog catalog, Action<SuperResolutionOptions>? configure = null) =>
        Select(catalog, configure, (o, c) => new SuperResolutionOperator(o, c.Device));

    /// <summary>Fourier phase retrieval (<c>ffhq256_pr</c>).</summary>
    public static ProblemSelection PhaseRetrieval(this ProblemCatalog catalog, Action<PhaseRetrievalOptions>? configure = null) =>
        Select(catalog, configure, (o, c) => new PhaseRetrievalOperator(o, c.Device));

    /// <summary>Denoising (<c>ffhq256_denoise</c>).</summary>
    public static ProblemSelection Denoising(this ProblemCatalog catalog, Action<DenoiseOptions>? configure = null) =>
        Select(catalog, configure, (o, c) => new DenoiseOperator(o, c.Device));

    private static ProblemSelection Select<TOptions>(ProblemCatalog catalog, Action<TOptions>? configure, Func<TOptions, InverseBenchContext, ImageRestorationOperator> create)
        where TOptions : ImageRestorationOptions, new()
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var options = new TOptions();
        configure?.Invoke(options);
        options.Validate();
        var op = create(options, catalog.Context);
        var dataset = new SyntheticPortraitDataset(DefaultSyntheticCount, catalog.Context.Seed, options.Resolution, options.Channels);
        return new ProblemSelection(op, dataset, new ImageEvaluator());
    }
}
