using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Evaluation.InverseScattering;
using InverseBench.Operators.InverseScattering.Data;
using InverseBench.Operators.InverseScattering.Internal;
using static TorchSharp.torch;

using InverseBench.Operators.InverseScattering;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Dependency-injection registration of the <c>inv-scatter</c> problem.</summary>
public static class InverseScatteringServiceCollectionExtensions
{
    /// <summary>
    /// Registers <c>inv-scatter</c>: a <see cref="ProblemFactory"/> reading the reference's <c>model</c> keys (<c>Lx, Ly, Nx, Ny,
    /// wave, numRec, numTrans, sensorRadius, sigma_noise, unnorm_shift, unnorm_scale, svd</c>, plus <c>svd_cache</c>), the
    /// LMDB test set from the <c>data</c> keys (see <see cref="DatasetOptions"/>), the synthetic cell-phantom generator and
    /// <see cref="InverseScatteringEvaluator"/>. Idempotent.
    /// </summary>
    /// <param name="builder">The InverseBench builder.</param>
    /// <param name="configure">Changes the operator options (bound first from <c>InverseBench:Problems:inv-scatter</c>).</param>
    /// <param name="configureData">Changes the LMDB test-set options (bound first from <c>InverseBench:Problems:inv-scatter:Data</c>).</param>
    public static IInverseBenchBuilder AddInverseScattering(this IInverseBenchBuilder builder, Action<InverseScatteringOptions>? configure = null,
        Action<LmdbDatasetOptions>? configureData = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddLmdbProblemFactory<InverseScatteringOptions>(Factory, (o, device) => new InverseScatteringOperator(o, device), configure, o => o.Validate(),
            ApplyDatasetDefaults, configureData);
    }

    private static void ApplyDatasetDefaults(LmdbDatasetOptions o)
    {
        o.Root = InverseScatteringDefaults.DataRoot;
        o.Resolution = InverseScatteringDefaults.Nx;
        o.Mean = InverseScatteringDefaults.DataMean;
        o.Std = InverseScatteringDefaults.DataStd;
        o.IdList = InverseScatteringDefaults.DataIdList;
    }

    /// <summary>The config-driven factory of <c>inv-scatter</c> (also used by the CLI).</summary>
    public static ProblemFactory Factory { get; } = new(
        InverseScatteringDefaults.Name,
        CreateOperator,
        CreateDataset: (data, _) => new LmdbDataset(DatasetOptions(data)),
        CreateSyntheticDataset: CreateSynthetic,
        CreateEvaluator: _ => new InverseScatteringEvaluator());

    /// <summary>Reads operator options from a <c>model</c> section with the reference's keys (missing keys keep the yaml defaults).</summary>
    public static InverseScatteringOptions ReadOptions(ConfigSection model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var d = new InverseScatteringOptions();
        return new InverseScatteringOptions
        {
            Lx = model.Get("Lx", d.Lx),
            Ly = model.Get("Ly", d.Ly),
            Nx = model.Get("Nx", d.Nx),
            Ny = model.Get("Ny", d.Ny),
            Wave = model.Get("wave", d.Wave),
            Receivers = model.Get("numRec", d.Receivers),
            Transmitters = model.Get("numTrans", d.Transmitters),
            SensorRadius = model.Get("sensorRadius", d.SensorRadius),
            SigmaNoise = model.Get("sigma_noise", d.SigmaNoise),
            UnnormShift = model.Get("unnorm_shift", d.UnnormShift),
            UnnormScale = model.Get("unnorm_scale", d.UnnormScale),
            SvdCacheDirectory = model.Get<string?>("svd_cache", d.SvdCacheDirectory),
        };
    }

    /// <summary>
    /// Reads the LMDB test-set settings from a <c>data</c> section with the reference's <c>LMDBData</c> keys (<c>root,
    /// resolution, raw_resolution, num_channels, norm, mean, std, id_list</c>); missing keys take inv-scatter.yaml's values
    /// (<c>../data/inv-scatter-test</c>, 128, mean 0.5, std 0.25 ⇒ <c>(x − 0.5)/0.5</c>, ids 0-99).
    /// </summary>
    public static LmdbDatasetOptions DatasetOptions(ConfigSection data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var defaults = new LmdbDatasetOptions();
        ApplyDatasetDefaults(defaults);
        return LmdbDatasetOptions.FromConfig(data, defaults);
    }

    private static IForwardOperator CreateOperator(ConfigSection model, Device device)
    {
        var options = ReadOptions(model);
        // Reference `svd: true` (constructor default) computes the SVD at construction; here it is lazy unless asked for.
        bool eager = model.Get("svd", false);
        var op = new InverseScatteringOperator(options, device);
        if (eager) _ = op.Factors;
        return op;
    }

    private static IProblemDataset CreateSynthetic(IForwardOperator forwardOperator, long seed, int count)
    {
        var shape = forwardOperator.SignalShape;
        if (shape.Count != 3 || shape[1] != shape[2])
            throw new NotSupportedException($"Synthetic cell phantoms are square; the operator's signal shape is [{string.Join(", ", shape)}].");
        return new SyntheticCellPhantomDataset(count, seed, (int)shape[1]);
    }
}
