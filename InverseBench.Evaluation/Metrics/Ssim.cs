using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Evaluation;

public static partial class Metrics
{
    /// <summary>piq's default SSIM window size (11).</summary>
    public const int SsimKernelSize = 11;

    /// <summary>piq's default SSIM Gaussian σ (1.5).</summary>
    public const double SsimKernelSigma = 1.5;

    /// <summary>piq's default K1 (0.01).</summary>
    public const double SsimK1 = 0.01;

    /// <summary>piq's default K2 (0.03).</summary>
    public const double SsimK2 = 0.03;

    /// <summary>
    /// Structural similarity per item, piq 0.8.0 <c>ssim(x, y, kernel_size, kernel_sigma, data_range, reduction='none',
    /// downsample=True, k1, k2)</c>: scale by the data range; when <paramref name="downsample"/>, average-pool by
    /// <c>f = max(1, round(min(H, W)/256))</c> (round half to even, as Python); a normalised <c>kernelSize²</c> Gaussian
    /// window applied per channel as a <b>valid</b> convolution (no padding); <c>c1 = k1²</c>, <c>c2 = k2²</c>;
    /// <c>cs = (2σxy + c2)/(σxx + σyy + c2)</c>, <c>ssim = (2μxμy + c1)/(μx² + μy² + c1)·cs</c>, averaged over the map and then
    /// over channels.
    /// </summary>
    /// <param name="prediction">Real images <c>[N, C, H, W]</c> in <c>[0, dataRange]</c>.</param>
    /// <param name="target">Same shape and range.</param>
    /// <param name="dataRange">The value range, &gt; 0.</param>
    /// <param name="kernelSize">Odd window size (default 11).</param>
    /// <param name="kernelSigma">Gaussian σ of the window (default 1.5).</param>
    /// <param name="downsample">Whether to apply piq's automatic downsampling (default true; a no-op below 384 px).</param>
    /// <param name="k1">Luminance constant (default 0.01).</param>
    /// <param name="k2">Contrast constant (default 0.03).</param>
    /// <returns><c>[N]</c> in the inputs' dtype.</returns>
    public static Tensor Ssim(Tensor prediction, Tensor target, double dataRange = 1.0, int kernelSize = SsimKernelSize,
        double kernelSigma = SsimKernelSigma, bool downsample = true, double k1 = SsimK1, double k2 = SsimK2)
    {
        ValidateImages(prediction, target, dataRange, 4, 4);
        if (kernelSize < 1 || kernelSize % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), kernelSize, "The SSIM window size must be odd and positive.");
        if (!(kernelSigma > 0)) throw new ArgumentOutOfRangeException(nameof(kernelSigma), kernelSigma, "σ must be positive.");
        using var scope = NewDisposeScope();
        var x = prediction / dataRange;
        var y = target / dataRange;
        long h = x.shape[2], w = x.shape[3];
        int factor = Math.Max(1, (int)Math.Round(Math.Min(h, w) / 256.0, MidpointRounding.ToEven));
        if (factor > 1 && downsample)
        {
            x = F.avg_pool2d(x, factor);
            y = F.avg_pool2d(y, factor);
        }

        if (x.shape[2] < kernelSize || x.shape[3] < kernelSize)
        {
            throw new ArgumentException(
                $"Images of {x.shape[2]}×{x.shape[3]} (after downsampling) are smaller than the {kernelSize}×{kernelSize} SSIM window.", nameof(prediction));
        }

        long channels = x.shape[1];
        var kernel = GaussianWindow(kernelSize, kernelSigma, x.dtype, x.device).repeat(channels, 1, 1, 1);
        Tensor Filter(Tensor t) => F.conv2d(t, kernel, strides: [1, 1], padding: [0, 0], groups: channels);
        double c1 = k1 * k1, c2 = k2 * k2;
        var muX = Filter(x);
        var muY = Filter(y);
        var muXX = muX.pow(2);
        var muYY = muY.pow(2);
        var muXY = muX * muY;
        var sigmaXX = Filter(x.pow(2)) - muXX;
        var sigmaYY = Filter(y.pow(2)) - muYY;
        var sigmaXY = Filter(x * y) - muXY;
        var cs = (2.0 * sigmaXY + c2) / (sigmaXX + sigmaYY + c2);
        var map = (2.0 * muXY + c1) / (muXX + muYY + c1) * cs;
        return scope.MoveToOuter(map.mean([-1L, -2L]).mean([1L]));
    }

    /// <summary>piq's <c>gaussian_filter</c>: <c>exp(−(i² + j²)/(2σ²))</c> on centred integer coordinates, normalised to sum 1, <c>[1, k, k]</c>.</summary>
    private static Tensor GaussianWindow(int size, double sigma, ScalarType dtype, Device device)
    {
        using var scope = NewDisposeScope();
        var coords = arange(size, dtype: dtype, device: device) - (size - 1) / 2.0;
        var g = coords.pow(2);
        var window = (-(g.unsqueeze(0) + g.unsqueeze(1)) / (2 * sigma * sigma)).exp();
        window = window / window.sum();
        return scope.MoveToOuter(window.unsqueeze(0));
    }
}
