using InverseBench.Core.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Operators.Mri.E2E;

// Field names are the PyTorch attribute names on purpose: they are the state-dict keys of the reference's
// models/e2e/unet.py and varnet.py (fastMRI layout), e.g. "down_sample_layers.0.layers.0.weight".
#pragma warning disable IDE1006 // snake_case fields are state-dict keys

/// <summary>
/// Two 3×3 convolutions (no bias), each followed by instance normalisation (no affine parameters, no running
/// statistics), LeakyReLU(0.2) and 2-D dropout — reference <c>models/e2e/unet.py</c> <c>ConvBlock</c> (fastMRI).
/// Keys: <c>layers.0.weight [out, in, 3, 3]</c>, <c>layers.4.weight [out, out, 3, 3]</c>.
/// </summary>
public sealed class E2EConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="dropProbability">Dropout probability (0 at inference).</param>
    public E2EConvBlock(long inChannels, long outChannels, double dropProbability) : base(nameof(E2EConvBlock))
    {
        layers = nn.Sequential(
            nn.Conv2d(inChannels, outChannels, 3, padding: 1, bias: false),
            nn.InstanceNorm2d(outChannels),
            nn.LeakyReLU(0.2),
            nn.Dropout2d(dropProbability),
            nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false),
            nn.InstanceNorm2d(outChannels),
            nn.LeakyReLU(0.2),
            nn.Dropout2d(dropProbability));
        RegisterComponents();
    }

    /// <summary><c>[N, in, H, W]</c> → <c>[N, out, H, W]</c>.</summary>
    public override Tensor forward(Tensor input) => layers.forward(input);
}

/// <summary>
/// A 2×2 stride-2 transposed convolution (no bias), instance normalisation and LeakyReLU(0.2) — reference
/// <c>TransposeConvBlock</c>. Key: <c>layers.0.weight [in, out, 2, 2]</c>.
/// </summary>
public sealed class E2ETransposeConvBlock : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    /// <summary>Creates the block.</summary>
    /// <param name="inChannels">Input channels.</param>
    /// <param name="outChannels">Output channels.</param>
    public E2ETransposeConvBlock(long inChannels, long outChannels) : base(nameof(E2ETransposeConvBlock))
    {
        layers = nn.Sequential(
            nn.ConvTranspose2d(inChannels, outChannels, 2, stride: 2, bias: false),
            nn.InstanceNorm2d(outChannels),
            nn.LeakyReLU(0.2));
        RegisterComponents();
    }

    /// <summary><c>[N, in, H, W]</c> → <c>[N, out, 2H, 2W]</c>.</summary>
    public override Tensor forward(Tensor input) => layers.forward(input);
}

/// <summary>
/// The fastMRI U-Net (Ronneberger et al. 2015) of the reference's <c>models/e2e/unet.py</c> <c>Unet</c>: <c>num_pool_layers</c>
/// conv blocks with 2×2 average pooling (channels doubling from <c>chans</c>), a bottleneck block, transposed-convolution
/// up-sampling with skip concatenation (reflect-padding the right/bottom by one for odd sizes) and a final 1×1
/// convolution with bias. Keys: <c>down_sample_layers.i.*</c>, <c>conv.*</c>, <c>up_transpose_conv.i.*</c>,
/// <c>up_conv.i.*</c> (the last one <c>up_conv.{n-1}.0.*</c> and <c>up_conv.{n-1}.1.{weight,bias}</c>).
/// </summary>
public sealed class E2EUnet : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> down_sample_layers;
    private readonly E2EConvBlock conv;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> up_conv;
    private readonly ModuleList<nn.Module<Tensor, Tensor>> up_transpose_conv;

    /// <summary>Creates the network with uninitialised (PyTorch default-initialised) weights, to be loaded from a checkpoint.</summary>
    /// <param name="inChannels">Input channels (<c>in_chans</c>).</param>
    /// <param name="outChannels">Output channels (<c>out_chans</c>).</param>
    /// <param name="channels">Channels of the first block (<c>chans</c>, reference default 32).</param>
    /// <param name="poolLayers">Down/up-sampling levels (<c>num_pool_layers</c>, reference default 4).</param>
    /// <param name="dropProbability">Dropout probability (<c>drop_prob</c>, default 0).</param>
    public E2EUnet(long inChannels, long outChannels, long channels = 32, int poolLayers = 4, double dropProbability = 0.0) : base(nameof(E2EUnet))
    {
        if (inChannels < 1 || outChannels < 1 || channels < 1)
            throw new ArgumentOutOfRangeException(nameof(channels), $"in_chans, out_chans and chans must be positive; got {inChannels}, {outChannels}, {channels}.");
        if (poolLayers < 1) throw new ArgumentOutOfRangeException(nameof(poolLayers), poolLayers, "num_pool_layers must be at least 1.");
        InChannels = inChannels;
        OutChannels = outChannels;
        PoolLayers = poolLayers;
        down_sample_layers = new ModuleList<nn.Module<Tensor, Tensor>>(new E2EConvBlock(inChannels, channels, dropProbability));
        long ch = channels;
        for (int i = 0; i < poolLayers - 1; i++)
        {
            down_sample_layers.Add(new E2EConvBlock(ch, ch * 2, dropProbability));
            ch *= 2;
        }

        conv = new E2EConvBlock(ch, ch * 2, dropProbability);
        up_conv = new ModuleList<nn.Module<Tensor, Tensor>>();
        up_transpose_conv = new ModuleList<nn.Module<Tensor, Tensor>>();
        for (int i = 0; i < poolLayers - 1; i++)
        {
            up_transpose_conv.Add(new E2ETransposeConvBlock(ch * 2, ch));
            up_conv.Add(new E2EConvBlock(ch * 2, ch, dropProbability));
            ch /= 2;
        }

        up_transpose_conv.Add(new E2ETransposeConvBlock(ch * 2, ch));
        up_conv.Add(nn.Sequential(new E2EConvBlock(ch * 2, ch, dropProbability), nn.Conv2d(ch, outChannels, 1)));
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Down/up-sampling levels.</summary>
    public int PoolLayers { get; }

    /// <summary><c>[N, in_chans, H, W]</c> → <c>[N, out_chans, H, W]</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 4 || input.shape[1] != InChannels)
            throw new ArgumentException($"The U-Net expects [N, {InChannels}, H, W]; got {TensorGuard.Format(input.shape)}.", nameof(input));
        using var scope = NewDisposeScope();
        var stack = new Stack<Tensor>();
        var output = input;
        foreach (var layer in down_sample_layers)
        {
            output = layer.forward(output);
            stack.Push(output);
            output = F.avg_pool2d(output, 2, 2);
        }

        output = conv.forward(output);
        for (int i = 0; i < up_conv.Count; i++)
        {
            var skip = stack.Pop();
            output = up_transpose_conv[i].forward(output);
            long right = output.shape[^1] != skip.shape[^1] ? 1 : 0;
            long bottom = output.shape[^2] != skip.shape[^2] ? 1 : 0;
            if (right + bottom != 0) output = F.pad(output, [0, right, 0, bottom], PaddingModes.Reflect);
            output = up_conv[i].forward(cat([output, skip], 1));
        }

        return scope.MoveToOuter(output);
    }
}

/// <summary>
/// The U-Net with per-sample standardisation of the reference's <c>models/e2e/varnet.py</c> <c>NormUnet</c>: real-layout
/// complex images <c>[B, C, H, W, 2]</c> go to <c>2C</c> channels (real parts first), are normalised by the mean and
/// (unbiased) standard deviation of the real and of the imaginary half, zero-padded to multiples of 16, passed through
/// <see cref="E2EUnet"/>, cropped, un-normalised and returned in the input layout. Keys: <c>unet.*</c>.
/// </summary>
public sealed class E2ENormUnet : nn.Module<Tensor, Tensor>
{
    private readonly E2EUnet unet;

    /// <summary>Creates the network.</summary>
    /// <param name="channels">Channels of the U-Net's first block (<c>chans</c>).</param>
    /// <param name="pools">U-Net levels (<c>num_pools</c>).</param>
    /// <param name="inChannels">U-Net input channels (<c>in_chans</c>, default 2: one complex image).</param>
    /// <param name="outChannels">U-Net output channels (<c>out_chans</c>, default 2).</param>
    /// <param name="dropProbability">Dropout probability.</param>
    public E2ENormUnet(long channels, int pools, long inChannels = 2, long outChannels = 2, double dropProbability = 0.0) : base(nameof(E2ENormUnet))
    {
        unet = new E2EUnet(inChannels, outChannels, channels, pools, dropProbability);
        RegisterComponents();
    }

    /// <summary><c>[B, C, H, W, 2]</c> → <c>[B, C', H, W, 2]</c> with <c>2C = in_chans</c>, <c>2C' = out_chans</c>.</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.dim() != 5 || input.shape[^1] != 2)
            throw new ArgumentException($"NormUnet expects real-layout complex images [B, C, H, W, 2]; got {TensorGuard.Format(input.shape)}.", nameof(input));
        using var scope = NewDisposeScope();
        long b = input.shape[0], c = input.shape[1], h = input.shape[2], w = input.shape[3];
        var x = input.permute(0, 4, 1, 2, 3).reshape(b, 2 * c, h, w);
        var grouped = x.reshape(b, 2, c * h * w);
        var mean = grouped.mean([2]).view(b, 2, 1, 1);
        var std = grouped.std(2, unbiased: true).view(b, 2, 1, 1);
        // Each of the two statistics applies to c consecutive channels (the real block, then the imaginary block).
        var meanChannels = mean.repeat_interleave(c, 1);
        var stdChannels = std.repeat_interleave(c, 1);
        x = (x - meanChannels) / stdChannels;
        long hMult = ((h - 1) | 15) + 1, wMult = ((w - 1) | 15) + 1;
        long[] wPad = [(wMult - w) / 2, (wMult - w + 1) / 2];
        long[] hPad = [(hMult - h) / 2, (hMult - h + 1) / 2];
        x = F.pad(x, [wPad[0], wPad[1], hPad[0], hPad[1]]);
        x = unet.forward(x);
        x = x[TensorIndex.Ellipsis, TensorIndex.Slice(hPad[0], hMult - hPad[1]), TensorIndex.Slice(wPad[0], wMult - wPad[1])];
        long outC = x.shape[1] / 2;
        x = x * std.repeat_interleave(outC, 1) + mean.repeat_interleave(outC, 1);
        return scope.MoveToOuter(x.reshape(b, 2, outC, h, w).permute(0, 2, 3, 4, 1).contiguous());
    }
}
