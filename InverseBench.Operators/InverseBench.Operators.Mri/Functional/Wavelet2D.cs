using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Functional;

/// <summary>
/// Multi-level separable 2-D discrete wavelet transform over the last two axes with pywt's conventions for
/// <c>pywt.wavedecn(x, 'db4', mode='zero')</c> — the transform of sigpy's <c>sp.linop.Wavelet</c> used by
/// <c>L1WaveletRecon</c>. Per axis and level: full convolution with the decomposition filter (zero extension), keeping the
/// odd-indexed outputs, so a length-N signal gives <c>⌊(N + L − 1)/2⌋</c> coefficients; the number of levels is pywt's
/// <c>dwt_max_level(min(H, W), L)</c> = <c>⌊log₂(min(H, W)/(L − 1))⌋</c>. Complex inputs are transformed part by part.
/// </summary>
/// <remarks>
/// The filters are orthonormal, so the analysis map is an isometry (<c>WᴴW = I</c>) and <see cref="Adjoint"/> is both its
/// adjoint and its left inverse (pywt's <c>waverecn</c> followed by a crop to the input size, as sigpy's inverse).
/// </remarks>
public static class Wavelet2D
{
    /// <summary>pywt's <c>Wavelet('db4').dec_lo</c> (Daubechies, 4 vanishing moments, 8 taps).</summary>
    public static readonly double[] Db4DecompositionLow =
    [
        -0.010597401785069032, 0.0328830116668852, 0.030841381835560764, -0.18703481171909309,
        -0.027983769416859854, 0.6308807679298589, 0.7148465705529157, 0.2303778133088965,
    ];

    /// <summary>pywt's <c>Wavelet('db4').dec_hi</c>: <c>dec_hi[k] = (−1)^(k+1)·dec_lo[L − 1 − k]</c>.</summary>
    public static double[] Db4DecompositionHigh { get; } =
        Enumerable.Range(0, 8).Select(k => (k % 2 == 0 ? -1.0 : 1.0) * Db4DecompositionLow[7 - k]).ToArray();

    /// <summary>pywt's default number of levels for a filter of <paramref name="filterLength"/> taps on <paramref name="length"/> samples.</summary>
    /// <param name="length">The shortest transformed axis.</param>
    /// <param name="filterLength">Filter taps (8 for db4).</param>
    public static int MaxLevel(long length, int filterLength = 8) =>
        length < filterLength - 1 ? 0 : (int)Math.Floor(Math.Log2(length / (double)(filterLength - 1)));

    /// <summary>
    /// The coefficients of <paramref name="x"/> (<c>[B, H, W]</c>, real or complex): per level (finest first) the three detail
    /// bands <c>[B, 3, h_l, w_l]</c> (<c>ad, da, dd</c> in pywt's key order), then the coarsest approximation <c>[B, h, w]</c>.
    /// </summary>
    /// <param name="x">Images.</param>
    /// <param name="levels">Number of levels; null uses <see cref="MaxLevel"/>.</param>
    public static WaveletCoefficients Forward(Tensor x, int? levels = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.dim() != 3) throw new ArgumentException($"Wavelet2D.Forward expects [B, H, W]; got [{string.Join(", ", x.shape)}].", nameof(x));
        int depth = levels ?? MaxLevel(Math.Min(x.shape[1], x.shape[2]));
        using var scope = NewDisposeScope();
        var details = new List<Tensor>(depth);
        var sizes = new List<(long H, long W)>(depth);
        var approximation = x;
        for (int level = 0; level < depth; level++)
        {
            sizes.Add((approximation.shape[1], approximation.shape[2]));
            var alongW = Analysis(approximation);                              // [B, H, 2, Wc]
            // [B, Wc, 2 (W band), H] → along H → [B, Wc, 2 (W band), 2 (H band), Hc] → [B, H band, W band, Hc, Wc]
            var both = Analysis(alongW.transpose(-1, -3)).permute(0, 3, 2, 4, 1);
            var bands = both.flatten(1, 2);                                             // [B, 4, Hc, Wc]: aa, ad, da, dd (pywt key order)
            approximation = bands[.., 0];
            details.Add(scope.MoveToOuter(bands[.., 1..].contiguous()));
        }

        return new WaveletCoefficients(details, scope.MoveToOuter(approximation.contiguous()), sizes);
    }

    /// <summary>The adjoint (and left inverse) of <see cref="Forward"/>: coefficients → images <c>[B, H, W]</c>.</summary>
    /// <param name="coefficients">Coefficients as <see cref="Forward"/> returns them.</param>
    public static Tensor Adjoint(WaveletCoefficients coefficients)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        using var scope = NewDisposeScope();
        var approximation = coefficients.Approximation;
        for (int level = coefficients.Details.Count - 1; level >= 0; level--)
        {
            var (h, w) = coefficients.Sizes[level];
            var bands = cat([approximation.unsqueeze(1), coefficients.Details[level]], 1);   // [B, 4, Hc, Wc]
            var both = bands.unflatten(1, [2, 2]).permute(0, 4, 2, 1, 3);                 // inverse of Forward's permutation
            var alongW = Synthesis(both, h).transpose(-1, -3);                   // [B, H, 2, Wc]
            approximation = Synthesis(alongW, w);
        }

        return scope.MoveToOuter(approximation.contiguous());
    }

    /// <summary>Complex soft thresholding <c>x·max(|x| − t, 0)/|x|</c> of every coefficient (sigpy <c>soft_thresh</c>).</summary>
    /// <param name="coefficients">Coefficients.</param>
    /// <param name="threshold">Threshold t ≥ 0.</param>
    public static WaveletCoefficients SoftThreshold(WaveletCoefficients coefficients, double threshold)
    {
        ArgumentNullException.ThrowIfNull(coefficients);
        return new WaveletCoefficients(coefficients.Details.Select(d => Shrink(d, threshold)).ToList(), Shrink(coefficients.Approximation, threshold), coefficients.Sizes);
    }

    /// <summary><c>x·max(|x| − t, 0)/|x|</c> elementwise (0 where x = 0), real or complex.</summary>
    /// <param name="x">Values.</param>
    /// <param name="threshold">Threshold t ≥ 0.</param>
    public static Tensor Shrink(Tensor x, double threshold)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var magnitude = x.abs();
        var factor = (magnitude - threshold).clamp_min(0) / magnitude.clamp_min(1e-300);
        return scope.MoveToOuter(x * factor);
    }

    /// <summary>
    /// The one-level analysis matrix for length <paramref name="n"/>: rows <c>0..Nc−1</c> low-pass, <c>Nc..2Nc−1</c> high-pass,
    /// <c>M[o, m] = h[2o + 1 − m]</c> (full convolution with zero extension, odd outputs).
    /// </summary>
    private static double[] AnalysisMatrix(long n, out long nc)
    {
        long outputs = (n + 7) / 2;
        nc = outputs;
        return AnalysisMatrices.GetOrAdd(n, length =>
        {
            var m = new double[2 * outputs * length];
            for (int band = 0; band < 2; band++)
            {
                var h = band == 0 ? Db4DecompositionLow : Db4DecompositionHigh;
                for (long o = 0; o < outputs; o++)
                {
                    for (int k = 0; k < h.Length; k++)
                    {
                        long col = 2 * o + 1 - k;
                        if (col >= 0 && col < length) m[((band * outputs) + o) * length + col] = h[k];
                    }
                }
            }

            return m;
        });
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<long, double[]> AnalysisMatrices = new();

    private static Tensor Matrix(long n, Tensor like, out long nc)
    {
        var values = AnalysisMatrix(n, out nc);
        return tensor(values, [2 * nc, n], dtype: ScalarType.Float64, device: like.device).to_type(like.dtype);
    }

    /// <summary>Along the last axis: <c>[.., N]</c> → <c>[.., 2, ⌊(N + 7)/2⌋]</c> (low, high).</summary>
    private static Tensor Analysis(Tensor x)
    {
        var m = Matrix(x.shape[^1], x, out long nc);
        var y = x.matmul(m.t());                                                   // [.., 2·Nc]
        return y.unflatten(y.dim() - 1, [2, nc]);
    }

    /// <summary>Adjoint of <see cref="Analysis"/>: <c>[.., 2, Nc]</c> → <c>[.., n]</c>.</summary>
    private static Tensor Synthesis(Tensor c, long n)
    {
        var m = Matrix(n, c, out long nc);
        if (c.shape[^1] != nc) throw new ArgumentException($"Wavelet coefficients of length {c.shape[^1]} do not belong to a signal of length {n} (expected {nc}).");
        return c.flatten(c.dim() - 2).matmul(m);
    }
}

/// <summary>
/// Coefficients of <see cref="Wavelet2D"/>: detail bands per level (finest first, each <c>[B, 3, h, w]</c>), the coarsest
/// approximation <c>[B, h, w]</c>, and the input size of every level (needed to invert). Not owning: the tensors follow the
/// caller's dispose scope.
/// </summary>
/// <param name="Details">Detail bands per level.</param>
/// <param name="Approximation">Coarsest approximation.</param>
/// <param name="Sizes">Input (H, W) of each level.</param>
public sealed record WaveletCoefficients(IReadOnlyList<Tensor> Details, Tensor Approximation, IReadOnlyList<(long H, long W)> Sizes)
{
    /// <summary><c>Σ |c|</c> over every coefficient of batch item <c>b</c>, <c>[B]</c> (the L1-wavelet penalty).</summary>
    public Tensor L1Norm()
    {
        using var scope = NewDisposeScope();
        var total = Approximation.abs().flatten(1).sum(1);
        foreach (var d in Details) total = total + d.abs().flatten(1).sum(1);
        return scope.MoveToOuter(total);
    }

    /// <summary><c>Σ |c|²</c> over every coefficient, <c>[B]</c>.</summary>
    public Tensor SquaredNorm()
    {
        using var scope = NewDisposeScope();
        var total = Approximation.abs().square().flatten(1).sum(1);
        foreach (var d in Details) total = total + d.abs().square().flatten(1).sum(1);
        return scope.MoveToOuter(total);
    }
}
