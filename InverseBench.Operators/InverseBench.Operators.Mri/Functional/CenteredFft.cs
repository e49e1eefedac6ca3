using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Functional;

/// <summary>
/// The centred, orthonormal 2-D FFT over the last two axes of the reference's <c>MultiCoilMRI.fft/ifft</c>
/// (<c>inverse_problems/multi_coil_mri.py</c>) and sigpy's <c>sp.fft/ifft</c> with <c>axes=(-2, -1)</c>. Both transforms
/// are unitary, and <see cref="Inverse"/> is the exact inverse and adjoint of <see cref="Forward"/> for every size.
/// </summary>
/// <remarks>
/// The reference applies <c>fftshift</c> before <c>fft2</c> and <c>ifftshift</c> after (and the mirror image for the
/// inverse); sigpy applies <c>ifftshift</c> first. For even sizes (all fastMRI sizes) the shifts coincide and the three
/// conventions agree exactly; for odd sizes this port follows the reference's forward order and uses its exact inverse.
/// </remarks>
public static class CenteredFft
{
    private static readonly long[] Axes = [-2, -1];

    /// <summary>k-space of images: <c>ifftshift(fft2(fftshift(x), norm="ortho"))</c> over the last two axes; complex in, complex out.</summary>
    /// <param name="image">Complex tensor <c>[.., H, W]</c>.</param>
    public static Tensor Forward(Tensor image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var scope = NewDisposeScope();
        var shifted = fft.fftshift(image, Axes);
        var spectrum = fft.fft2(shifted, dim: Axes, norm: FFTNormType.Ortho);
        return scope.MoveToOuter(fft.ifftshift(spectrum, Axes));
    }

    /// <summary>Images of k-space, the inverse and adjoint of <see cref="Forward"/>: <c>ifftshift(ifft2(fftshift(k), norm="ortho"))</c>.</summary>
    /// <param name="kspace">Complex tensor <c>[.., H, W]</c>.</param>
    public static Tensor Inverse(Tensor kspace)
    {
        ArgumentNullException.ThrowIfNull(kspace);
        using var scope = NewDisposeScope();
        var shifted = fft.fftshift(kspace, Axes);
        var image = fft.ifft2(shifted, dim: Axes, norm: FFTNormType.Ortho);
        return scope.MoveToOuter(fft.ifftshift(image, Axes));
    }

    /// <summary>
    /// Centred orthonormal 1-D FFT along one axis (sigpy <c>sp.fft(x, axes=(axis,))</c>, used by the fastMRI cropping):
    /// <c>fftshift(fft(ifftshift(x)))</c>.
    /// </summary>
    /// <param name="x">Complex tensor.</param>
    /// <param name="axis">The axis.</param>
    public static Tensor Forward1D(Tensor x, long axis)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var y = fft.fftshift(fft.fftn(fft.ifftshift(x, [axis]), dim: [axis], norm: FFTNormType.Ortho), [axis]);
        return scope.MoveToOuter(y);
    }

    /// <summary>Centred orthonormal 1-D inverse FFT along one axis (sigpy <c>sp.ifft(x, axes=(axis,))</c>).</summary>
    /// <param name="x">Complex tensor.</param>
    /// <param name="axis">The axis.</param>
    public static Tensor Inverse1D(Tensor x, long axis)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        var y = fft.fftshift(fft.ifftn(fft.ifftshift(x, [axis]), dim: [axis], norm: FFTNormType.Ortho), [axis]);
        return scope.MoveToOuter(y);
    }
}
