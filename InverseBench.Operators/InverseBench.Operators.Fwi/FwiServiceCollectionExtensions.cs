using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Operators.Fwi.Data;
using InverseBench.Operators.Fwi.Evaluation;
using InverseBench.Operators.Fwi.Internal;
using InverseBench.Operators.Fwi;
using static TorchSharp.torch;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Dependency-injection registration of the <c>fwi</c> problem.</summary>
public static class FwiServiceCollectionExtensions
{
    /// <summary>
    /// Registers <c>fwi</c>: a <see cref="ProblemFactory"/> reading the reference's <c>model</c> keys (see
    /// <see cref="ReadOptions"/>), the LMDB test set from the <c>data</c> keys (see <see cref="DatasetOptions"/>), the synthetic
    /// layered/faulted velocity generator and <see cref="FwiEvaluator"/>. Idempotent.
    /// </summary>
    /// <remarks>For dependency injection the operator options are <see cref="FwiOptions"/> (bound from
    /// <c>InverseBench:Problems:fwi</c>, then <paramref name="configure"/>) and the test set's <see cref="LmdbDatasetOptions"/>
    /// (<c>InverseBench:Problems:fwi:Data</c>, then <paramref name="configureData"/>), validated when a run is created.</remarks>
    /// <param name="builder">The InverseBench builder.</param>
    /// <param name="configure">Changes the operator options (defaults: the reference's fwi.yaml).</param>
    /// <param name="configureData">Changes the LMDB test-set options.</param>
    public static IInverseBenchBuilder AddFwi(this IInverseBenchBuilder builder, Action<FwiOptions>? configure = null,
        Action<LmdbDatasetOptions>? configureData = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddLmdbProblemFactory<FwiOptions>(Factory, (o, device) => new FwiOperator(o, device), configure, o => o.Validate(),
            ApplyDatasetDefaults, configureData);
    }

    private static void ApplyDatasetDefaults(LmdbDatasetOptions o)
    {
        o.Root = FwiDefaults.DataRoot;
        o.Resolution = FwiDefaults.DataResolution;
        o.RawResolution = FwiDefaults.DataRawResolution;
        o.Mean = FwiDefaults.DataMean;
        o.Std = FwiDefaults.DataStd;
        o.IdList = FwiDefaults.DataIdList;
    }

    /// <summary>The config-driven factory of <c>fwi</c> (also used by the CLI).</summary>
    public static ProblemFactory Factory { get; } = new(
        FwiProblemNames.Fwi,
        (model, device) => new FwiOperator(ReadOptions(model), device),
        CreateDataset: (data, _) => new LmdbDataset(DatasetOptions(data)),
        CreateSyntheticDataset: CreateSynthetic,
        CreateEvaluator: _ => new FwiEvaluator());

    /// <summary>
    /// Reads operator options from a <c>model</c> section with the reference's keys: <c>shape</c> ([nx, nz]), <c>spacing</c>
    /// ([dx, dz] m), <c>tn</c>, <c>f0</c>, <c>dt</c>, <c>nbl</c>, <c>nshots</c>, <c>nreceivers</c>, <c>unnorm_scale</c>,
    /// <c>unnorm_shift</c>, <c>src_depth</c>, <c>rec_depth</c>, <c>fs</c>, <c>bcs</c> (only <c>damp</c>), <c>space_order</c>
    /// (only 4), <c>gc_threshold</c> (dask housekeeping, ignored), <c>sigma_noise</c>, <c>_target_</c> (ignored); and the port's
    /// <c>padding</c> (<c>edge</c> or <c>reference</c>), <c>padding_velocity</c>, <c>dtype</c> (float32/float64),
    /// <c>checkpoint_interval</c>, <c>wavefield_memory_budget</c>, <c>clamp_min</c>, <c>clamp_max</c>. Missing keys keep fwi.yaml's values.
    /// </summary>
    /// <exception cref="FormatException">A value has the wrong form (the message names the key).</exception>
    /// <exception cref="NotSupportedException"><c>bcs</c> or <c>space_order</c> asks for a scheme this port does not implement.</exception>
    public static FwiOptions ReadOptions(ConfigSection model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Raw("_target_");
        model.Raw("gc_threshold");
        var d = new FwiOptions();
        var shape = model.Get<int[]?>("shape", null) ?? [d.Nx, d.Nz];
        var spacing = model.Get<double[]?>("spacing", null) ?? [d.SpacingX, d.SpacingZ];
        if (shape.Length != 2) throw new FormatException($"Configuration key '{Qualify(model, "shape")}' must be [nx, nz]; got {shape.Length} values.");
        if (spacing.Length != 2) throw new FormatException($"Configuration key '{Qualify(model, "spacing")}' must be [dx, dz]; got {spacing.Length} values.");
        string bcs = model.Get("bcs", "damp");
        if (bcs != "damp") throw new NotSupportedException($"Configuration key '{Qualify(model, "bcs")}': only 'damp' absorbing layers are implemented; got '{bcs}'.");
        int order = model.Get("space_order", 4);
        if (order != 4) throw new NotSupportedException($"Configuration key '{Qualify(model, "space_order")}': only space order 4 is implemented; got {order}.");
        var o = new FwiOptions
        {
            Nx = shape[0],
            Nz = shape[1],
            SpacingX = spacing[0],
            SpacingZ = spacing[1],
            Tn = model.Get("tn", d.Tn),
            F0 = model.Get("f0", d.F0),
            Dt = model.Get("dt", d.Dt),
            Nbl = model.Get("nbl", d.Nbl),
            Shots = model.Get("nshots", d.Shots),
            Receivers = model.Get("nreceivers", d.Receivers),
            UnnormScale = model.Get("unnorm_scale", d.UnnormScale),
            UnnormShift = model.Get("unnorm_shift", d.UnnormShift),
            SourceDepth = model.Get("src_depth", d.SourceDepth),
            ReceiverDepth = model.Get("rec_depth", d.ReceiverDepth),
            FreeSurface = model.Get("fs", d.FreeSurface),
            SigmaNoise = model.Get("sigma_noise", d.SigmaNoise),
            PaddingVelocity = model.Get("padding_velocity", d.PaddingVelocity),
            CheckpointInterval = model.Get("checkpoint_interval", d.CheckpointInterval),
            WavefieldMemoryBudget = model.Get("wavefield_memory_budget", d.WavefieldMemoryBudget),
            ClampMin = model.Get("clamp_min", d.ClampMin),
            ClampMax = model.Get("clamp_max", d.ClampMax),
        };
        string padding = model.Get("padding", "edge").Trim().ToLowerInvariant();
        o.Padding = padding switch
        {
            "edge" => FwiPadding.Edge,
            "reference" or "constant" => FwiPadding.ReferenceConstant,
            _ => throw new FormatException($"Configuration key '{Qualify(model, "padding")}' must be 'edge' or 'reference'; got '{padding}'."),
        };
        string dtype = model.Get("dtype", "float32").Trim().ToLowerInvariant();
        if (dtype.StartsWith("torch.", StringComparison.Ordinal)) dtype = dtype["torch.".Length..];
        o.DType = dtype switch
        {
            "float32" or "float" => ScalarType.Float32,
            "float64" or "double" => ScalarType.Float64,
            _ => throw new FormatException($"Configuration key '{Qualify(model, "dtype")}' must be float32 or float64; got '{dtype}'."),
        };
        o.Validate();
        return o;
    }

    /// <summary>
    /// Reads the LMDB test-set settings from a <c>data</c> section with the reference's <c>LMDBData</c> keys (<c>root,
    /// resolution, raw_resolution, num_channels, norm, mean, std, id_list</c>); missing keys take fwi.yaml's values
    /// (<c>../data/fwi-test</c>, 128 from raw 70, mean 3000, std 500 ⇒ <c>(v − 3000)/1000</c> with v in m/s, ids 1-10).
    /// </summary>
    public static LmdbDatasetOptions DatasetOptions(ConfigSection data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var defaults = new LmdbDatasetOptions();
        ApplyDatasetDefaults(defaults);
        return LmdbDatasetOptions.FromConfig(data, defaults);
    }

    private static IProblemDataset CreateSynthetic(IForwardOperator forwardOperator, long seed, int count)
    {
        var shape = forwardOperator.SignalShape;
        if (shape.Count != 3 || shape[0] != 1)
            throw new NotSupportedException($"Synthetic velocity models are [1, Nz, Nx]; the operator's signal shape is [{string.Join(", ", shape)}].");
        return new SyntheticVelocityDataset(count, seed, (int)shape[1], (int)shape[2]);
    }

    private static string Qualify(ConfigSection section, string key) => section.Path.Length == 0 ? key : section.Path + "." + key;
}
