using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Operators.Mri.Baselines;
using InverseBench.Operators.Mri.Data;
using InverseBench.Operators.Mri.Evaluation;
using InverseBench.Operators.Mri.Internal;
using InverseBench.Operators.Mri;
using static TorchSharp.torch;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Dependency-injection registration of the multi-coil MRI problems.</summary>
public static class MriServiceCollectionExtensions
{
    /// <summary>
    /// Registers <c>multi-coil-mri-knee</c>, <c>multi-coil-mri-brain</c> (fastMRI HDF5 volumes, <see cref="FastMriDataset"/>)
    /// and <c>multi-coil-mri-knee-lmdb</c> (<see cref="MriLmdbDataset"/>), each with the operator from the reference's
    /// <c>model</c> keys (see <see cref="ReadOptions"/>), the synthetic brain phantoms for when the data are absent and
    /// <see cref="MriEvaluator"/>, plus the MRI baseline solvers <c>cs_mri</c>, <c>csgm_mri</c> and <c>score_mri</c>
    /// (<see cref="MriBaselineRegistration"/>). Idempotent.
    /// </summary>
    /// <remarks>For dependency injection each problem has named, validated <see cref="MultiCoilMriOptions"/> (bound from
    /// <c>InverseBench:Problems:&lt;name&gt;</c>, then <paramref name="configure"/>) and <see cref="MriDataOptions"/>
    /// (<c>InverseBench:Problems:&lt;name&gt;:Data</c>, then <paramref name="configureData"/>).</remarks>
    /// <param name="builder">The InverseBench builder.</param>
    /// <param name="configure">Changes the operator options of every MRI problem (defaults: the reference's configs).</param>
    /// <param name="configureData">Changes the data options of every MRI problem.</param>
    public static IInverseBenchBuilder AddMri(this IInverseBenchBuilder builder, Action<MultiCoilMriOptions>? configure = null,
        Action<MriDataOptions>? configureData = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Add(builder, KneeFactory, MriDefaults.Coils, MriDefaults.KneeRoot, (d, op) => new FastMriDataset(d, AsMri(op)), configure, configureData);
        Add(builder, BrainFactory, 16, MriDefaults.BrainRoot, (d, op) => new FastMriDataset(d, AsMri(op)), configure, configureData);
        Add(builder, KneeLmdbFactory, MriDefaults.Coils, MriDefaults.LmdbRoot, (d, op) => new MriLmdbDataset(d, AsMri(op)), configure, configureData);
        builder.AddMriBaselines();
        return builder;
    }

    private static void Add(IInverseBenchBuilder builder, ProblemFactory factory, int coils, string root,
        Func<MriDataOptions, IForwardOperator, IProblemDataset> open, Action<MultiCoilMriOptions>? configure, Action<MriDataOptions>? configureData) =>
        builder.AddProblemFactory<MultiCoilMriOptions, MriDataOptions>(factory, (o, device) => new MultiCoilMriOperator(o, device),
            configure, o => o.Validate(), open, d => d.Root = root, configureData, _ => { }, d => d.Root, modelDefaults: o => o.Coils = coils);

    /// <summary>The config-driven factory of <c>multi-coil-mri-knee</c>.</summary>
    public static ProblemFactory KneeFactory { get; } = Hdf5Factory(MriProblemNames.Knee, MriDefaults.KneeRoot, MriDefaults.Coils);

    /// <summary>The config-driven factory of <c>multi-coil-mri-brain</c> (16 coils unless <c>num_coils</c> says otherwise).</summary>
    public static ProblemFactory BrainFactory { get; } = Hdf5Factory(MriProblemNames.Brain, MriDefaults.BrainRoot, 16);

    /// <summary>The config-driven factory of <c>multi-coil-mri-knee-lmdb</c>.</summary>
    public static ProblemFactory KneeLmdbFactory { get; } = new(
        MriProblemNames.KneeLmdb,
        (model, device) => new MultiCoilMriOperator(ReadOptions(model, MriDefaults.Coils), device),
        CreateDataset: (data, op) => new MriLmdbDataset(MriDataOptions.FromConfig(data, MriDefaults.LmdbRoot), AsMri(op)),
        CreateSyntheticDataset: Synthetic,
        CreateEvaluator: op => new MriEvaluator(op));

    /// <summary>
    /// Reads operator options from a <c>model</c> section with the reference's keys (<c>total_lines, acceleration_ratio,
    /// pattern, orientation, mask_fname, mask_seed, sigma_noise</c>; <c>_target_</c> and <c>device</c> are accepted) plus the
    /// port's <c>image_size</c> (<c>[H, W]</c>, default <c>[320, 320]</c>) and <c>num_coils</c>.
    /// </summary>
    /// <param name="model">The <c>model</c> section.</param>
    /// <param name="defaultCoils">Coil count when <c>num_coils</c> is absent.</param>
    public static MultiCoilMriOptions ReadOptions(ConfigSection model, int defaultCoils = MriDefaults.Coils)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Raw("_target_");
        model.Raw("device");
        int[] size = model.Get("image_size", new[] { MriDefaults.Height, MriDefaults.Width });
        if (size.Length != 2) throw new FormatException($"Configuration key '{model.Path}.image_size' must be [H, W]; got {size.Length} values.");
        var d = new MultiCoilMriOptions();
        return new MultiCoilMriOptions
        {
            Height = size[0],
            Width = size[1],
            Coils = model.Get("num_coils", defaultCoils),
            TotalLines = model.Get("total_lines", d.TotalLines),
            AccelerationRatio = model.Get("acceleration_ratio", d.AccelerationRatio),
            Pattern = model.Get("pattern", d.Pattern),
            Orientation = model.Get("orientation", d.Orientation),
            MaskFile = model.Get<string?>("mask_fname", null),
            MaskSeed = model.Get("mask_seed", d.MaskSeed),
            SigmaNoise = model.Get("sigma_noise", d.SigmaNoise),
        };
    }

    private static ProblemFactory Hdf5Factory(string name, string root, int coils) => new(
        name,
        (model, device) => new MultiCoilMriOperator(ReadOptions(model, coils), device),
        CreateDataset: (data, op) => new FastMriDataset(MriDataOptions.FromConfig(data, root), AsMri(op)),
        CreateSyntheticDataset: Synthetic,
        CreateEvaluator: op => new MriEvaluator(op));

    private static IProblemDataset Synthetic(IForwardOperator op, long seed, int count) => new SyntheticBrainPhantomDataset(AsMri(op), count, seed);

    private static MultiCoilMriOperator AsMri(IForwardOperator op) =>
        op as MultiCoilMriOperator ?? throw new ArgumentException($"The MRI datasets need a {nameof(MultiCoilMriOperator)}; got {op?.GetType().Name ?? "null"}.", nameof(op));
}
