using InverseBench.Core.Runtime;
using InverseBench.Operators.Mri.Functional;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Data;

/// <summary>
/// Synthetic multi-coil brain-like phantoms for when the fastMRI data are absent (the embedded default of
/// <c>inversebench run problem=multi-coil-mri-knee</c> on a fresh machine). Each image is a complex MVUE-like slice:
/// a smooth-edged elliptical head (thin bright scalp ring, darker skull gap, textured parenchyma), two ventricles and
/// 1–3 Gaussian lesions, times a smooth random phase <c>exp(i(a·x + b·y + c·(x² + y²)))</c>; the coil maps are
/// <see cref="CoilMaps.Analytic"/> (Gaussian fall-off around a ring, unit sum of squares). Images are scaled by the 99th
/// percentile of their magnitude, as the reference's loader does, and the k-space is simulated (<c>F(S·x)</c>), so the
/// observation of a sample equals the forward model of its target. Sample <c>i</c> draws from its own
/// <see cref="Generator"/> seeded from (seed, i): any sample can be read alone and the set is reproducible.
/// </summary>
public sealed class SyntheticBrainPhantomDataset : MriDatasetBase
{
    private readonly long _seed;
    private readonly int[] _ids;

    /// <summary>Creates a phantom set.</summary>
    /// <param name="count">Number of samples (≥ 1).</param>
    /// <param name="seed">Seed of the set.</param>
    /// <param name="height">Image height H (≥ 8).</param>
    /// <param name="width">Image width W (≥ 8).</param>
    /// <param name="coils">Number of coils C (≥ 1).</param>
    /// <param name="bindTo">Operator that receives each sample's maps when its target is read (null: none).</param>
    public SyntheticBrainPhantomDataset(int count, long seed, int height, int width, int coils, MultiCoilMriOperator? bindTo = null)
        : base(bindTo)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(coils, 1);
        TorchRuntime.EnsureInitialized();
        _seed = seed;
        _ids = Enumerable.Range(0, count).ToArray();
        Height = height;
        Width = width;
        Coils = coils;
    }

    /// <summary>A phantom set matching an operator's size and coil count, bound to it.</summary>
    /// <param name="forwardOperator">The operator.</param>
    /// <param name="count">Number of samples.</param>
    /// <param name="seed">Seed of the set.</param>
    public SyntheticBrainPhantomDataset(MultiCoilMriOperator forwardOperator, int count, long seed)
        : this(count, seed, (forwardOperator ?? throw new ArgumentNullException(nameof(forwardOperator))).Height, forwardOperator.Width, forwardOperator.Coils, forwardOperator)
    {
    }

    /// <inheritdoc />
    public override int Count => _ids.Length;

    /// <inheritdoc />
    public override IReadOnlyList<int> Ids => _ids;

    /// <summary>Image height H.</summary>
    public int Height { get; }

    /// <summary>Image width W.</summary>
    public int Width { get; }

    /// <summary>Number of coils C.</summary>
    public int Coils { get; }

    /// <inheritdoc />
    public override MriSample GetSample(int index)
    {
        CheckIndex(index);
        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)_seed * 1_000_003UL + (ulong)index));
        var image = Phantom(Height, Width, generator);
        var maps = CoilMaps.Analytic(Coils, Height, Width);
        var sample = Scaled(image, maps, null, simulatedKSpace: true);
        return sample;
    }

    /// <summary>
    /// One unscaled complex phantom <c>[H, W]</c> complex128 (magnitude in <c>[0, ~1]</c>), all random parameters drawn from
    /// <paramref name="generator"/>.
    /// </summary>
    /// <param name="height">Image height.</param>
    /// <param name="width">Image width.</param>
    /// <param name="generator">Source of the random parameters.</param>
    public static Tensor Phantom(int height, int width, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        double U(double lo, double hi) => lo + (hi - lo) * rand(1, dtype: ScalarType.Float64, generator: generator).item<double>();
        var y = linspace(-1, 1, height, dtype: ScalarType.Float64).unsqueeze(1).expand(height, width);
        var x = linspace(-1, 1, width, dtype: ScalarType.Float64).unsqueeze(0).expand(height, width);
        const double edge = 0.03;
        Tensor Ellipse(double cx, double cy, double a, double b, double angle)
        {
            double c = Math.Cos(angle), s = Math.Sin(angle);
            var u = ((x - cx) * c + (y - cy) * s) / a;
            var v = (-(x - cx) * s + (y - cy) * c) / b;
            return ((1 - (u.square() + v.square()).sqrt()) / edge).sigmoid();
        }

        double headA = U(0.62, 0.74), headB = U(0.78, 0.9), tilt = U(-0.15, 0.15), ox = U(-0.05, 0.05), oy = U(-0.05, 0.05);
        var scalp = Ellipse(ox, oy, headA, headB, tilt);
        var skull = Ellipse(ox, oy, headA - 0.05, headB - 0.05, tilt);
        var brain = Ellipse(ox, oy, headA - 0.09, headB - 0.09, tilt);
        double fx = U(4, 9), fy = U(4, 9), phase0 = U(0, 2 * Math.PI);
        var texture = 0.75 + 0.08 * (fx * x + phase0).sin() * (fy * y).cos();
        var magnitude = 0.9 * (scalp - skull) + 0.15 * (skull - brain) + texture * brain;
        for (int side = -1; side <= 1; side += 2)
        {
            var ventricle = Ellipse(ox + side * U(0.08, 0.14), oy + U(-0.1, 0.05), U(0.05, 0.09), U(0.15, 0.25), side * U(0.1, 0.4));
            magnitude = magnitude - 0.5 * ventricle * brain;
        }

        int lesions = (int)randint(1, 4, [1], generator: generator).item<long>();
        for (int l = 0; l < lesions; l++)
        {
            double lx = ox + U(-0.4, 0.4), ly = oy + U(-0.5, 0.5), r = U(0.04, 0.1), amplitude = U(-0.25, 0.3);
            magnitude = magnitude + amplitude * brain * (-((x - lx).square() + (y - ly).square()) / (2 * r * r)).exp();
        }

        var phase = U(-1, 1) * x + U(-1, 1) * y + U(-0.5, 0.5) * (x.square() + y.square());
        return scope.MoveToOuter(polar(magnitude.clamp_min(0), phase));
    }
}
