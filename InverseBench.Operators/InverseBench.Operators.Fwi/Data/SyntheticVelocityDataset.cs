using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using InverseBench.Operators.Fwi.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.Fwi.Data;

/// <summary>
/// Synthetic layered and faulted velocity models in the spirit of OpenFWI CurveFault (the reference's test set), for when
/// the LMDB data are absent. Sample <c>i</c> is drawn from its own <see cref="Generator"/> seeded from (seed, i), so any
/// sample can be read alone and the set is reproducible.
/// </summary>
/// <remarks>
/// <para>Recipe (coordinates normalised to depth ζ = z/(H−1), lateral ξ = x/(W−1), both in [0, 1]):</para>
/// <list type="number">
/// <item>L ∈ {3, 4, 5, 6} layers (uniform); L − 1 interface depths drawn uniformly in [0.08, 0.95] and sorted.</item>
/// <item>All interfaces share one curvature: <c>ζ_k(ξ) = d_k + a·sin(2π·ξ/λ + φ)</c>, a ∈ [0, 0.06], λ ∈ [0.7, 2], φ ∈ [0, 2π).</item>
/// <item>Layer velocities: L draws uniform in [1.5, 4.5] km/s sorted ascending (velocity grows with depth, as in CurveFault).</item>
/// <item>One planar fault through (ξ0 ∈ [0.2, 0.8], ζ = 0), dip angle θ ∈ [−35°, 35°] from vertical; on the side ξ &gt;
/// ξ0 + ζ·tan θ the interfaces are shifted down by the throw t ∈ [−0.12, 0.12].</item>
/// <item>The velocity of a point is that of the layer it lies in (number of shifted interfaces above it); the map is then
/// normalised like the LMDB loader, <c>(1000·v − mean)/(2·std)</c> with mean 3000 m/s, std 500 m/s, i.e. <c>v − 3</c>.</item>
/// </list>
/// </remarks>
public sealed class SyntheticVelocityDataset : IProblemDataset
{
    private readonly long _seed;

    /// <summary>Creates a synthetic set.</summary>
    /// <param name="count">Number of samples (≥ 1).</param>
    /// <param name="seed">Seed of the set.</param>
    /// <param name="nz">Rows (depth) of each model.</param>
    /// <param name="nx">Columns of each model.</param>
    public SyntheticVelocityDataset(int count = 10, long seed = 0, int nz = FwiDefaults.Nz, int nx = FwiDefaults.Nx)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(nz, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(nx, 4);
        TorchRuntime.EnsureInitialized();
        Count = count;
        _seed = seed;
        Nz = nz;
        Nx = nx;
    }

    /// <inheritdoc />
    public int Count { get; }

    /// <summary>Rows (depth) of each model.</summary>
    public int Nz { get; }

    /// <summary>Columns of each model.</summary>
    public int Nx { get; }

    /// <inheritdoc />
    public string GetId(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Sample <paramref name="index"/>, normalised (<c>v − 3</c>), <c>[1, 1, Nz, Nx]</c> float32 in <c>[−1.5, 1.5]</c>.</summary>
    public Tensor GetTarget(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)_seed * 1_000_003UL + (ulong)index + 17UL));
        var velocity = Velocity(Nz, Nx, generator);
        var normalised = (velocity * 1000.0 - FwiDefaults.DataMean) / (2 * FwiDefaults.DataStd);
        return scope.MoveToOuter(normalised.to_type(ScalarType.Float32).reshape(1, 1, Nz, Nx));
    }

    /// <summary>One velocity model in km/s, <c>[Nz, Nx]</c> float64 in [1.5, 4.5], drawn from <paramref name="generator"/> (see the remarks).</summary>
    public static Tensor Velocity(int nz, int nx, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        double U(double lo, double hi) => lo + (hi - lo) * rand(1, dtype: ScalarType.Float64, generator: generator).item<double>();
        int layers = (int)randint(3, 7, [1], generator: generator).item<long>();
        var depths = Enumerable.Range(0, layers - 1).Select(_ => U(0.08, 0.95)).Order().ToArray();
        var velocities = Enumerable.Range(0, layers).Select(_ => U(1.5, 4.5)).Order().ToArray();
        double amplitude = U(0, 0.06), wavelength = U(0.7, 2.0), phase = U(0, 2 * Math.PI);
        double faultX = U(0.2, 0.8), dip = U(-35, 35) * Math.PI / 180, throwDepth = U(-0.12, 0.12);

        var zeta = linspace(0, 1, nz, dtype: ScalarType.Float64).view(nz, 1);
        var xi = linspace(0, 1, nx, dtype: ScalarType.Float64).view(1, nx);
        var curve = amplitude * (2 * Math.PI * xi / wavelength + phase).sin();           // [1, Nx]
        var hanging = (xi > faultX + zeta * Math.Tan(dip)).to_type(ScalarType.Float64);  // [Nz, Nx]
        var layer = zeros([nz, nx], ScalarType.Int64);
        foreach (double d in depths) layer += (zeta >= d + curve + throwDepth * hanging).to_type(ScalarType.Int64);
        var table = tensor(velocities, ScalarType.Float64);
        return scope.MoveToOuter(table.index_select(0, layer.flatten()).view(nz, nx));
    }
}
