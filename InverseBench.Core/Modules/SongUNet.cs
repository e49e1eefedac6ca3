using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Core.Modules;

#pragma warning disable IDE1006 // snake_case fields are state-dict keys

/// <summary>
/// Construction arguments of <see cref="SongUNet"/> (DDPM++ configuration); defaults are the reference constructor's
/// (<c>models/unets.py</c>). Only the positional embedding and the standard encoder/decoder are supported (all InverseBench configs).
/// </summary>
public sealed class SongUNetOptions : NetworkOptions
{
    /// <summary>Image resolution at input/output.</summary>
    public int ImgResolution { get; set; } = 64;

    /// <summary>Input channels.</summary>
    public int InChannels { get; set; } = 1;

    /// <summary>Output channels.</summary>
    public int OutChannels { get; set; } = 1;

    /// <summary>Base channel multiplier (default 128).</summary>
    public int ModelChannels { get; set; } = 128;

    /// <summary>Per-level channel multipliers.</summary>
    public IReadOnlyList<int> ChannelMult { get; set; } = [1, 2, 2, 2];

    /// <summary>Embedding width multiplier.</summary>
    public int ChannelMultEmb { get; set; } = 4;

    /// <summary>Noise-embedding width multiplier (1 for DDPM++).</summary>
    public int ChannelMultNoise { get; set; } = 1;

    /// <summary>Residual blocks per level.</summary>
    /// <value>The default is 4 (reference); the black-hole config uses 1.</value>
    public int NumBlocks { get; set; } = 4;

    /// <summary>Resolutions with self-attention.</summary>
    public IReadOnlyList<int> AttnResolutions { get; set; } = [16];

    /// <summary>Dropout probability (training only).</summary>
    public double Dropout { get; set; } = 0.10;

    /// <summary>Resampling filter taps.</summary>
    public IReadOnlyList<double> ResampleFilter { get; set; } = [1.0, 1.0];

    /// <summary>Class-label dimension; only 0 is supported.</summary>
    public int LabelDim { get; set; }

    /// <summary>Augmentation-label dimension; only 0 is supported.</summary>
    public int AugmentDim { get; set; }

    /// <inheritdoc />
    public override void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        UNetValidation.Common(errors, ImgResolution, InChannels, OutChannels, ModelChannels, ChannelMult, NumBlocks, Dropout);
        if (ChannelMultNoise < 1) errors.Add("ChannelMultNoise must be positive.");
        if (ResampleFilter is null || ResampleFilter.Count == 0) errors.Add("ResampleFilter must have at least one tap.");
        if (LabelDim != 0) errors.Add("LabelDim must be 0 (class-conditional networks are not supported).");
        if (AugmentDim != 0) errors.Add("AugmentDim must be 0 (augmentation labels are not supported).");
    }
}

/// <summary>
/// The EDM re-implementation of DDPM++ (reference <c>models/unets.py</c> <c>SongUNet</c>, standard encoder/decoder,
/// positional embedding), used by the black-hole prior. Keys match the reference (<c>enc.64x64_conv</c>,
/// <c>dec.64x64_aux_norm</c>, <c>dec.64x64_aux_conv</c>, …).
/// </summary>
public sealed class SongUNet : DiffusionNetwork
{
    private readonly EdmLinear map_layer0;
    private readonly EdmLinear map_layer1;
    private readonly OrderedModuleDict enc = new();
    private readonly OrderedModuleDict dec = new();
    private readonly long _noiseChannels;

    /// <summary>Builds the network.</summary>
    public SongUNet(SongUNetOptions options, Device? device = null)
        : base(nameof(SongUNet), Checked(options).ImgResolution, options.InChannels, options.OutChannels)
    {
        var o = options;
        using var factory = new ParameterFactory(o.Initialization, o.InitSeed, device);
        long mc = o.ModelChannels, emb = mc * o.ChannelMultEmb;
        _noiseChannels = mc * o.ChannelMultNoise;
        var init = new InitSpec(InitMode.XavierUniform);
        var initZero = new InitSpec(InitMode.XavierUniform, 1e-5);
        var initAttn = new InitSpec(InitMode.XavierUniform, Math.Sqrt(0.2));
        UNetBlock Block(long cin, long cout, bool up = false, bool down = false, bool attention = false) =>
            new(new UNetBlockOptions
            {
                InChannels = cin, OutChannels = cout, EmbChannels = emb, Up = up, Down = down, Attention = attention,
                NumHeads = 1, Dropout = o.Dropout, SkipScale = Math.Sqrt(0.5), Eps = 1e-6, ResampleFilter = o.ResampleFilter,
                ResampleProj = true, AdaptiveScale = false, Init = init, InitZero = initZero, InitAttn = initAttn,
            }, factory);

        map_layer0 = new EdmLinear(_noiseChannels, emb, factory, init);
        map_layer1 = new EdmLinear(emb, emb, factory, init);

        long c = o.InChannels;
        var skips = new List<long>();
        for (int level = 0; level < o.ChannelMult.Count; level++)
        {
            long res = o.ImgResolution >> level;
            if (level == 0)
            {
                long cin = c;
                c = mc;
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
                bool attn = idx == o.NumBlocks && o.AttnResolutions.Contains((int)res);
                dec.Add($"{res}x{res}_block{idx}", Block(cin, c, attention: attn));
            }
            if (level == 0)
            {
                dec.Add($"{res}x{res}_aux_norm", EdmGroupNorm.Edm(c, 1e-6, factory));
                dec.Add($"{res}x{res}_aux_conv", new EdmConv2d(c, o.OutChannels, 3, factory, initZero));
            }
        }
        RegisterComponents();
    }

    private static SongUNetOptions Checked(SongUNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        return options;
    }

    /// <summary>Evaluates <c>F(x, noise_labels)</c>: <c>x [B, Cin, R, R]</c>, <c>noiseLabels [B]</c> or <c>[1]</c> → <c>[B, Cout, R, R]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor noiseLabels)
    {
        using var scope = NewDisposeScope();
        var emb = NoiseEmbedding.Positional(noiseLabels, _noiseChannels, endpoint: true);
        long n = emb.shape[0];
        emb = emb.reshape(n, 2, -1).flip(1).reshape(n, _noiseChannels);      // [cos | sin] → [sin | cos]
        emb = F.silu(map_layer0.call(emb));
        emb = F.silu(map_layer1.call(emb));

        var skips = new List<Tensor>();
        foreach (var (_, block) in enc)
        {
            x = block is UNetBlock b ? b.call(x, emb) : ((EdmConv2d)block).call(x);
            skips.Add(x);
        }
        Tensor? aux = null, tmp = null;
        foreach (var (name, module) in dec)
        {
            switch (module)
            {
                case EdmGroupNorm norm:
                    tmp = norm.call(x);
                    break;
                case EdmConv2d conv:
                    tmp = conv.call(F.silu(tmp ?? throw new InvalidOperationException($"{name} precedes its aux_norm.")));
                    aux = aux is null ? tmp : tmp.add(aux);
                    break;
                case UNetBlock block:
                    if (x.shape[1] != block.InChannels)
                    {
                        x = cat([x, skips[^1]], 1);
                        skips.RemoveAt(skips.Count - 1);
                    }
                    x = block.call(x, emb);
                    break;
            }
        }
        return scope.MoveToOuter(aux ?? throw new InvalidOperationException("SongUNet has no output head."));
    }
}
