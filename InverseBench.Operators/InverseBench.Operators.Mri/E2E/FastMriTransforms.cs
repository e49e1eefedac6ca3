using InverseBench.Core.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.E2E;

/// <summary>
/// The complex-as-last-axis helpers of the <c>fastmri</c> package (0.3.0) that the reference's <c>models/e2e/varnet.py</c>
/// calls: tensors hold complex values as a trailing axis of size 2 (<c>[.., H, W, 2]</c>, real then imaginary).
/// </summary>
public static class FastMriTransforms
{
    private static readonly long[] ImageAxes = [-3, -2];
    private static readonly long[] ComplexAxes = [-2, -1];

    /// <summary>
    /// <c>fastmri.fft2c</c>: centred orthonormal 2-D FFT, <c>fftshift(fft2(ifftshift(x)))</c> over the two axes before the
    /// complex axis. <c>[.., H, W, 2]</c> → <c>[.., H, W, 2]</c>.
    /// </summary>
    /// <param name="data">Real tensor with a trailing complex axis of size 2.</param>
    public static Tensor Fft2c(Tensor data) => Transform(data, inverse: false);

    /// <summary><c>fastmri.ifft2c</c>: <c>fftshift(ifft2(ifftshift(x)))</c>, orthonormal; <c>[.., H, W, 2]</c> → <c>[.., H, W, 2]</c>.</summary>
    /// <param name="data">Real tensor with a trailing complex axis of size 2.</param>
    public static Tensor Ifft2c(Tensor data) => Transform(data, inverse: true);

    /// <summary><c>fastmri.complex_mul</c>: the complex product of two real-layout tensors (broadcasting as PyTorch).</summary>
    /// <param name="x">Real-layout complex tensor <c>[.., 2]</c>.</param>
    /// <param name="y">Real-layout complex tensor <c>[.., 2]</c>.</param>
    public static Tensor ComplexMul(Tensor x, Tensor y)
    {
        RequireComplexAxis(x, nameof(x));
        RequireComplexAxis(y, nameof(y));
        using var scope = NewDisposeScope();
        var (xr, xi) = (x[TensorIndex.Ellipsis, 0], x[TensorIndex.Ellipsis, 1]);
        var (yr, yi) = (y[TensorIndex.Ellipsis, 0], y[TensorIndex.Ellipsis, 1]);
        return scope.MoveToOuter(stack([xr * yr - xi * yi, xr * yi + xi * yr], -1));
    }

    /// <summary><c>fastmri.complex_conj</c>: negates the imaginary part of a real-layout tensor.</summary>
    /// <param name="x">Real-layout complex tensor <c>[.., 2]</c>.</param>
    public static Tensor ComplexConj(Tensor x)
    {
        RequireComplexAxis(x, nameof(x));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(stack([x[TensorIndex.Ellipsis, 0], -x[TensorIndex.Ellipsis, 1]], -1));
    }

    /// <summary><c>fastmri.complex_abs</c>: <c>sqrt(re² + im²)</c>; <c>[.., 2]</c> → <c>[..]</c>.</summary>
    /// <param name="x">Real-layout complex tensor <c>[.., 2]</c>.</param>
    public static Tensor ComplexAbs(Tensor x)
    {
        RequireComplexAxis(x, nameof(x));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(x.square().sum(-1).sqrt());
    }

    /// <summary><c>fastmri.rss</c>: root sum of squares along <paramref name="dim"/> of a real tensor.</summary>
    /// <param name="x">Real tensor.</param>
    /// <param name="dim">The coil axis.</param>
    public static Tensor Rss(Tensor x, long dim)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(x.square().sum(dim).sqrt());
    }

    /// <summary><c>fastmri.rss_complex</c>: root sum of squared magnitudes along <paramref name="dim"/>; the complex axis is consumed.</summary>
    /// <param name="x">Real-layout complex tensor <c>[.., 2]</c>.</param>
    /// <param name="dim">The coil axis.</param>
    public static Tensor RssComplex(Tensor x, long dim)
    {
        RequireComplexAxis(x, nameof(x));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(x.square().sum(-1).sum(dim).sqrt());
    }

    /// <summary>
    /// <c>fastmri.data.transforms.batched_mask_center</c>: keeps columns <c>[from_b, to_b)</c> (axis 3 of <c>[B, C, H, W, 2]</c>)
    /// and zeroes the others; one range for the whole batch or one per batch item.
    /// </summary>
    /// <param name="x">k-space <c>[B, C, H, W, 2]</c>.</param>
    /// <param name="from">First kept column per range (one range, or one per batch item).</param>
    /// <param name="to">End (exclusive) of each kept range.</param>
    public static Tensor BatchedMaskCenter(Tensor x, IReadOnlyList<long> from, IReadOnlyList<long> to)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (x.dim() != 5) throw new ArgumentException($"Expected k-space [B, C, H, W, 2]; got {TensorGuard.Format(x.shape)}.", nameof(x));
        if (from.Count != to.Count) throw new ArgumentException($"mask_from and mask_to must have the same length; got {from.Count} and {to.Count}.", nameof(to));
        if (from.Count != 1 && from.Count != x.shape[0])
            throw new ArgumentException($"mask_from has {from.Count} ranges; expected 1 or the batch size {x.shape[0]}.", nameof(from));
        using var scope = NewDisposeScope();
        var keep = zeros([from.Count, 1, 1, x.shape[3], 1], dtype: x.dtype, device: x.device);
        for (int i = 0; i < from.Count; i++)
        {
            long start = Math.Clamp(from[i], 0, x.shape[3]), end = Math.Clamp(to[i], 0, x.shape[3]);
            if (end > start) keep[i, TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(start, end)] = 1;
        }

        return scope.MoveToOuter(x * keep);
    }

    private static Tensor Transform(Tensor data, bool inverse)
    {
        RequireComplexAxis(data, nameof(data));
        if (data.dim() < 3) throw new ArgumentException($"Expected [.., H, W, 2]; got {TensorGuard.Format(data.shape)}.", nameof(data));
        using var scope = NewDisposeScope();
        var shifted = view_as_complex(fft.ifftshift(data, ImageAxes).contiguous());
        var transformed = inverse
            ? fft.ifftn(shifted, dim: ComplexAxes, norm: FFTNormType.Ortho)
            : fft.fftn(shifted, dim: ComplexAxes, norm: FFTNormType.Ortho);
        return scope.MoveToOuter(fft.fftshift(view_as_real(transformed), ImageAxes));
    }

    private static void RequireComplexAxis(Tensor x, string name)
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (x.is_complex() || x.dim() < 1 || x.shape[^1] != 2)
            throw new ArgumentException($"{name} must be a real tensor with a trailing complex axis of size 2 ([.., 2]); got {TensorGuard.Format(x.shape)} {x.dtype}.", name);
    }
}
