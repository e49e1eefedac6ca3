using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Functional;

/// <summary>
/// sigpy's <c>sp.linop.FiniteDifference(ishape, axes=(-2, -1))</c> on images <c>[B, H, W]</c>: circular forward
/// differences <c>x − roll(x, 1, axis)</c> stacked as <c>[B, 2, H, W]</c>, and its adjoint.
/// </summary>
public static class FiniteDifference
{
    /// <summary><c>G x</c>: <c>[B, H, W]</c> → <c>[B, 2, H, W]</c> (differences along H, then W).</summary>
    /// <param name="x">Images (real or complex).</param>
    public static Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(stack([x - x.roll(1, -2), x - x.roll(1, -1)], 1));
    }

    /// <summary><c>Gᴴ v</c>: <c>[B, 2, H, W]</c> → <c>[B, H, W]</c>.</summary>
    /// <param name="v">Differences.</param>
    public static Tensor Adjoint(Tensor v)
    {
        ArgumentNullException.ThrowIfNull(v);
        using var scope = NewDisposeScope();
        var h = v[.., 0];
        var w = v[.., 1];
        return scope.MoveToOuter(h - h.roll(-1, -2) + (w - w.roll(-1, -1)));
    }
}
