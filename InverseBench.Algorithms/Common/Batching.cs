using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Common;

/// <summary>Batch-shape helpers shared by the solvers.</summary>
internal static class Batching
{
    /// <summary>The shape <c>[B, C, R, R]</c> of a batch of prior samples.</summary>
    public static long[] SignalBatch(IDiffusionPrior prior, int batch) => [batch, prior.Channels, prior.Resolution, prior.Resolution];

    /// <summary>
    /// The observation <c>[1, ..meas]</c> (or already <c>[B, ..meas]</c>) as a <c>[B, ..meas]</c> view, one copy per sample
    /// (the reference's <c>y.repeat(B, 1, 1, 1)</c>, for any measurement rank).
    /// </summary>
    /// <exception cref="ArgumentException">The observation's batch is neither 1 nor <paramref name="batch"/>.</exception>
    public static Tensor ExpandObservation(Tensor observation, long batch)
    {
        ArgumentNullException.ThrowIfNull(observation);
        long have = observation.shape[0];
        if (have == batch) return observation.alias();
        if (have != 1)
        {
            throw new ArgumentException(
                $"The observation has batch {have}; solvers take one observation ([1, ..]) and draw {batch} samples for it.", nameof(observation));
        }

        var shape = observation.shape.ToArray();
        shape[0] = batch;
        return observation.expand(shape);
    }

    /// <summary>A standard normal draw shaped and typed like <paramref name="like"/>, from <paramref name="generator"/>.</summary>
    public static Tensor RandnLike(Tensor like, Generator generator) =>
        randn(like.shape, dtype: like.dtype, device: like.device, generator: generator);

    /// <summary>A standard normal draw of <paramref name="shape"/>, from <paramref name="generator"/>.</summary>
    public static Tensor Randn(long[] shape, ScalarType dtype, Device device, Generator generator) =>
        randn(shape, dtype: dtype, device: device, generator: generator);

    /// <summary>Per-sample values <c>[B]</c> reshaped to broadcast against <c>[B, ..]</c> tensors of rank <paramref name="rank"/>.</summary>
    public static Tensor PerSample(Tensor values, int rank)
    {
        var shape = new long[rank];
        Array.Fill(shape, 1L);
        shape[0] = values.shape[0];
        return values.reshape(shape);
    }
}
