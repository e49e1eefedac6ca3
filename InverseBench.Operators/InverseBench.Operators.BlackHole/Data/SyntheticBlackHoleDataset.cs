using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using InverseBench.Operators.BlackHole.Interferometry;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole.Data;

/// <summary>
/// Synthetic black-hole images for when the reference's test set is not available (the embedded default): crescents
/// (<see cref="RingImages.Crescent"/>) with radius 15–25 µas, width (σ) 2–6 µas, asymmetry 0–0.9, random orientation and
/// offsets up to ±5 µas, on the operator's pixel grid, normalised like the reference's loader (<c>2·img/max − 1</c>).
/// Sample <c>i</c> is drawn from its own generator seeded from (seed, i). Targets are <c>[1, 1, n, n]</c> float32.
/// </summary>
public sealed class SyntheticBlackHoleDataset : IProblemDataset
{
    private readonly long _seed;

    /// <summary>Creates the set.</summary>
    /// <param name="count">Number of samples (≥ 1).</param>
    /// <param name="seed">Seed of the set.</param>
    /// <param name="resolution">Image side in pixels.</param>
    /// <param name="pixelSize">Pixel size in radians (the operator's <see cref="ReferenceImage.PixelSize"/>).</param>
    public SyntheticBlackHoleDataset(int count, long seed, int resolution, double pixelSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(resolution, 4);
        if (!(pixelSize > 0)) throw new ArgumentOutOfRangeException(nameof(pixelSize), pixelSize, "Pixel size must be positive.");
        TorchRuntime.EnsureInitialized();
        Count = count;
        _seed = seed;
        Resolution = resolution;
        PixelSize = pixelSize;
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <summary>Image side in pixels.</summary>
    public int Resolution { get; }

    /// <summary>Pixel size in radians.</summary>
    public double PixelSize { get; }

    /// <inheritdoc />
    public string GetId(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public Tensor GetTarget(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        using var scope = NewDisposeScope();
        var generator = new Generator(unchecked((ulong)_seed * 1_000_003UL + (ulong)index));
        double U(double lo, double hi) => lo + (hi - lo) * rand(1, ScalarType.Float64, generator: generator).item<double>();
        double uas = EhtConstants.RadiansPerMicroArcsecond;
        var pixels = RingImages.Crescent(Resolution, PixelSize, U(15, 25) * uas, U(2, 6) * uas, U(0, 0.9), U(0, 2 * Math.PI), 1.0,
            U(-5, 5) * uas, U(-5, 5) * uas);
        var image = tensor(pixels, [1, 1, Resolution, Resolution], ScalarType.Float64);
        return scope.MoveToOuter((2 * image / image.max() - 1).to_type(ScalarType.Float32));
    }
}
