using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Data;

/// <summary>
/// One multi-coil MRI test sample as the reference's datasets return it (<c>training/dataset.py</c>
/// <c>MultiCoilMRIData.__getitem__</c>), already scaled by the 99th percentile of <c>|mvue|</c>. The tensors are owned
/// by the sample; dispose it when done.
/// </summary>
/// <param name="Target">Scaled MVUE as real/imaginary channels, <c>[1, 2, H, W]</c> float32 (reference <c>target</c>).</param>
/// <param name="Maps">Coil sensitivities <c>[C, H, W]</c> complex64 (reference <c>maps</c>).</param>
/// <param name="KSpace">Scaled fully sampled multi-coil k-space <c>[C, H, W]</c> complex64 (reference <c>kspace</c>), or null when only the image is known.</param>
/// <param name="Scale">The divisor applied: <c>quantile(|mvue|, 0.99)</c> of the unscaled MVUE (1 for synthetic samples).</param>
public sealed record MriSample(Tensor Target, Tensor Maps, Tensor? KSpace, double Scale) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Target.Dispose();
        Maps.Dispose();
        KSpace?.Dispose();
    }
}
