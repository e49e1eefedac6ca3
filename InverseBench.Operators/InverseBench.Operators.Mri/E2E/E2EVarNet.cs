using InverseBench.Core.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using T = InverseBench.Operators.Mri.E2E.FastMriTransforms;

namespace InverseBench.Operators.Mri.E2E;

#pragma warning disable IDE1006 // snake_case fields are state-dict keys

/// <summary>
/// An end-to-end MRI reconstruction network of the reference's <c>models/e2e/</c>: maps undersampled multi-coil k-space
/// <c>[B, C, H, W, 2]</c> (real layout) and its sampling mask to a magnitude image <c>[B, 1, H, W]</c>.
/// </summary>
public abstract class E2EReconstructionNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the module.</summary>
    /// <param name="name">Module name.</param>
    protected E2EReconstructionNetwork(string name) : base(name)
    {
    }

    /// <summary>Checks the k-space layout and the mask (bool, <c>[1 or B, 1, 1, W, 1]</c> or <c>[1 or B, 1, H, 1, 1]</c>).</summary>
    /// <param name="maskedKSpace">Masked k-space <c>[B, C, H, W, 2]</c>, real.</param>
    /// <param name="mask">Sampling mask.</param>
    protected static void CheckInputs(Tensor maskedKSpace, Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(maskedKSpace);
        ArgumentNullException.ThrowIfNull(mask);
        if (maskedKSpace.is_complex() || maskedKSpace.dim() != 5 || maskedKSpace.shape[^1] != 2)
            throw new ArgumentException($"masked_kspace must be real-layout multi-coil k-space [B, C, H, W, 2]; got {TensorGuard.Format(maskedKSpace.shape)} {maskedKSpace.dtype}.", nameof(maskedKSpace));
        if (mask.dtype != ScalarType.Bool || mask.dim() != 5 || mask.shape[1] != 1 || mask.shape[^1] != 1
            || (mask.shape[0] != 1 && mask.shape[0] != maskedKSpace.shape[0]))
            throw new ArgumentException($"mask must be bool [1 or {maskedKSpace.shape[0]}, 1, H or 1, W or 1, 1] (the operator's mask with a trailing axis); got {TensorGuard.Format(mask.shape)} {mask.dtype}.", nameof(mask));
        for (int d = 2; d <= 3; d++)
            if (mask.shape[d] != 1 && mask.shape[d] != maskedKSpace.shape[d])
                throw new ArgumentException($"mask axis {d} has {mask.shape[d]} lines; k-space has {maskedKSpace.shape[d]}.", nameof(mask));
    }
}

/// <summary>
/// Coil-sensitivity estimation of the reference's <c>SensitivityModel</c> (fastMRI): keeps the fully sampled centre of
/// k-space (width from the mask: twice the shorter run of sampled lines on either side of the centre column, at least 1),
/// transforms each coil to the image domain, refines it with a <see cref="E2ENormUnet"/> and divides by the root sum of
/// squares over coils. Keys: <c>norm_unet.unet.*</c>.
/// </summary>
public sealed class E2ESensitivityModel : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly E2ENormUnet norm_unet;

    /// <summary>Creates the model.</summary>
    /// <param name="channels">U-Net channels (<c>chans</c>).</param>
    /// <param name="pools">U-Net levels (<c>num_pools</c>).</param>
    /// <param name="maskCenter">Keep only the low frequencies before estimating (<c>mask_center</c>, default true).</param>
    public E2ESensitivityModel(long channels, int pools, bool maskCenter = true) : base(nameof(E2ESensitivityModel))
    {
        MaskCenter = maskCenter;
        norm_unet = new E2ENormUnet(channels, pools);
        RegisterComponents();
    }

    /// <summary>Whether the centre of k-space is cut out first.</summary>
    public bool MaskCenter { get; }

    /// <summary>
    /// The reference's <c>get_pad_and_num_low_freqs</c> without <c>num_low_frequencies</c>: per mask row, the symmetric
    /// number of low-frequency columns <c>max(2·min(left, right), 1)</c> and the first kept column <c>(W − n + 1) / 2</c>.
    /// </summary>
    /// <param name="mask">Bool mask <c>[Bm, 1, 1, W, 1]</c>.</param>
    public static (long[] Pad, long[] LowFrequencies) PadAndLowFrequencies(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        using var scope = NewDisposeScope();
        var rows = mask[TensorIndex.Colon, 0, 0, TensorIndex.Colon, 0].to(CPU).to_type(ScalarType.Bool);
        long count = rows.shape[0], width = rows.shape[1];
        var values = rows.data<bool>().ToArray();
        var pad = new long[count];
        var low = new long[count];
        long cent = width / 2;
        for (int r = 0; r < count; r++)
        {
            // torch.argmin over 0/1 returns the first unsampled line, or 0 when all are sampled.
            long left = FirstUnsampled(k => values[r * width + cent - 1 - k], cent);
            long right = FirstUnsampled(k => values[r * width + cent + k], width - cent);
            low[r] = Math.Max(2 * Math.Min(left, right), 1);
            pad[r] = (width - low[r] + 1) / 2;   // low ≤ width, so this is the reference's floor division
        }

        return (pad, low);
    }

    private static long FirstUnsampled(Func<long, bool> sampled, long length)
    {
        for (long k = 0; k < length; k++)
            if (!sampled(k)) return k;
        return 0;
    }

    /// <summary>Sensitivity maps <c>[B, C, H, W, 2]</c> with unit root sum of squares over coils.</summary>
    /// <param name="maskedKSpace">Masked k-space <c>[B, C, H, W, 2]</c>.</param>
    /// <param name="mask">Bool mask <c>[1 or B, 1, 1, W, 1]</c>.</param>
    public override Tensor forward(Tensor maskedKSpace, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var k = maskedKSpace;
        if (MaskCenter)
        {
            var (pad, low) = PadAndLowFrequencies(mask);
            k = T.BatchedMaskCenter(k, pad, pad.Zip(low, (p, n) => p + n).ToArray());
        }

        long b = k.shape[0], c = k.shape[1], h = k.shape[2], w = k.shape[3];
        var images = T.Ifft2c(k).reshape(b * c, 1, h, w, 2);
        var maps = norm_unet.forward(images).reshape(b, c, h, w, 2);
        return scope.MoveToOuter(maps / T.RssComplex(maps, 1).unsqueeze(-1).unsqueeze(1));
    }
}

/// <summary>
/// One cascade of the reference's <c>VarNetBlock</c>: <c>k − where(M, k − k₀, 0)·dc_weight − F(S·U(Σ_c conj(S_c)·F⁻¹ k_c))</c>
/// with the learned regulariser <c>U</c> a <see cref="E2ENormUnet"/>. Keys: <c>dc_weight [1]</c>, <c>model.unet.*</c>.
/// </summary>
public sealed class E2EVarNetBlock : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly Parameter dc_weight;
    private readonly E2ENormUnet model;

    /// <summary>Creates the cascade.</summary>
    /// <param name="regulariser">The regulariser network.</param>
    public E2EVarNetBlock(E2ENormUnet regulariser) : base(nameof(E2EVarNetBlock))
    {
        ArgumentNullException.ThrowIfNull(regulariser);
        dc_weight = new Parameter(ones(1));
        model = regulariser;
        RegisterComponents();
    }

    /// <summary>One cascade update of the k-space estimate.</summary>
    /// <param name="current">Current k-space <c>[B, C, H, W, 2]</c>.</param>
    /// <param name="reference">Measured (masked) k-space, same shape.</param>
    /// <param name="mask">Bool mask broadcastable to the k-space.</param>
    /// <param name="maps">Sensitivity maps <c>[B, C, H, W, 2]</c>.</param>
    public override Tensor forward(Tensor current, Tensor reference, Tensor mask, Tensor maps)
    {
        using var scope = NewDisposeScope();
        var softDc = where(mask, current - reference, zeros(1, dtype: current.dtype, device: current.device)) * dc_weight;
        var reduced = T.ComplexMul(T.Ifft2c(current), T.ComplexConj(maps)).sum(1, keepdim: true);
        var modelTerm = T.Fft2c(T.ComplexMul(model.forward(reduced), maps));
        return scope.MoveToOuter(current - softDc - modelTerm);
    }
}

/// <summary>
/// E2E-VarNet (Sriram et al. 2020) as the reference's <c>models/e2e/varnet.py</c> <c>VarNet</c>: sensitivity estimation,
/// <c>num_cascades</c> <see cref="E2EVarNetBlock"/>s on k-space, then the root sum of squares of the coil images,
/// <c>[B, 1, H, W]</c>. Keys: <c>sens_net.norm_unet.unet.*</c>, <c>cascades.i.dc_weight</c>, <c>cascades.i.model.unet.*</c>.
/// Masks must select columns (the reference's vertical orientation), as the centre detection reads columns.
/// </summary>
public sealed class E2EVarNet : E2EReconstructionNetwork
{
    private readonly E2ESensitivityModel sens_net;
    private readonly ModuleList<E2EVarNetBlock> cascades;

    /// <summary>Creates the network (reference defaults: 12 cascades, sensitivity U-Net 8 channels / 4 levels, cascade U-Nets 18 / 4).</summary>
    /// <param name="options">Architecture; null uses the reference defaults.</param>
    public E2EVarNet(E2EVarNetOptions? options = null) : base(nameof(E2EVarNet))
    {
        Architecture = (options ?? new E2EVarNetOptions()).Clone();
        Architecture.Validate();
        sens_net = new E2ESensitivityModel(Architecture.SensitivityChannels, Architecture.SensitivityPools, Architecture.MaskCenter);
        cascades = new ModuleList<E2EVarNetBlock>();
        for (int i = 0; i < Architecture.Cascades; i++) cascades.Add(new E2EVarNetBlock(new E2ENormUnet(Architecture.Channels, Architecture.Pools)));
        RegisterComponents();
    }

    /// <summary>The architecture (a copy).</summary>
    public E2EVarNetOptions Architecture { get; }

    /// <summary>Magnitude image <c>[B, 1, H, W]</c> of masked k-space <c>[B, C, H, W, 2]</c> and its mask <c>[1 or B, 1, 1, W, 1]</c>.</summary>
    public override Tensor forward(Tensor maskedKSpace, Tensor mask)
    {
        CheckInputs(maskedKSpace, mask);
        if (mask.shape[3] == 1 && maskedKSpace.shape[3] != 1)
            throw new ArgumentException($"E2E-VarNet needs a column (vertical) mask [.., 1, W, 1]; got {TensorGuard.Format(mask.shape)} (the reference's centre detection reads columns).", nameof(mask));
        using var scope = NewDisposeScope();
        var maps = sens_net.forward(maskedKSpace, mask);
        var k = maskedKSpace.clone();
        foreach (var cascade in cascades) k = cascade.forward(k, maskedKSpace, mask, maps);
        return scope.MoveToOuter(T.Rss(T.ComplexAbs(T.Ifft2c(k)), 1).unsqueeze(1));
    }
}

/// <summary>
/// The residual U-Net baseline of the reference's <c>models/e2e/unet.py</c> <c>ResidualUNet</c>: the root sum of squares of
/// the zero-filled coil images (centred orthonormal inverse FFT, magnitudes in float64 then float32), standardised by its
/// mean and unbiased standard deviation per sample, plus a one-channel <see cref="E2EUnet"/> of itself, un-standardised.
/// Keys: <c>net.*</c>.
/// </summary>
public sealed class E2EResidualUNet : E2EReconstructionNetwork
{
    private readonly E2EUnet net;

    /// <summary>Creates the network.</summary>
    /// <param name="options">Architecture; null uses the reference's class defaults (32 channels, 4 levels).</param>
    public E2EResidualUNet(E2EResidualUNetOptions? options = null) : base(nameof(E2EResidualUNet))
    {
        Architecture = (options ?? new E2EResidualUNetOptions()).Clone();
        Architecture.Validate();
        net = new E2EUnet(1, 1, Architecture.Channels, Architecture.PoolLayers, Architecture.DropProbability);
        RegisterComponents();
    }

    /// <summary>The architecture (a copy).</summary>
    public E2EResidualUNetOptions Architecture { get; }

    /// <summary>Magnitude image <c>[B, 1, H, W]</c> of masked k-space <c>[B, C, H, W, 2]</c> (the mask is not used, as in the reference).</summary>
    public override Tensor forward(Tensor maskedKSpace, Tensor mask)
    {
        CheckInputs(maskedKSpace, mask);
        using var scope = NewDisposeScope();
        var coils = T.Ifft2c(maskedKSpace);
        var rss = T.ComplexAbs(coils.to_type(ScalarType.Float64)).to_type(maskedKSpace.dtype).square().sum(1).sqrt().unsqueeze(1);
        long[] dims = [1, 2, 3];
        var mean = rss.mean(dims, keepdim: true);
        var std = rss.std(dims, unbiased: true, keepdim: true);
        var normalised = (rss - mean) / std;
        return scope.MoveToOuter(mean + std * (normalised + net.forward(normalised)));
    }
}
