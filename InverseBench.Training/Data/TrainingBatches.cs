using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Running;
using static TorchSharp.torch;

namespace InverseBench.Training.Data;

/// <summary>
/// The seeded data order of training: each epoch is a permutation of the dataset drawn from its own generator
/// (<see cref="SampleSeed.Derive"/>(seed, <c>"epoch-&lt;e&gt;"</c>)), cut into <c>⌊N / B⌋</c> batches (the reference's
/// <c>DataLoader(shuffle=True, drop_last=True)</c>). Step <c>s</c> always gets the same batch, whatever step training
/// started from, so a resumed run sees the data an uninterrupted run sees.
/// </summary>
public sealed class TrainingBatches
{
    private readonly IProblemDataset _data;
    private long _epoch = -1;
    private long[] _order = [];

    /// <summary>Creates the batch order.</summary>
    /// <param name="data">The training set (targets <c>[1, C, H, W]</c>).</param>
    /// <param name="batchSize">Images per batch; at most the dataset size.</param>
    /// <param name="seed">The run's seed.</param>
    public TrainingBatches(IProblemDataset data, int batchSize, long seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (data.Count < batchSize)
            throw new ArgumentException($"The training set holds {data.Count} images, fewer than one batch of {batchSize} (batches drop the last partial batch, as the reference's DataLoader).", nameof(data));
        _data = data;
        BatchSize = batchSize;
        Seed = seed;
        BatchesPerEpoch = data.Count / batchSize;
    }

    /// <summary>Images per batch.</summary>
    public int BatchSize { get; }

    /// <summary>The run's seed.</summary>
    public long Seed { get; }

    /// <summary>Full batches per epoch (<c>⌊N / B⌋</c>).</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The dataset indices of step <paramref name="step"/>'s batch.</summary>
    public long[] Indices(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        long epoch = step / BatchesPerEpoch;
        if (epoch != _epoch)
        {
            var generator = new Generator(SampleSeed.Derive(Seed, "epoch-" + epoch.ToString(CultureInfo.InvariantCulture)));
            using var perm = randperm(_data.Count, generator: generator);
            _order = perm.data<long>().ToArray();
            _epoch = epoch;
        }

        int start = (int)(step % BatchesPerEpoch) * BatchSize;
        return _order.AsSpan(start, BatchSize).ToArray();
    }

    /// <summary>The batch of step <paramref name="step"/>: <c>[B, C, H, W]</c> float32 on <paramref name="device"/>.</summary>
    public Tensor Batch(long step, Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        using var scope = NewDisposeScope();
        var items = Indices(step).Select(i => _data.GetTarget((int)i)).ToArray();
        return scope.MoveToOuter(cat(items, 0).to(ScalarType.Float32, device).contiguous());
    }
}
