using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Functional;

/// <summary>
/// Coil combinations of the reference's <c>training/dataset.py</c> <c>MultiCoilMRIData</c>: the minimum-variance unbiased
/// estimate (<c>get_mvue</c>), the root-sum-of-squares image (<c>get_rss</c>) and the 99th-percentile scaling
/// (<c>normalize</c>).
/// </summary>
public static class CoilCombination
{
    /// <summary>
    /// <c>mvue = Σ_c ifft2c(k_c)·conj(S_c) / sqrt(Σ_c |S_c|²)</c>: k-space <c>[B, C, H, W]</c> and maps <c>[B or 1, C, H, W]</c>
    /// (complex) → <c>[B, H, W]</c> complex. Pixels where every map vanishes give NaN, as in the reference.
    /// </summary>
    /// <param name="kspace">Multi-coil k-space, complex.</param>
    /// <param name="maps">Coil sensitivities, complex.</param>
    public static Tensor Mvue(Tensor kspace, Tensor maps)
    {
        ArgumentNullException.ThrowIfNull(kspace);
        ArgumentNullException.ThrowIfNull(maps);
        if (!kspace.is_complex() || !maps.is_complex())
            throw new ArgumentException($"kspace and maps must be complex; got {kspace.dtype} and {maps.dtype}.");
        if (kspace.dim() != 4 || maps.dim() != 4 || !kspace.shape.Skip(1).SequenceEqual(maps.shape.Skip(1)))
        {
            throw new ArgumentException(
                $"kspace [{string.Join(", ", kspace.shape)}] and maps [{string.Join(", ", maps.shape)}] must be [B, C, H, W] with the same C, H, W.");
        }

        using var scope = NewDisposeScope();
        var coils = CenteredFft.Inverse(kspace);
        var numerator = (coils * maps.conj()).sum(1);
        var denominator = maps.abs().square().sum(1).sqrt();
        return scope.MoveToOuter(numerator / denominator);
    }

    /// <summary>Root-sum-of-squares image <c>sqrt(Σ_c |ifft2c(k_c)|²)</c>: <c>[B, C, H, W]</c> complex → <c>[B, H, W]</c> real.</summary>
    /// <param name="kspace">Multi-coil k-space, complex.</param>
    public static Tensor RootSumOfSquares(Tensor kspace)
    {
        ArgumentNullException.ThrowIfNull(kspace);
        if (!kspace.is_complex()) throw new ArgumentException($"kspace must be complex; got {kspace.dtype}.", nameof(kspace));
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(CenteredFft.Inverse(kspace).abs().square().sum(1).sqrt());
    }

    /// <summary>
    /// numpy's default (<c>'linear'</c>) quantile of all values: sort, <c>h = (n − 1)·q</c>,
    /// <c>a[⌊h⌋] + (h − ⌊h⌋)·(a[⌊h⌋+1] − a[⌊h⌋])</c>; the reference scales with <c>q = 0.99</c> of <c>|mvue|</c>.
    /// </summary>
    /// <param name="values">Real values (any shape).</param>
    /// <param name="q">The quantile in <c>[0, 1]</c>.</param>
    public static double Quantile(Tensor values, double q)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "The quantile must lie in [0, 1].");
        if (values.is_complex()) throw new ArgumentException("Quantiles need real values; take abs() first.", nameof(values));
        if (values.numel() == 0) throw new ArgumentException("Quantile of an empty tensor.", nameof(values));
        using var scope = NewDisposeScope();
        var sorted = values.flatten().to_type(ScalarType.Float64).cpu().sort().Values;
        long n = sorted.shape[0];
        double h = (n - 1) * q;
        long lo = (long)Math.Floor(h);
        double a = sorted[lo].item<double>();
        if (lo + 1 >= n) return a;
        double b = sorted[lo + 1].item<double>();
        return a + (h - lo) * (b - a);
    }
}
