using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using InverseBench.Operators.InverseScattering.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.InverseScattering.Data;

/// <summary>
/// Synthetic permittivity-contrast phantoms in the spirit of the reference's test set (CytoPacq HL60 cell nuclei, see its
/// <c>Dataset_Card.md</c>): 1–6 smooth, slightly textured elliptical cells of contrast 0.4–1 on a zero background, values
/// in <c>[0, 1]</c>, normalised as the reference's loader does (<c>(v − mean)/(2·std)</c> = <c>(v − 0.5)/0.5</c>). Sample
/// <c>i</c> is drawn from its own <see cref="Generator"/> seeded from (seed, i), so any sample can be read alone and the
/// set is reproducible. For when the real LMDB test set is not available (the embedded default).
/// </summary>
public sealed class SyntheticCellPhantomDataset : IProblemDataset
{
    private readonly long _seed;

    /// <summary>Creates a phantom set.</summary>
    /// <param name="count">Number of samples (≥ 1).</param>
    /// <param name="seed">Seed of the set.</param>
    /// <param name="resolution">Image side in pixels (the reference uses 128).</param>
    public SyntheticCellPhantomDataset(int count = 100, long seed = 0, int resolution = InverseScatteringDefaults.Nx)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(resolution, 8);
        TorchRuntime.EnsureInitialized();
        Count = count;
        _seed = seed;
        Resolution = resolution;
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <summary>Image side in pixels.</summary>
    public int Resolution { get; }

    /// <inheritdoc />
    public string GetId(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Sample <paramref name="index"/>, normalised, <c>[1, 1, N, N]</c> float32 in <c>[−1, 1]</c>.</summary>
    public Tensor GetTarget(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        using var scope = NewDisposeScope();
        var contrast = Phantom(Resolution, new Generator(unchecked((ulong)_seed * 1_000_003UL + (ulong)index)));
        var normalised = (contrast - InverseScatteringDefaults.DataMean) / (2 * InverseScatteringDefaults.DataStd);
        return scope.MoveToOuter(normalised.to_type(ScalarType.Float32).reshape(1, 1, Resolution, Resolution));
    }

    /// <summary>
    /// One phantom in physical units, <c>[N, N]</c> float64 in <c>[0, 1]</c>: the pixelwise maximum of 1–6 cells
    /// <c>a·σ((1 − ρ)/w)·(1 + texture)</c> with ρ the rotated elliptical radius, all parameters drawn from
    /// <paramref name="generator"/>.
    /// </summary>
    public static Tensor Phantom(int resolution, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        double U(double lo, double hi) => lo + (hi - lo) * rand(1, dtype: ScalarType.Float64, generator: generator).item<double>();
        var axis = linspace(-1, 1, resolution, dtype: ScalarType.Float64);
        var yy = axis.unsqueeze(1).expand(resolution, resolution);
        var xx = axis.unsqueeze(0).expand(resolution, resolution);
        int cells = (int)randint(1, 7, [1], generator: generator).item<long>();
        var image = zeros([resolution, resolution], dtype: ScalarType.Float64);
        for (int c = 0; c < cells; c++)
        {
            double cx = U(-0.6, 0.6), cy = U(-0.6, 0.6);
            double ra = U(0.1, 0.3), rb = ra * U(0.6, 1.0), angle = U(0, Math.PI);
            double amplitude = U(0.4, 1.0), softness = U(0.04, 0.12);
            double cos = Math.Cos(angle), sin = Math.Sin(angle);
            var u = ((xx - cx) * cos + (yy - cy) * sin) / ra;
            var v = (-(xx - cx) * sin + (yy - cy) * cos) / rb;
            var rho = (u.square() + v.square()).sqrt();
            var body = ((1 - rho) / softness).sigmoid();
            // Low-frequency texture of the nucleus (±10 %).
            double fx = U(1, 4), fy = U(1, 4), phase = U(0, 2 * Math.PI);
            var texture = 1 + 0.1 * (fx * u + fy * v + phase).sin();
            image = maximum(image, amplitude * body * texture);
        }

        return scope.MoveToOuter(image.clamp(0, 1));
    }
}
