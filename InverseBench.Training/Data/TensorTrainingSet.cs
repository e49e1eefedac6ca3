using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Training.Data;

/// <summary>An in-memory training set over a tensor of images <c>[N, C, H, W]</c> (e.g. fields drawn once from a synthetic generator). It owns a copy of the tensor.</summary>
public sealed class TensorTrainingSet : IProblemDataset, IDisposable
{
    private readonly Tensor _images;

    /// <summary>Copies <paramref name="images"/> (real, finite, <c>[N, C, H, W]</c>) as float32.</summary>
    public TensorTrainingSet(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        TensorGuard.FloatingPoint(images, nameof(images));
        if (images.is_complex()) throw new ArgumentException($"images must be real; got {images.dtype}.", nameof(images));
        if (images.dim() != 4 || images.shape[0] < 1)
            throw new ArgumentException($"images must have shape [N, C, H, W] with N ≥ 1; got {TensorGuard.Format(images.shape)}.", nameof(images));
        TensorGuard.Finite(images, nameof(images));
        _images = images.detach().to(ScalarType.Float32).clone().DetachFromDisposeScope();
    }

    /// <summary>All images, <c>[N, C, H, W]</c> (the set's own tensor; do not dispose).</summary>
    public Tensor Images => _images;

    /// <inheritdoc />
    public int Count => (int)_images.shape[0];

    /// <inheritdoc />
    public string GetId(int index)
    {
        Check(index);
        return index.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public Tensor GetTarget(int index)
    {
        Check(index);
        return _images.narrow(0, index, 1).clone();
    }

    private void Check(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The training set has {Count} images.");
    }

    /// <inheritdoc />
    public void Dispose() => _images.Dispose();
}
