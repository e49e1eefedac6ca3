using System.Globalization;
using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Data;

/// <summary>
/// Common part of the MRI test sets: addressable <see cref="MriSample"/>s, ids, and the hand-over of each sample's coil
/// maps and measured k-space to the operator when the run reads its target.
/// </summary>
/// <remarks>
/// The reference's operator is stateful: <c>MultiCoilMRI.__call__(data)</c> stores <c>data['maps']</c> and returns the
/// masked <c>data['kspace']</c>. The run engine reads one sample at a time (<see cref="GetTarget"/>, then
/// <c>Observe</c>, solve, evaluate), so <see cref="GetTarget"/> binds the sample into the operator given at construction
/// (<see cref="MultiCoilMriOperator.Bind"/>); <see cref="GetSample"/> never does.
/// </remarks>
public abstract class MriDatasetBase : IProblemDataset, IDisposable
{
    private readonly MultiCoilMriOperator? _operator;

    /// <summary>Initialises the binding.</summary>
    /// <param name="bindTo">The operator that receives each sample's maps and k-space from <see cref="GetTarget"/> (null: none).</param>
    protected MriDatasetBase(MultiCoilMriOperator? bindTo) => _operator = bindTo;

    /// <inheritdoc />
    public abstract int Count { get; }

    /// <summary>The reference's <c>id_list</c> entry of each sample, in order.</summary>
    public abstract IReadOnlyList<int> Ids { get; }

    /// <inheritdoc />
    public string GetId(int index)
    {
        CheckIndex(index);
        return Ids[index].ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Sample <paramref name="index"/> (a fresh object the caller disposes).</summary>
    /// <param name="index">Position in the set, <c>0 ≤ index &lt; Count</c>.</param>
    public abstract MriSample GetSample(int index);

    /// <summary>The scaled MVUE <c>[1, 2, H, W]</c> float32 of sample <paramref name="index"/>; binds the sample into the operator.</summary>
    public Tensor GetTarget(int index)
    {
        using var sample = GetSample(index);
        _operator?.Bind(sample);
        return sample.Target.clone();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases files the set holds open.</summary>
    /// <param name="disposing">True from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for an index outside <c>[0, Count)</c>.</summary>
    /// <param name="index">The index.</param>
    protected void CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
    }

    /// <summary>
    /// The reference's scaling: divides the MVUE and k-space by <c>quantile(|mvue|, 0.99)</c> and builds the sample; with
    /// <paramref name="simulatedKSpace"/> the k-space is replaced by <c>F(S·mvue_scaled)</c>.
    /// </summary>
    /// <param name="mvue">Unscaled MVUE <c>[H, W]</c> complex.</param>
    /// <param name="maps">Sensitivities <c>[C, H, W]</c> complex.</param>
    /// <param name="kspace">Unscaled k-space <c>[C, H, W]</c> complex, or null when <paramref name="simulatedKSpace"/>.</param>
    /// <param name="simulatedKSpace">Reference <c>simulated_kspace</c>.</param>
    /// <returns>A sample whose tensors belong to no dispose scope (dispose the sample).</returns>
    protected static MriSample Scaled(Tensor mvue, Tensor maps, Tensor? kspace, bool simulatedKSpace)
    {
        using var scope = NewDisposeScope();
        double scale = Functional.CoilCombination.Quantile(mvue.abs(), Internal.MriDefaults.ScalingQuantile);
        if (!(scale > 0) || !double.IsFinite(scale))
            throw new InvalidDataException($"The 99th percentile of |mvue| is {scale}; the sample cannot be scaled (empty or corrupt image).");
        var mvueScaled = mvue.to_type(ScalarType.ComplexFloat64) / scale;
        var m = maps.to_type(ScalarType.ComplexFloat64);
        Tensor k = simulatedKSpace || kspace is null
            ? Functional.CenteredFft.Forward(m * mvueScaled.unsqueeze(0))
            : kspace.to_type(ScalarType.ComplexFloat64) / scale;
        var target = MultiCoilMriOperator.ToChannels(mvueScaled.unsqueeze(0)).to_type(ScalarType.Float32);
        // The sample owns its tensors (disposed with it), so they leave every dispose scope.
        return new MriSample(
            target.DetachFromDisposeScope(),
            m.to_type(ScalarType.ComplexFloat32).DetachFromDisposeScope(),
            k.to_type(ScalarType.ComplexFloat32).DetachFromDisposeScope(),
            scale);
    }
}
