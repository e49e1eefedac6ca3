using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Operators.BlackHole.Data;
using InverseBench.Operators.BlackHole.Evaluation;
using InverseBench.Operators.BlackHole.Internal;
using InverseBench.Operators.BlackHole;
using static TorchSharp.torch;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Dependency-injection registration of the <c>blackhole</c> problem.</summary>
public static class BlackHoleServiceCollectionExtensions
{
    /// <summary>Accepted values of the reference's <c>ttype</c> key; all are computed with the exact direct DFT here.</summary>
    public static readonly IReadOnlyList<string> TransformTypes = ["nfft", "direct", "fast"];

    /// <summary>
    /// Registers <c>blackhole</c>: a <see cref="ProblemFactory"/> reading the reference's <c>model</c> keys (<c>root, imsize,
    /// observation_time_ratio, noise_type, w1..w4, sigma_noise, unnorm_scale, unnorm_shift, ref_flux, ttype</c>, plus
    /// <c>gain_offset, gainp</c> and the <c>synthetic_*</c> settings), the LMDB image set from the <c>data</c> keys (see
    /// <see cref="BlackHoleDatasetOptions.FromConfig"/>), synthetic crescents and <see cref="BlackHoleEvaluator"/>. Idempotent.
    /// </summary>
    /// <remarks>For dependency injection the operator options are <see cref="BlackHoleOptions"/> (bound from
    /// <c>InverseBench:Problems:blackhole</c>, then <paramref name="configure"/>, validated when a run is created) and the image
    /// set's <see cref="BlackHoleDatasetOptions"/> (<c>InverseBench:Problems:blackhole:Data</c>, then <paramref name="configureData"/>).</remarks>
    /// <param name="builder">The InverseBench builder.</param>
    /// <param name="configure">Changes the operator options (defaults: the reference's blackhole.yaml).</param>
    /// <param name="configureData">Changes the image-set options.</param>
    public static IInverseBenchBuilder AddBlackHole(this IInverseBenchBuilder builder, Action<BlackHoleOptions>? configure = null,
        Action<BlackHoleDatasetOptions>? configureData = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddProblemFactory<BlackHoleOptions, BlackHoleDatasetOptions>(Factory,
            (o, device) => new BlackHoleOperator(o, device), configure, o => o.Validate(),
            (d, _) => new BlackHoleDataset(d), _ => { }, configureData, _ => { }, d => d.Root);
    }

    /// <summary>The config-driven factory of <c>blackhole</c> (also used by the CLI).</summary>
    public static ProblemFactory Factory { get; } = new(
        BlackHoleDefaults.Name,
        CreateOperator,
        CreateDataset: (data, _) => new BlackHoleDataset(BlackHoleDatasetOptions.FromConfig(data)),
        CreateSyntheticDataset: CreateSynthetic,
        CreateEvaluator: op => new BlackHoleEvaluator(AsBlackHole(op)));

    /// <summary>Reads operator options from a <c>model</c> section with the reference's keys (missing keys keep the yaml defaults).</summary>
    /// <exception cref="FormatException">A value has the wrong type, or <c>ttype</c> is not nfft, direct or fast.</exception>
    public static BlackHoleOptions ReadOptions(ConfigSection model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var d = new BlackHoleOptions();
        string ttype = model.Get("ttype", "nfft");
        if (!TransformTypes.Contains(ttype))
            throw new FormatException($"Configuration key '{model.Path}.ttype' must be one of {string.Join(", ", TransformTypes)}; got '{ttype}'.");
        var options = new BlackHoleOptions
        {
            Root = model.Get<string?>("root", d.Root),
            ImageSize = model.Get("imsize", d.ImageSize),
            ObservationTimeRatio = model.Get("observation_time_ratio", d.ObservationTimeRatio),
            NoiseType = model.Get("noise_type", d.NoiseType),
            W1 = model.Get("w1", d.W1),
            W2 = model.Get("w2", d.W2),
            W3 = model.Get("w3", d.W3),
            W4 = model.Get("w4", d.W4),
            SigmaNoise = model.Get("sigma_noise", d.SigmaNoise),
            UnnormScale = model.Get("unnorm_scale", d.UnnormScale),
            UnnormShift = model.Get("unnorm_shift", d.UnnormShift),
            ReferenceFlux = model.Get<double?>("ref_flux", d.ReferenceFlux),
            GainOffset = model.Get("gain_offset", d.GainOffset),
            GainStd = model.Get("gainp", d.GainStd),
            SyntheticStations = model.Get<string[]?>("synthetic_stations", null),
            SyntheticScanIntervalSeconds = model.Get("synthetic_scan_interval", d.SyntheticScanIntervalSeconds),
            SyntheticIntegrationSeconds = model.Get("synthetic_integration_time", d.SyntheticIntegrationSeconds),
            SyntheticFieldOfViewMicroArcseconds = model.Get("synthetic_fov_uas", d.SyntheticFieldOfViewMicroArcseconds),
        };
        return options;
    }

    private static IForwardOperator CreateOperator(ConfigSection model, Device device) => new BlackHoleOperator(ReadOptions(model), device);

    private static IProblemDataset CreateSynthetic(IForwardOperator forwardOperator, long seed, int count)
    {
        var op = AsBlackHole(forwardOperator);
        return new SyntheticBlackHoleDataset(count, seed, op.Setup.Image.Height, op.Setup.Image.PixelSize);
    }

    private static BlackHoleOperator AsBlackHole(IForwardOperator forwardOperator) =>
        forwardOperator as BlackHoleOperator
        ?? throw new ArgumentException($"The blackhole evaluator and synthetic data need a {nameof(BlackHoleOperator)}; got {forwardOperator?.GetType().Name ?? "null"}.", nameof(forwardOperator));
}
