using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Operators.ImageRestoration.Functional;

/// <summary>
/// The reference's super-resolution downsampling, <c>torchvision.transforms.functional.resize(x, size, BICUBIC,
/// antialias=True)</c>, which on tensors is <c>interpolate(mode='bicubic', align_corners=False, antialias=True)</c>
/// (PIL-style antialiased cubic convolution, a = −0.5). The map is separable: a channel <c>X</c> becomes <c>R X Rᵀ</c>.
/// </summary>
public static class BicubicResampling
{
    /// <summary>Resizes the last two dimensions of <c>[B, C, H, W]</c> images to <c>[size, size]</c>.</summary>
    public static Tensor Resize(Tensor images, int size)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        return F.interpolate(images, size: [size, size], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true);
    }

    /// <summary>
    /// The 1-D resampling matrix <c>R</c>, <c>[outSize, inSize]</c> float64, obtained by resizing the rows of an identity
    /// image with the same kernel (the columns keep their size, where the antialiased cubic is the identity).
    /// </summary>
    public static Tensor Matrix(int inSize, int outSize, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outSize, 1);
        using var scope = NewDisposeScope();
        var identity = eye(inSize, dtype: ScalarType.Float64, device: device ?? CPU).reshape(1, 1, inSize, inSize);
        var rows = F.interpolate(identity, size: [outSize, inSize], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true);
        return scope.MoveToOuter(rows.reshape(outSize, inSize).contiguous());
    }
}
