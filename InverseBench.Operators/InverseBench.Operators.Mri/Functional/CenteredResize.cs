using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Functional;

/// <summary>
/// sigpy's <c>sp.resize(x, shape)</c>: centred crop and/or zero-pad of each axis. Per axis, with input length <c>i</c> and
/// output length <c>o</c>: <c>ishift = max(i//2 − o//2, 0)</c>, <c>oshift = max(o//2 − i//2, 0)</c>, and
/// <c>min(i − ishift, o − oshift)</c> elements are copied.
/// </summary>
public static class CenteredResize
{
    /// <summary>Resizes the trailing axes of <paramref name="x"/> to <paramref name="shape"/> (leading axes keep their size).</summary>
    /// <param name="x">Any tensor.</param>
    /// <param name="shape">The new sizes of the last <c>shape.Length</c> axes.</param>
    public static Tensor Apply(Tensor x, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length > x.dim()) throw new ArgumentException($"Cannot resize {x.dim()} axes to {shape.Length} sizes.", nameof(shape));
        using var scope = NewDisposeScope();
        int lead = (int)x.dim() - shape.Length;
        var outShape = x.shape.Take(lead).Concat(shape).ToArray();
        var output = zeros(outShape, dtype: x.dtype, device: x.device);
        var inIndex = new TensorIndex[x.dim()];
        var outIndex = new TensorIndex[x.dim()];
        for (int d = 0; d < x.dim(); d++)
        {
            if (d < lead)
            {
                inIndex[d] = TensorIndex.Colon;
                outIndex[d] = TensorIndex.Colon;
                continue;
            }

            long i = x.shape[d], o = outShape[d];
            long ishift = Math.Max(i / 2 - o / 2, 0), oshift = Math.Max(o / 2 - i / 2, 0);
            long copy = Math.Min(i - ishift, o - oshift);
            inIndex[d] = TensorIndex.Slice(ishift, ishift + copy);
            outIndex[d] = TensorIndex.Slice(oshift, oshift + copy);
        }

        output[outIndex] = x[inIndex];
        return scope.MoveToOuter(output);
    }
}
