using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration.Internal;

/// <summary>
/// The SVD of a separable per-channel image map <c>Y = B X Bᵀ</c> with a 1-D factor <c>B = U_b S_b V_bᵀ</c>
/// (<c>[m, n]</c>, m ≤ n, full SVD): <c>A = (U_b ⊗ U_b)(S_b ⊗ S_b)(V_b ⊗ V_b)ᵀ</c> on every channel. Coefficients are
/// <c>[B, C·n·n]</c> in the order (channel, row, column) of <c>V_bᵀ X V_b</c>; the singular value of coefficient
/// (c, i, j) is <c>s_i·s_j</c> for i, j &lt; m and 0 otherwise (the n − m unobserved directions per axis). Measurements
/// <c>[B, C, m, m]</c> map to the top-left <c>m×m</c> block of that coefficient grid. All factors are float64.
/// </summary>
internal sealed class SeparableSvd : IDisposable
{
    private readonly Tensor _left;        // U_b [m, m]
    private readonly Tensor _rightT;      // V_bᵀ [n, n]
    private readonly Tensor _singular;    // [C·n·n]
    private readonly Tensor _mask;        // [C·n·n] float32 0/1

    /// <summary>Decomposes the 1-D factor.</summary>
    /// <param name="factor">B, <c>[m, n]</c> with m ≤ n (any floating dtype; decomposed in float64).</param>
    /// <param name="channels">Number of image channels C.</param>
    /// <param name="threshold">Per-axis singular values ≤ this are treated as unobserved (the mask), as DDRM's
    /// <c>Deblurring</c> does with its <c>ZERO</c>; 0 keeps every non-zero direction.</param>
    /// <param name="device">Device of the factors.</param>
    public SeparableSvd(Tensor factor, int channels, double threshold, Device device)
    {
        ArgumentNullException.ThrowIfNull(factor);
        if (factor.dim() != 2 || factor.shape[0] > factor.shape[1])
            throw new ArgumentException($"The 1-D factor must be [m, n] with m <= n; got [{string.Join(", ", factor.shape)}].", nameof(factor));
        Rows = factor.shape[0];
        Columns = factor.shape[1];
        Channels = channels;
        using var scope = NewDisposeScope();
        var (u, s, vh) = linalg.svd(factor.to(device).to_type(ScalarType.Float64), fullMatrices: true);
        long m = Rows, n = Columns;
        var grid = zeros([n, n], dtype: ScalarType.Float64, device: device);
        grid[TensorIndex.Slice(0, m), TensorIndex.Slice(0, m)] = outer(s, s);
        var keep = zeros([n], dtype: ScalarType.Float64, device: device);
        keep[TensorIndex.Slice(0, m)] = (s > threshold).to_type(ScalarType.Float64);
        var observed = outer(keep, keep) * (grid != 0).to_type(ScalarType.Float64);
        _left = scope.MoveToOuter(u.contiguous()).DetachFromDisposeScope();
        _rightT = scope.MoveToOuter(vh.contiguous()).DetachFromDisposeScope();
        _singular = scope.MoveToOuter(grid.repeat(channels, 1, 1).reshape(-1).contiguous()).DetachFromDisposeScope();
        _mask = scope.MoveToOuter(observed.repeat(channels, 1, 1).reshape(-1).to_type(ScalarType.Float32)).DetachFromDisposeScope();
    }

    /// <summary>m (measurement side).</summary>
    public long Rows { get; }

    /// <summary>n (signal side).</summary>
    public long Columns { get; }

    /// <summary>C.</summary>
    public int Channels { get; }

    /// <summary>Singular values <c>[C·n·n]</c> float64 (owned).</summary>
    public Tensor SingularValues => _singular;

    /// <summary>Observed-direction mask <c>[C·n·n]</c> float32 (owned).</summary>
    public Tensor ObservedMask => _mask;

    /// <summary><c>V_bᵀ X V_b</c> per channel: <c>[B, C, n, n]</c> → <c>[B, C·n·n]</c> float64.</summary>
    public Tensor Vt(Tensor signal)
    {
        using var scope = NewDisposeScope();
        var x = signal.to(_rightT.device).to_type(ScalarType.Float64);
        var z = matmul(matmul(_rightT, x), _rightT.t());
        return scope.MoveToOuter(z.reshape(signal.shape[0], -1));
    }

    /// <summary><c>V_b Z V_bᵀ</c>: <c>[B, C·n·n]</c> → <c>[B, C, n, n]</c> float64.</summary>
    public Tensor V(Tensor coefficients)
    {
        using var scope = NewDisposeScope();
        var z = coefficients.to(_rightT.device).to_type(ScalarType.Float64).reshape(coefficients.shape[0], Channels, Columns, Columns);
        return scope.MoveToOuter(matmul(matmul(_rightT.t(), z), _rightT));
    }

    /// <summary><c>U_bᵀ Y U_b</c> zero-padded to the coefficient grid: <c>[B, C, m, m]</c> → <c>[B, C·n·n]</c> float64.</summary>
    public Tensor Ut(Tensor measurement)
    {
        using var scope = NewDisposeScope();
        var y = measurement.to(_left.device).to_type(ScalarType.Float64);
        var small = matmul(matmul(_left.t(), y), _left);
        var grid = nn.functional.pad(small, [0, Columns - Rows, 0, Columns - Rows]);
        return scope.MoveToOuter(grid.reshape(measurement.shape[0], -1));
    }

    /// <summary><c>U_b Z U_bᵀ</c> of the top-left block: <c>[B, C·n·n]</c> → <c>[B, C, m, m]</c> float64.</summary>
    public Tensor U(Tensor coefficients)
    {
        using var scope = NewDisposeScope();
        var z = coefficients.to(_left.device).to_type(ScalarType.Float64).reshape(coefficients.shape[0], Channels, Columns, Columns);
        var block = z[TensorIndex.Ellipsis, TensorIndex.Slice(0, Rows), TensorIndex.Slice(0, Rows)];
        return scope.MoveToOuter(matmul(matmul(_left, block), _left.t()));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _left.Dispose();
        _rightT.Dispose();
        _singular.Dispose();
        _mask.Dispose();
    }
}
