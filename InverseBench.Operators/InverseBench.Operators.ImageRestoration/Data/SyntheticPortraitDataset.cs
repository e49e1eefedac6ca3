using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration.Data;

/// <summary>
/// Synthetic colour "portraits" standing in for FFHQ when no images are available (the embedded default and the CLI's
/// fallback): a vertical two-colour background gradient, a soft elliptical head of a skin-like colour with two darker
/// eyes and a mouth, and a low-frequency shading, all parameters drawn per sample; values in <c>[−1, 1]</c> like the
/// reference's <c>uint8/127.5 − 1</c>. Sample <c>i</c> is drawn from its own <see cref="Generator"/> seeded from
/// (seed, i), so any sample can be read alone and the set is reproducible. The images are smooth with a few sharp-ish
/// edges — enough structure for deblurring, inpainting, super-resolution and phase retrieval to be non-trivial — but
/// they are not faces; use real FFHQ images for benchmark numbers.
/// </summary>
public sealed class SyntheticPortraitDataset : IProblemDataset
{
    private readonly long _seed;

    /// <summary>Creates the set.</summary>
    /// <param name="count">Number of samples (≥ 1).</param>
    /// <param name="seed">Seed of the set.</param>
    /// <param name="resolution">Image side R (≥ 4).</param>
    /// <param name="channels">1 (greyscale: the channel mean) or 3 (RGB).</param>
    public SyntheticPortraitDataset(int count = 10, long seed = 0, int resolution = 256, int channels = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(resolution, 4);
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channels must be 1 or 3.");
        TorchRuntime.EnsureInitialized();
        Count = count;
        _seed = seed;
        Resolution = resolution;
        Channels = channels;
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <summary>Image side in pixels.</summary>
    public int Resolution { get; }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <inheritdoc />
    public string GetId(int index)
    {
        Check(index);
        return index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Sample <paramref name="index"/>, <c>[1, C, R, R]</c> float32 in <c>[−1, 1]</c>.</summary>
    public Tensor GetTarget(int index)
    {
        Check(index);
        using var scope = NewDisposeScope();
        var rgb = Portrait(Resolution, new Generator(unchecked((ulong)_seed * 1_000_003UL + (ulong)index)));
        var image = Channels == 3 ? rgb : rgb.mean([0L], keepdim: true);
        return scope.MoveToOuter((image * 2 - 1).to_type(ScalarType.Float32).unsqueeze(0));
    }

    /// <summary>One portrait in <c>[0, 1]</c>, <c>[3, R, R]</c> float64, every parameter drawn from <paramref name="generator"/>.</summary>
    public static Tensor Portrait(int resolution, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        double U(double lo, double hi) => lo + (hi - lo) * rand(1, dtype: ScalarType.Float64, generator: generator).item<double>();
        Tensor Colour(double lo, double hi) => tensor(new[] { U(lo, hi), U(lo, hi), U(lo, hi) }, dtype: ScalarType.Float64).reshape(3, 1, 1);
        var axis = linspace(-1, 1, resolution, dtype: ScalarType.Float64);
        var yy = axis.unsqueeze(1).expand(resolution, resolution);
        var xx = axis.unsqueeze(0).expand(resolution, resolution);
        double sharp = resolution / 8.0; // edge width of about 2 pixels of the image, whatever R
        Tensor Ellipse(double cx, double cy, double rx, double ry) =>
            ((1 - ((xx - cx) / rx).square() - ((yy - cy) / ry).square()) * sharp).sigmoid();

        // Background: vertical gradient between two colours.
        var top = Colour(0.1, 0.9);
        var bottom = Colour(0.1, 0.9);
        var t = ((yy + 1) / 2).unsqueeze(0);
        var image = top * (1 - t) + bottom * t;

        // Head and shoulders.
        double hx = U(-0.15, 0.15), hy = U(-0.2, 0.05), hr = U(0.35, 0.5);
        var skin = tensor(new[] { U(0.55, 0.95), U(0.4, 0.75), U(0.3, 0.6) }, dtype: ScalarType.Float64).reshape(3, 1, 1);
        var shoulders = Ellipse(hx, 1.05, U(0.6, 0.9), U(0.35, 0.5)).unsqueeze(0);
        image = image * (1 - shoulders) + Colour(0.05, 0.8) * shoulders;
        var head = Ellipse(hx, hy, hr * U(0.75, 0.9), hr).unsqueeze(0);
        var shading = 1 + 0.15 * ((xx - hx) * U(-1, 1) + (yy - hy) * U(-1, 1)).unsqueeze(0);
        image = image * (1 - head) + skin * shading * head;

        // Hair cap, eyes and mouth.
        var hair = (Ellipse(hx, hy - hr * 0.55, hr * 0.85, hr * 0.5) * (yy < hy - hr * 0.25).to_type(ScalarType.Float64)).unsqueeze(0);
        image = image * (1 - hair) + Colour(0.0, 0.5) * hair;
        double eyeY = hy - hr * 0.1, eyeDx = hr * U(0.28, 0.38), eyeR = hr * U(0.07, 0.11);
        var eyes = (Ellipse(hx - eyeDx, eyeY, eyeR * 1.3, eyeR) + Ellipse(hx + eyeDx, eyeY, eyeR * 1.3, eyeR)).clamp(0, 1).unsqueeze(0);
        image = image * (1 - eyes) + Colour(0.0, 0.35) * eyes;
        var mouth = Ellipse(hx, hy + hr * 0.5, hr * U(0.2, 0.35), hr * U(0.05, 0.09)).unsqueeze(0);
        image = image * (1 - mouth) + tensor(new[] { U(0.5, 0.8), U(0.1, 0.3), U(0.1, 0.3) }, dtype: ScalarType.Float64).reshape(3, 1, 1) * mouth;
        return scope.MoveToOuter(image.clamp(0, 1));
    }

    private void Check(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
    }
}
