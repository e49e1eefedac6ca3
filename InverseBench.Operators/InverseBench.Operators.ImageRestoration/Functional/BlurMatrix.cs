namespace InverseBench.Operators.ImageRestoration.Functional;

/// <summary>
/// The 1-D factor of the separable Gaussian blur: the <c>[n, n]</c> matrix <c>B</c> of "reflection-pad by <c>K/2</c>, then
/// correlate with the <c>K</c>-tap filtered impulse <c>g</c>", so that the reference's 2-D blur of a channel <c>X</c> is
/// <c>B X Bᵀ</c> (its kernel is <c>g ⊗ g</c>, see <see cref="GaussianBlurKernel"/>).
/// </summary>
public static class BlurMatrix
{
    /// <summary>The float64 matrix <c>B[i, j] = Σ_t g[t]·[src(i + t) = j]</c>, row-major <c>[n, n]</c>.</summary>
    /// <param name="length">Signal length n (image side).</param>
    /// <param name="kernelSize">K, odd.</param>
    /// <param name="sigma">The Gaussian σ in pixels.</param>
    public static double[,] Build(int length, int kernelSize, double sigma)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The kernel size must be odd and positive.");
        var g = GaussianBlurKernel.FilteredImpulse(kernelSize, sigma);
        var source = ReflectionPadding.SourceIndex(length, kernelSize / 2);
        var matrix = new double[length, length];
        for (int i = 0; i < length; i++)
        {
            for (int t = 0; t < kernelSize; t++) matrix[i, source[i + t]] += g[t];
        }

        return matrix;
    }
}
