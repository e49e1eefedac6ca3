using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Operators.ImageRestoration.Data;
using InverseBench.Operators.ImageRestoration.Evaluation;
using InverseBench.Operators.ImageRestoration;
using static TorchSharp.torch;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Dependency-injection registration of the FFHQ-256 image-restoration problems.</summary>
public static class ImageRestorationServiceCollectionExtensions
{
    /// <summary>
    /// Registers <c>ffhq256_deblur</c>, <c>ffhq256_inpaint</c>, <c>ffhq256_sr</c>, <c>ffhq256_pr</c> and
    /// <c>ffhq256_denoise</c>: <see cref="ProblemFactory"/>s reading the reference's <c>model</c> keys (see each
    /// <c>Read…Options</c>), the <see cref="ImageFolderDataset"/> from the <c>data</c> keys, the
    /// <see cref="SyntheticPortraitDataset"/> generator and <see cref="ImageEvaluator"/>. Idempotent.
    /// </summary>
    /// <remarks>For dependency injection each problem has named, validated operator options of its own type, bound from
    /// <c>InverseBench:Problems:&lt;name&gt;</c> and changeable with the standard named-options API, e.g.
    /// <c>services.Configure&lt;InpaintingOptions&gt;("ffhq256_inpaint", o =&gt; o.Resolution = 64)</c>; the image folder's
    /// <see cref="ImageFolderOptions"/> bind from <c>InverseBench:Problems:&lt;name&gt;:Data</c>, then <paramref name="configureData"/>.</remarks>
    /// <param name="builder">The InverseBench builder.</param>
    /// <param name="configureData">Changes the image-folder options of every image-restoration problem.</param>
    public static IInverseBenchBuilder AddImageRestoration(this IInverseBenchBuilder builder, Action<ImageFolderOptions>? configureData = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Add<GaussianBlurOptions>(builder, Factories[0], (o, d) => new GaussianBlurOperator(o, d), configureData);
        Add<InpaintingOptions>(builder, Factories[1], (o, d) => new InpaintingOperator(o, d), configureData);
        Add<SuperResolutionOptions>(builder, Factories[2], (o, d) => new SuperResolutionOperator(o, d), configureData);
        Add<PhaseRetrievalOptions>(builder, Factories[3], (o, d) => new PhaseRetrievalOperator(o, d), configureData);
        Add<DenoiseOptions>(builder, Factories[4], (o, d) => new DenoiseOperator(o, d), configureData);
        return builder;
    }

    private static void Add<TOptions>(IInverseBenchBuilder builder, ProblemFactory factory, Func<TOptions, Device, IForwardOperator> create,
        Action<ImageFolderOptions>? configureData)
        where TOptions : ImageRestorationOptions =>
        builder.AddProblemFactory<TOptions, ImageFolderOptions>(factory, create, null, o => o.Validate(),
            (d, op) => CreateDataset(d, op), _ => { }, configureData, _ => { }, d => d.Root);

    /// <summary>The config-driven factories, one per problem (also used by the CLI).</summary>
    public static IReadOnlyList<ProblemFactory> Factories { get; } =
    [
        Factory(ImageRestorationProblemNames.Deblur, (m, d) => new GaussianBlurOperator(ReadBlurOptions(m), d)),
        Factory(ImageRestorationProblemNames.Inpaint, (m, d) => new InpaintingOperator(ReadInpaintingOptions(m), d)),
        Factory(ImageRestorationProblemNames.SuperResolution, (m, d) => new SuperResolutionOperator(ReadSuperResolutionOptions(m), d)),
        Factory(ImageRestorationProblemNames.PhaseRetrieval, (m, d) => new PhaseRetrievalOperator(ReadPhaseRetrievalOptions(m), d)),
        Factory(ImageRestorationProblemNames.Denoise, (m, d) => new DenoiseOperator(ReadCommon(m, new DenoiseOptions()), d)),
    ];

    /// <summary>Blur options from a <c>model</c> section: <c>sigma_noise, intensity, kernel_size</c>, plus <c>resolution, num_channels, svd_threshold</c>.</summary>
    public static GaussianBlurOptions ReadBlurOptions(ConfigSection model)
    {
        var o = ReadCommon(model, new GaussianBlurOptions());
        o.KernelSize = model.Get("kernel_size", o.KernelSize);
        o.Intensity = model.Get("intensity", o.Intensity);
        o.SvdThreshold = model.Get("svd_threshold", o.SvdThreshold);
        return o;
    }

    /// <summary>
    /// Inpainting options from a <c>model</c> section: <c>sigma_noise, mask_type, mask_len_range, mask_prob_range,
    /// resolution</c>, plus <c>mask_seed, num_channels</c>.
    /// </summary>
    public static InpaintingOptions ReadInpaintingOptions(ConfigSection model)
    {
        var o = ReadCommon(model, new InpaintingOptions());
        o.MaskType = model.Get("mask_type", o.MaskType);
        var lengths = model.Get("mask_len_range", new[] { o.MaskLengthLow, o.MaskLengthHigh });
        var probabilities = model.Get("mask_prob_range", new[] { o.MaskProbabilityLow, o.MaskProbabilityHigh });
        if (lengths.Length != 2) throw new FormatException($"Configuration key '{model.Path}.mask_len_range' must be [low, high]; got {lengths.Length} values.");
        if (probabilities.Length != 2) throw new FormatException($"Configuration key '{model.Path}.mask_prob_range' must be [low, high]; got {probabilities.Length} values.");
        (o.MaskLengthLow, o.MaskLengthHigh) = (lengths[0], lengths[1]);
        (o.MaskProbabilityLow, o.MaskProbabilityHigh) = (probabilities[0], probabilities[1]);
        o.MaskSeed = model.Get("mask_seed", o.MaskSeed);
        return o;
    }

    /// <summary>Super-resolution options: <c>sigma_noise, scale_factor, in_resolution</c>, plus <c>num_channels, svd_threshold</c>.</summary>
    public static SuperResolutionOptions ReadSuperResolutionOptions(ConfigSection model)
    {
        var o = ReadCommon(model, new SuperResolutionOptions(), resolutionKey: "in_resolution");
        o.ScaleFactor = model.Get("scale_factor", o.ScaleFactor);
        o.SvdThreshold = model.Get("svd_threshold", o.SvdThreshold);
        return o;
    }

    /// <summary>Phase-retrieval options: <c>sigma_noise, oversample, resolution</c>, plus <c>num_channels</c>.</summary>
    public static PhaseRetrievalOptions ReadPhaseRetrievalOptions(ConfigSection model)
    {
        var o = ReadCommon(model, new PhaseRetrievalOptions());
        o.Oversample = model.Get("oversample", o.Oversample);
        return o;
    }

    /// <summary>The image-folder settings of a <c>data</c> section (see <see cref="ImageFolderOptions.FromConfig"/>).</summary>
    public static ImageFolderOptions DatasetOptions(ConfigSection data) => ImageFolderOptions.FromConfig(data);

    private static T ReadCommon<T>(ConfigSection model, T options, string resolutionKey = "resolution")
        where T : ImageRestorationOptions
    {
        ArgumentNullException.ThrowIfNull(model);
        options.Resolution = model.Get(resolutionKey, options.Resolution);
        options.Channels = model.Get("num_channels", options.Channels);
        options.SigmaNoise = model.Get("sigma_noise", options.SigmaNoise);
        options.UnnormShift = model.Get("unnorm_shift", options.UnnormShift);
        options.UnnormScale = model.Get("unnorm_scale", options.UnnormScale);
        return options;
    }

    private static ProblemFactory Factory(string name, Func<ConfigSection, Device, IForwardOperator> create) => new(
        name,
        create,
        CreateDataset: CreateDataset,
        CreateSyntheticDataset: CreateSynthetic,
        CreateEvaluator: CreateEvaluator);

    /// <summary>
    /// The evaluator of the CLI/DI path: PSNR and SSIM, plus LPIPS when converted weights exist at
    /// <see cref="LpipsMetric.DefaultWeightsPath"/> (<c>checkpoints/lpips_vgg16.pt</c>, see <see cref="LpipsMetric"/>).
    /// </summary>
    private static ImageEvaluator CreateEvaluator(IForwardOperator forwardOperator) =>
        new(lpips: File.Exists(LpipsMetric.DefaultWeightsPath) ? new LpipsMetric(LpipsMetric.DefaultWeightsPath, forwardOperator.Device) : null);

    private static IProblemDataset CreateDataset(ConfigSection data, IForwardOperator forwardOperator) =>
        CreateDataset(DatasetOptions(data), forwardOperator);

    private static IProblemDataset CreateDataset(ImageFolderOptions options, IForwardOperator forwardOperator)
    {
        // Absent data first (the CLI then draws synthetic images at the operator's size); a size mismatch only matters for real files.
        if (!Directory.Exists(options.Root))
            throw new DirectoryNotFoundException($"The image folder '{Path.GetFullPath(options.Root)}' (problem.data.root) does not exist.");
        var shape = forwardOperator.SignalShape;
        if (options.Resolution != shape[^1] || options.Channels != shape[0])
        {
            throw new ArgumentException(
                $"problem.data (resolution {options.Resolution}, num_channels {options.Channels}) does not match the operator's images [{string.Join(", ", shape)}] (problem.model resolution/in_resolution and num_channels).");
        }

        return new ImageFolderDataset(options);
    }

    private static IProblemDataset CreateSynthetic(IForwardOperator forwardOperator, long seed, int count)
    {
        var shape = forwardOperator.SignalShape;
        if (shape.Count != 3 || shape[1] != shape[2])
            throw new NotSupportedException($"Synthetic portraits are square images; the operator's signal shape is [{string.Join(", ", shape)}].");
        return new SyntheticPortraitDataset(count, seed, (int)shape[1], (int)shape[0]);
    }
}
