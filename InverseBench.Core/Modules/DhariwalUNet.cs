using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Core.Modules;

#pragma warning disable IDE1006 // snake_case fields are state-dict keys

/// <summary>Construction arguments of <see cref="DhariwalUNet"/>; defaults are the reference constructor's (<c>models/unets.py</c>).</summary>
public sealed class DhariwalUNetOptions : NetworkOptions
{
    /// <summary>Image resolution at input/output.</summary>
    public int ImgResolution { get; set; } = 64;

    /// <summary>Input channels.</summary>
    public int InChannels { get; set; } = 1;

    /// <summary>Output channels.</summary>
    public int OutChannels { get; set; } = 1;

    /// <summary>Base channel multiplier.</summary>
    /// <value>The default is 192 (reference); InverseBench configs use 128.</value>
    public int ModelChannels { get; set; } = 192;

    /// <summary>Per-level channel multipliers.</summary>
    public IReadOnlyList<int> ChannelMult { get; set; } = [1, 2, 3, 4];

    /// <summary>Embedding width multiplier.</summary>
    public int ChannelMultEmb { get; set; } = 4;

    /// <summary>Residual blocks per level.</summary>
    public int NumBlocks { get; set; } = 3;

    /// <summary>Resolutions with self-attention.</summary>
    public IReadOnlyList<int> AttnResolutions { get; set; } = [32, 16, 8];

    /// <summary>Dropout probability (training only).</summary>
    public double Dropout { get; set; } = 0.10;

    /// <summary>Class-label dimension; only 0 (unconditional) is supported, as in every InverseBench config.</summary>
    public int LabelDim { get; set; }

    /// <summary>Augmentation-label dimension; only 0 is supported.</summary>
    public int AugmentDim { get; set; }

    /// <inheritdoc />
    public override void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        UNetValidation.Common(errors, ImgResolution, InChannels, OutChannels, ModelChannels, ChannelMult, NumBlocks, Dropout);
        if (LabelDim != 0) errors.Add("LabelDim must be 0 (class-conditional networks are not supported).");
        if (AugmentDim != 0) errors.Add("AugmentDim must be 0 (augmentation labels are not supported).");
    }
}

internal static class UNetValidation
{
    public static void Common(List<string> errors, int res, int cin, int cout, int mc, IReadOnlyList<int> mult, int blocks, double dropout)
    {
        if (res < 1) errors.Add("ImgResolution must be positive.");
        if (cin < 1) errors.Add("InChannels must be positive.");
        if (cout < 1) errors.Add("OutChannels must be positive.");
        if (mc < 1) errors.Add("ModelChannels must be positive.");
        if (mult is null || mult.Count == 0) errors.Add("ChannelMult must list at least one level.");
        else if (mult.Any(m => m < 1)) errors.Add("ChannelMult entries must be positive.");
        else if (res >> (mult.Count - 1) < 1 || res % (1 << (mult.Count - 1)) != 0)
            errors.Add($"ImgResolution {res} must be divisible by 2^{mult.Count - 1} for {mult.Count} levels.");
        if (blocks < 1) errors.Add("NumBlocks must be at least 1.");
        if (dropout < 0 || dropout >= 1) errors.Add("Dropout must be in [0, 1).");
    }
}

/// <summary>
/// The EDM re-implementation of the ADM U-Net (reference <c>models/unets.py</c> <c>DhariwalUNet</c>), used by the
/// Navier–Stokes, FWI, inverse-scattering and MRI priors. State-dict keys match the reference exactly
/// (<c>map_layer0.weight</c>, <c>enc.128x128_conv.weight</c>, <c>dec.16x16_block0.qkv.weight</c>, …).
/// </summary>
public sealed class DhariwalUNet : DiffusionNetwork
{
    private readonly EdmLinear map_layer0;
    private readonly EdmLinear map_layer1;
    private readonly OrderedModuleDict enc = new();
    private readonly OrderedModuleDict dec = new();
    private readonly EdmGroupNorm out_norm;
    private readonly EdmConv2d out_conv;
    private readonly long _modelChannels;

    /// <summary>Builds the network.</summary>
    public DhariwalUNet(DhariwalUNetOptions options, Device? device = null)
        : base(nameof(DhariwalUNet), Checked(options).ImgResolution, options.InChannels, options.OutChannels)
    {
        var o = options;
        using var factory = new ParameterFactory(o.Initialization, o.InitSeed, device);
        long mc = o.ModelChannels, emb = mc * o.ChannelMultEmb;
        _modelChannels = mc;
        var init = new InitSpec(InitMode.KaimingUniform, Math.Sqrt(1.0 / 3), Math.Sqrt(1.0 / 3));
        var initZero = new InitSpec(InitMode.KaimingUniform, 0, 0);
        UNetBlock Block(long cin, long cout, bool up = false, bool down = false, bool attention = false) =>
            new(new UNetBlockOptions
            {
                InChannels = cin, OutChannels = cout, EmbChannels = emb, Up = up, Down = down, Attention = attention,
                ChannelsPerHead = 64, Dropout = o.Dropout, Init = init, InitZero = initZero,
            }, factory);

        map_layer0 = new EdmLinear(mc, emb, factory, init);
        map_layer1 = new EdmLinear(emb, emb, factory, init);

        long c = o.InChannels;
        var skips = new List<long>();
        for (int level = 0; level < o.ChannelMult.Count; level++)
        {
            long res = o.ImgResolution >> level;
            if (level == 0)
            {
                long cin = c;
                c = mc * o.ChannelMult[level];
                enc.Add($"{res}x{res}_conv", new EdmConv2d(cin, c, 3, factory, init));
            }
            else
            {
                enc.Add($"{res}x{res}_down", Block(c, c, down: true));
            }
            skips.Add(c);
            for (int idx = 0; idx < o.NumBlocks; idx++)
            {
                long cin = c;
                c = mc * o.ChannelMult[level];
                enc.Add($"{res}x{res}_block{idx}", Block(cin, c, attention: o.AttnResolutions.Contains((int)res)));
                skips.Add(c);
            }
        }
        for (int level = o.ChannelMult.Count - 1; level >= 0; level--)
        {
            long res = o.ImgResolution >> level;
            if (level == o.ChannelMult.Count - 1)
            {
                dec.Add($"{res}x{res}_in0", Block(c, c, attention: true));
                dec.Add($"{res}x{res}_in1", Block(c, c));
            }
            else
            {
                dec.Add($"{res}x{res}_up", Block(c, c, up: true));
            }
            for (int idx = 0; idx <= o.NumBlocks; idx++)
            {
                long cin = c + skips[^1];
                skips.RemoveAt(skips.Count - 1);
                c = mc * o.ChannelMult[level];
                dec.Add($"{res}x{res}_block{idx}", Block(cin, c, attention: o.AttnResolutions.Contains((int)res)));
            }
        }
        out_norm = EdmGroupNorm.Edm(c, 1e-5, factory);
        out_conv = new EdmConv2d(c, o.OutChannels, 3, factory, initZero);
        RegisterComponents();
    }

    private static DhariwalUNetOptions Checked(DhariwalUNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        return options;
    }

    /// <summary>Evaluates <c>F(x, noise_labels)</c>: <c>x [B, Cin, R, R]</c>, <c>noiseLabels [B]</c> or <c>[1]</c> → <c>[B, Cout, R, R]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor noiseLabels)
    {
        using var scope = NewDisposeScope();
        var emb = NoiseEmbedding.Positional(noiseLabels, _modelChannels, endpoint: false);
        emb = F.silu(map_layer0.call(emb));
        emb = F.silu(map_layer1.call(emb));

        var skips = new List<Tensor>();
        foreach (var (_, block) in enc)
        {
            x = block is UNetBlock b ? b.call(x, emb) : ((EdmConv2d)block).call(x);
            skips.Add(x);
        }
        foreach (var (_, module) in dec)
        {
            var block = (UNetBlock)module;
            if (x.shape[1] != block.InChannels)
            {
                x = cat([x, skips[^1]], 1);
                skips.RemoveAt(skips.Count - 1);
            }
            x = block.call(x, emb);
        }
        return scope.MoveToOuter(out_conv.call(F.silu(out_norm.call(x))));
    }
}
