using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.NavierStokes.Functional;

/// <summary>
/// Precomputed Fourier-space tables of the pseudo-spectral vorticity solver on the periodic square
/// <c>[0, L)²</c> with <c>R×R</c> points, in the half-spectrum layout of <c>rfft2</c> (<c>R × (R/2+1)</c>). Built once per
/// resolution, dtype and device and reused by every solve (reference <c>NavierStokes2d.__init__</c>).
/// </summary>
/// <remarks>
/// <para>First-derivative wavenumbers <c>k1 = [0..R/2−1, 0, −R/2+1..−1]</c> (Nyquist zeroed) along rows and
/// <c>k2 = [0..R/2−1, 0]</c> along columns; Laplacian wavenumbers <c>K1 = [0..R/2−1, −R/2..−1]</c>, <c>K2 = [0..R/2]</c>;
/// <c>G = (2π/L)²(K1² + K2²)</c>; <c>inv_lap = 1/G</c> with <c>inv_lap[0,0] = 1</c>; 2/3-rule mask
/// <c>K1² + K2² ≤ 2(R/3)²</c> with the mean mode removed.</para>
/// <para>The solver's per-step multiplications are fused into a few stacked complex multipliers so that one inverse FFT
/// produces the dealiased vorticity and both velocity components (and, when needed, the undealiased velocity for the
/// adaptive time step).</para>
/// </remarks>
public sealed class VorticitySpectralGrid : IDisposable
{
    private bool _disposed;

    /// <summary>Builds the tables.</summary>
    /// <param name="resolution">Grid points per side (even, ≥ 4).</param>
    /// <param name="length">Side length of the periodic domain (reference <c>L</c>, default 2π).</param>
    /// <param name="dtype">Real dtype of the solver: <c>float32</c> (reference default) or <c>float64</c>.</param>
    /// <param name="device">Device of the tables (CPU when null).</param>
    public VorticitySpectralGrid(int resolution, double length = 2 * Math.PI, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        if (resolution < 4 || resolution % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "The resolution must be an even number ≥ 4.");
        if (!double.IsFinite(length) || length <= 0)
            throw new ArgumentOutOfRangeException(nameof(length), length, "The domain length must be finite and positive.");
        if (dtype != ScalarType.Float32 && dtype != ScalarType.Float64)
            throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "The solver dtype must be Float32 or Float64.");
        Runtime();
        Resolution = resolution;
        Length = length;
        DType = dtype;
        ComplexType = dtype == ScalarType.Float32 ? ScalarType.ComplexFloat32 : ScalarType.ComplexFloat64;
        Device = device ?? CPU;

        using var scope = NewDisposeScope();
        int s = resolution, half = s / 2, cols = half + 1;
        var rowsDeriv = cat([arange(0, half, dtype: ScalarType.Float64), zeros(1, dtype: ScalarType.Float64),
            arange(-half + 1, 0, dtype: ScalarType.Float64)]);
        var colsDeriv = cat([arange(0, half, dtype: ScalarType.Float64), zeros(1, dtype: ScalarType.Float64)]);
        var rowsLap = cat([arange(0, half, dtype: ScalarType.Float64), arange(-half, 0, dtype: ScalarType.Float64)]);
        var colsLap = arange(0, cols, dtype: ScalarType.Float64);

        // Tables in the solver dtype, as the reference builds them (integers are exact in float32).
        var k1 = rowsDeriv.view(-1, 1).expand(s, cols).to(dtype, Device);
        var k2 = colsDeriv.view(1, -1).expand(s, cols).to(dtype, Device);
        var lk1 = rowsLap.view(-1, 1).expand(s, cols).to(dtype, Device);
        var lk2 = colsLap.view(1, -1).expand(s, cols).to(dtype, Device);
        double c = 4 * Math.PI * Math.PI / (length * length);
        var g = c * lk1.square() + c * lk2.square();
        var invLapBase = g.clone();
        invLapBase[0, 0] = tensor(1.0, dtype: dtype);
        var invLap = 1.0 / invLapBase;
        double threshold = (s / 3.0) * (s / 3.0) * 2;
        var dealias = (lk1.square() + lk2.square() <= threshold).to(dtype);
        dealias[0, 0] = tensor(0.0, dtype: dtype);

        double d = 2 * Math.PI / length;
        var i = torch.complex(zeros(1, dtype: dtype, device: Device), ones(1, dtype: dtype, device: Device)); // 1j
        var psi = invLap.to(ComplexType);
        var velocityX = i * d * k2 * psi;    //  ψ_y multiplier on ŵ
        var velocityY = -(i * d * k1) * psi; // −ψ_x multiplier on ŵ
        var dealiasC = dealias.to(ComplexType);

        K1 = scope.MoveToOuter(k1.contiguous());
        K2 = scope.MoveToOuter(k2.contiguous());
        NegativeLaplacian = scope.MoveToOuter(g.contiguous());
        InverseLaplacian = scope.MoveToOuter(invLap.contiguous());
        Dealias = scope.MoveToOuter(dealias.contiguous());
        PhysicalFields = scope.MoveToOuter(stack([dealiasC, dealiasC * velocityX, dealiasC * velocityY,
            velocityX, velocityY]).unsqueeze(1).contiguous());
        DealiasedFields = scope.MoveToOuter(PhysicalFields.narrow(0, 0, 3).contiguous());
        Divergence = scope.MoveToOuter(stack([-(i * d * k1), -(i * d * k2)]).unsqueeze(1).to(ComplexType).contiguous());
        Velocity = scope.MoveToOuter(stack([velocityX, velocityY]).unsqueeze(1).contiguous());
    }

    /// <summary>Grid points per side.</summary>
    public int Resolution { get; }

    /// <summary>Side length of the periodic domain.</summary>
    public double Length { get; }

    /// <summary>Real dtype of the solver.</summary>
    public ScalarType DType { get; }

    /// <summary>Complex dtype matching <see cref="DType"/>.</summary>
    public ScalarType ComplexType { get; }

    /// <summary>Device of the tables.</summary>
    public Device Device { get; }

    /// <summary>First-derivative wavenumbers along rows (Nyquist zeroed), <c>[R, R/2+1]</c>.</summary>
    public Tensor K1 { get; }

    /// <summary>First-derivative wavenumbers along columns (Nyquist zeroed), <c>[R, R/2+1]</c>.</summary>
    public Tensor K2 { get; }

    /// <summary>Symbol of the negative Laplacian, <c>G = (2π/L)²(K1² + K2²)</c>, <c>[R, R/2+1]</c>.</summary>
    public Tensor NegativeLaplacian { get; }

    /// <summary><c>1/G</c> with the mean mode set to 1, <c>[R, R/2+1]</c>.</summary>
    public Tensor InverseLaplacian { get; }

    /// <summary>2/3-rule dealiasing mask (0/1, mean mode 0), <c>[R, R/2+1]</c>.</summary>
    public Tensor Dealias { get; }

    /// <summary>
    /// Stacked complex multipliers <c>[5, 1, R, R/2+1]</c>: dealiased vorticity, dealiased velocity x and y, undealiased
    /// velocity x and y (each applied to <c>ŵ</c>).
    /// </summary>
    internal Tensor PhysicalFields { get; }

    /// <summary>The first three of <see cref="PhysicalFields"/>: dealiased vorticity, velocity x and y, <c>[3, 1, R, R/2+1]</c>.</summary>
    internal Tensor DealiasedFields { get; }

    /// <summary>Stacked complex multipliers <c>[2, 1, R, R/2+1]</c>: <c>−i(2π/L)k1</c>, <c>−i(2π/L)k2</c>.</summary>
    internal Tensor Divergence { get; }

    /// <summary>Stacked complex multipliers <c>[2, 1, R, R/2+1]</c> of the undealiased velocity.</summary>
    internal Tensor Velocity { get; }

    /// <summary>Throws <see cref="ObjectDisposedException"/> after disposal.</summary>
    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in new[] { K1, K2, NegativeLaplacian, InverseLaplacian, Dealias, PhysicalFields, DealiasedFields, Divergence, Velocity })
            t.Dispose();
    }

    private static void Runtime() => InverseBench.Core.Runtime.TorchRuntime.EnsureInitialized();
}
