using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration.Functional;

/// <summary>
/// The centred orthonormal 2-D FFT of the reference's phase retrieval (fastMRI's <c>fft2c_new</c>):
/// <c>fftshift(fft2(ifftshift(x), norm='ortho'))</c> over the last two dimensions. The reference's roll-by-concatenation
/// shifts are numpy's <c>fftshift</c>/<c>ifftshift</c> (shift <c>n/2</c> and <c>(n+1)/2</c>), i.e. torch's.
/// </summary>
public static class CenteredFourier
{
    /// <summary>Centred orthonormal FFT of a complex <c>[.., H, W]</c> tensor.</summary>
    public static Tensor Forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (!x.is_complex()) throw new ArgumentException($"Expected a complex tensor; got {x.dtype}.", nameof(x));
        using var scope = NewDisposeScope();
        long[] dims = [-2, -1];
        var shifted = fft.ifftshift(x, dims);
        var spectrum = fft.fftn(shifted, dim: dims, norm: FFTNormType.Ortho);
        return scope.MoveToOuter(fft.fftshift(spectrum, dims));
    }
}
