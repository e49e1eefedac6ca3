using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration.Functional;

/// <summary>
/// torch's <c>ReflectionPad2d</c> ('reflect': the edge sample is not repeated, <c>c b | a b c d | c b</c>) as an index map,
/// with its exact adjoint (the padded borders are folded back and added onto the samples they copy).
/// </summary>
public static class ReflectionPadding
{
    /// <summary>
    /// Source index of every position of a length-<paramref name="length"/> signal padded by <paramref name="pad"/> on both
    /// sides: <c>[length + 2·pad]</c>. torch requires <c>pad &lt; length</c>.
    /// </summary>
    public static long[] SourceIndex(int length, int pad)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(pad);
        if (pad >= length)
            throw new ArgumentOutOfRangeException(nameof(pad), pad, $"Reflection padding of {pad} needs a signal longer than the padding (got {length}); torch's ReflectionPad2d requires pad < size.");
        var index = new long[length + 2 * pad];
        for (int i = 0; i < index.Length; i++)
        {
            int k = i - pad;
            if (k < 0) k = -k;
            else if (k >= length) k = 2 * (length - 1) - k;
            index[i] = k;
        }

        return index;
    }

    /// <summary>The adjoint of the reflection padding of the last two dimensions: <c>[.., H + 2p, W + 2p]</c> → <c>[.., H, W]</c>.</summary>
    /// <param name="padded">The padded-space tensor.</param>
    /// <param name="pad">The padding p on every side.</param>
    public static Tensor Adjoint(Tensor padded, int pad)
    {
        ArgumentNullException.ThrowIfNull(padded);
        if (padded.dim() < 2) throw new ArgumentException($"Expected at least 2 dimensions; got {padded.dim()}.", nameof(padded));
        using var scope = NewDisposeScope();
        int h = (int)padded.shape[^2] - 2 * pad, w = (int)padded.shape[^1] - 2 * pad;
        var rows = tensor(SourceIndex(h, pad), device: padded.device);
        var cols = tensor(SourceIndex(w, pad), device: padded.device);
        var shapeRows = padded.shape.ToArray();
        shapeRows[^2] = h;
        var folded = zeros(shapeRows, dtype: padded.dtype, device: padded.device).index_add_(-2, rows, padded, 1);
        var shapeCols = folded.shape.ToArray();
        shapeCols[^1] = w;
        return scope.MoveToOuter(zeros(shapeCols, dtype: padded.dtype, device: padded.device).index_add_(-1, cols, folded, 1));
    }
}
