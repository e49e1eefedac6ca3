using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Core.Modules;

#pragma warning disable IDE1006 // snake_case fields are state-dict keys

/// <summary>
/// Construction arguments of <see cref="AdmUNet"/> (OpenAI guided-diffusion <c>UNetModel</c>, reference <c>models/ddpm.py</c>);
/// defaults are the reference constructor's. 2-D, unconditional only.
/// </summary>
public sealed class AdmUNetOptions : NetworkOptions
{
    /// <summary>Image resolution.</summary>
    public int ImgResolution { get; set; } = 256;

    /// <summary>Input channels.</summary>
    public int InChannels { get; set; } = 3;

    /// <summary>Base channel count.</summary>
    public int ModelChannels { get; set; } = 128;

    /// <summary>Output channels before the learned-σ doubling (the precond passes the image channels).</summary>
    public int OutChannels { get; set; } = 3;

    /// <summary>Residual blocks per level.</summary>
    public int NumResBlocks { get; set; } = 1;

    /// <summary>Down-sampling factors (<c>ds</c> = 1, 2, 4, …, not pixel resolutions) that get attention.</summary>
    public IReadOnlyList<int> AttentionResolutions { get; set; } = [16];

    /// <summary>Whether the final conv has 2·OutChannels outputs (ε and variance); only the first half is returned.</summary>
    /// <value>The default is true (reference default, also used by <c>ffhq256.yaml</c>).</value>
    public bool LearnSigma { get; set; } = true;

    /// <summary>Dropout probability (training only).</summary>
    public double Dropout { get; set; }

    /// <summary>Per-level channel multipliers.</summary>
    public IReadOnlyList<int> ChannelMult { get; set; } = [1, 2, 4, 8];

    /// <summary>Learned 3×3 convolutions for stand-alone resampling layers (irrelevant when <see cref="ResblockUpdown"/>).</summary>
    public bool ConvResample { get; set; } = true;

    /// <summary>Class count; only 0 is supported.</summary>
    public int LabelDim { get; set; }

    /// <summary>Attention heads (used when <see cref="NumHeadChannels"/> is −1).</summary>
    public int NumHeads { get; set; } = 1;

    /// <summary>Channels per head (−1: use <see cref="NumHeads"/>).</summary>
    public int NumHeadChannels { get; set; } = -1;

    /// <summary>Heads in the decoder (−1: same as <see cref="NumHeads"/>).</summary>
    public int NumHeadsUpsample { get; set; } = -1;

    /// <summary>FiLM conditioning <c>GN(h)·(1+scale)+shift</c> instead of additive.</summary>
    public bool UseScaleShiftNorm { get; set; }

    /// <summary>Resample inside residual blocks instead of stand-alone layers.</summary>
    public bool ResblockUpdown { get; set; }

    /// <summary>Blocked <c>[q|k|v][head][c]</c> qkv split (<c>QKVAttention</c>) instead of the legacy per-head split.</summary>
    public bool UseNewAttentionOrder { get; set; }

    /// <inheritdoc />
    public override void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        UNetValidation.Common(errors, ImgResolution, InChannels, OutChannels, ModelChannels, ChannelMult, NumResBlocks, Dropout);
        if (ModelChannels % 32 != 0 || (ChannelMult ?? []).Any(m => m * ModelChannels % 32 != 0))
            errors.Add("Every level's channel count must be a multiple of 32 (GroupNorm32).");
        if (LabelDim != 0) errors.Add("LabelDim must be 0 (class-conditional networks are not supported).");
        if (NumHeadChannels == 0 || NumHeadChannels < -1) errors.Add("NumHeadChannels must be positive or -1.");
        if (NumHeadChannels == -1 && NumHeads < 1) errors.Add("NumHeads must be positive.");
    }
}

/// <summary>
/// The OpenAI ADM U-Net (reference <c>models/ddpm.py</c> <c>UNetModel</c>), used by the FFHQ-256 prior. Keys match the
/// reference (<c>time_embed.0.weight</c>, <c>input_blocks.9.1.qkv.weight</c>, <c>output_blocks.3.0.skip_connection.weight</c>,
/// <c>out.2.weight</c>, …). Returns only the first <see cref="DiffusionNetwork.InChannels"/> output channels (ε prediction).
/// </summary>
public sealed class AdmUNet : DiffusionNetwork
{
    private readonly Sequential time_embed;
    private readonly ModuleList<TimestepEmbedSequential> input_blocks = new();
    private readonly TimestepEmbedSequential middle_block;
    private readonly ModuleList<TimestepEmbedSequential> output_blocks = new();
    private readonly Sequential @out;
    private readonly long _modelChannels;

    /// <summary>Builds the network.</summary>
    public AdmUNet(AdmUNetOptions options, Device? device = null)
        : base(nameof(AdmUNet), Checked(options).ImgResolution, options.InChannels, options.InChannels)
    {
        var o = options;
        using var factory = new ParameterFactory(o.Initialization, o.InitSeed, device);
        long mc = o.ModelChannels, embDim = mc * 4;
        _modelChannels = mc;
        long outChannels = o.LearnSigma ? 2L * o.OutChannels : o.OutChannels;
        int headsUp = o.NumHeadsUpsample == -1 ? o.NumHeads : o.NumHeadsUpsample;
        var def = InitSpec.TorchDefault;

        AdmResBlock Res(long ch, long outCh, bool up = false, bool down = false) =>
            new(ch, embDim, outCh, o.Dropout, o.UseScaleShiftNorm, up, down, factory);
        AdmAttentionBlock Attn(long ch, int heads) =>
            new(ch, o.NumHeadChannels == -1 ? heads : ch / o.NumHeadChannels, o.UseNewAttentionOrder, factory);

        time_embed = nn.Sequential(("0", new EdmLinear(mc, embDim, factory, def)), ("1", nn.SiLU()), ("2", new EdmLinear(embDim, embDim, factory, def)));

        long ch = mc * o.ChannelMult[0], inputCh = ch;
        input_blocks.Add(new TimestepEmbedSequential(new EdmConv2d(o.InChannels, ch, 3, factory, def)));
        var chans = new List<long> { ch };
        int ds = 1;
        for (int level = 0; level < o.ChannelMult.Count; level++)
        {
            for (int i = 0; i < o.NumResBlocks; i++)
            {
                var layers = new List<nn.Module> { Res(ch, mc * o.ChannelMult[level]) };
                ch = mc * o.ChannelMult[level];
                if (o.AttentionResolutions.Contains(ds)) layers.Add(Attn(ch, o.NumHeads));
                input_blocks.Add(new TimestepEmbedSequential([.. layers]));
                chans.Add(ch);
            }
            if (level != o.ChannelMult.Count - 1)
            {
                input_blocks.Add(new TimestepEmbedSequential(o.ResblockUpdown
                    ? Res(ch, ch, down: true)
                    : new AdmResample(ch, up: false, o.ConvResample, factory)));
                chans.Add(ch);
                ds *= 2;
            }
        }
        middle_block = new TimestepEmbedSequential(Res(ch, ch), Attn(ch, o.NumHeads), Res(ch, ch));
        for (int level = o.ChannelMult.Count - 1; level >= 0; level--)
        {
            for (int i = 0; i <= o.NumResBlocks; i++)
            {
                long ich = chans[^1];
                chans.RemoveAt(chans.Count - 1);
                var layers = new List<nn.Module> { Res(ch + ich, mc * o.ChannelMult[level]) };
                ch = mc * o.ChannelMult[level];
                if (o.AttentionResolutions.Contains(ds)) layers.Add(Attn(ch, headsUp));
                if (level > 0 && i == o.NumResBlocks)
                {
                    layers.Add(o.ResblockUpdown ? Res(ch, ch, up: true) : new AdmResample(ch, up: true, o.ConvResample, factory));
                    ds /= 2;
                }
                output_blocks.Add(new TimestepEmbedSequential([.. layers]));
            }
        }
        @out = nn.Sequential(("0", new EdmGroupNorm(ch, 32, 1e-5, factory)), ("1", nn.SiLU()),
                             ("2", new EdmConv2d(inputCh, outChannels, 3, factory, InitSpec.Zero)));
        RegisterComponents();
    }

    private static AdmUNetOptions Checked(AdmUNetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        return options;
    }

    /// <summary>Evaluates the ε prediction: <c>x [B, C, R, R]</c>, <c>timesteps [B]</c> or <c>[1]</c> (fractional, 0…999) → <c>[B, C, R, R]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor timesteps)
    {
        using var scope = NewDisposeScope();
        var emb = time_embed.call(NoiseEmbedding.Timestep(timesteps, _modelChannels));
        var hs = new List<Tensor>();
        var h = x;
        foreach (var block in input_blocks)
        {
            h = block.call(h, emb);
            hs.Add(h);
        }
        h = middle_block.call(h, emb);
        foreach (var block in output_blocks)
        {
            h = cat([h, hs[^1]], 1);
            hs.RemoveAt(hs.Count - 1);
            h = block.call(h, emb);
        }
        var result = @out.call(h);
        return scope.MoveToOuter(result[.., ..(int)x.shape[1]].contiguous());
    }
}

/// <summary>A container whose children (keys <c>0</c>, <c>1</c>, …) receive the embedding when they are residual blocks (reference <c>TimestepEmbedSequential</c>).</summary>
public sealed class TimestepEmbedSequential : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly nn.Module[] _layers;

    /// <summary>Creates the container.</summary>
    public TimestepEmbedSequential(params nn.Module[] layers) : base(nameof(TimestepEmbedSequential))
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers;
        for (int i = 0; i < layers.Length; i++) register_module(i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor emb)
    {
        using var scope = NewDisposeScope();
        foreach (var layer in _layers)
            x = layer switch
            {
                AdmResBlock res => res.call(x, emb),
                nn.Module<Tensor, Tensor> m => m.call(x),
                _ => throw new InvalidOperationException($"Unsupported layer {layer.GetName()}."),
            };
        return scope.MoveToOuter(x.alias());
    }
}

/// <summary>
/// ADM residual block (reference <c>ResBlock</c>): keys <c>in_layers.{0,2}</c>, <c>emb_layers.1</c>, <c>out_layers.{0,3}</c>,
/// <c>skip_connection</c> (1×1 conv when the channel count changes). Up/down resampling happens between SiLU and conv.
/// </summary>
public sealed class AdmResBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Sequential in_layers;
    private readonly Sequential emb_layers;
    private readonly Sequential out_layers;
    private readonly EdmConv2d? skip_connection;
    private readonly (EdmGroupNorm Norm, EdmConv2d Conv, EdmLinear Emb, EdmGroupNorm OutNorm, EdmConv2d OutConv) _m;
    private readonly bool _up, _down, _scaleShift;
    private readonly double _dropout;

    /// <summary>Creates the block.</summary>
    public AdmResBlock(long channels, long embChannels, long outChannels, double dropout, bool useScaleShiftNorm, bool up, bool down,
                       ParameterFactory factory) : base(nameof(AdmResBlock))
    {
        ArgumentNullException.ThrowIfNull(factory);
        var def = InitSpec.TorchDefault;
        _m = (new EdmGroupNorm(channels, 32, 1e-5, factory), new EdmConv2d(channels, outChannels, 3, factory, def),
              new EdmLinear(embChannels, useScaleShiftNorm ? 2 * outChannels : outChannels, factory, def),
              new EdmGroupNorm(outChannels, 32, 1e-5, factory), new EdmConv2d(outChannels, outChannels, 3, factory, InitSpec.Zero));
        in_layers = nn.Sequential(("0", _m.Norm), ("1", nn.SiLU()), ("2", _m.Conv));
        emb_layers = nn.Sequential(("0", nn.SiLU()), ("1", _m.Emb));
        out_layers = nn.Sequential(("0", _m.OutNorm), ("1", nn.SiLU()), ("2", nn.Dropout(dropout)), ("3", _m.OutConv));
        if (outChannels != channels) skip_connection = new EdmConv2d(channels, outChannels, 1, factory, def);
        _up = up;
        _down = down;
        _scaleShift = useScaleShiftNorm;
        _dropout = dropout;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x, Tensor emb)
    {
        using var scope = NewDisposeScope();
        var h = F.silu(_m.Norm.call(x));
        if (_up || _down)
        {
            h = AdmResample.Apply(h, _up);
            x = AdmResample.Apply(x, _up);
        }
        h = _m.Conv.call(h);
        var e = _m.Emb.call(F.silu(emb)).unsqueeze(-1).unsqueeze(-1);
        if (_scaleShift)
        {
            var chunks = e.chunk(2, 1);
            h = _m.OutNorm.call(h).mul(chunks[0].add(1)).add(chunks[1]);
        }
        else
        {
            h = _m.OutNorm.call(h.add(e));
        }
        h = F.silu(h);
        if (training && _dropout > 0) h = F.dropout(h, _dropout, training);
        h = _m.OutConv.call(h);
        var result = (skip_connection is null ? x : skip_connection.call(x)).add(h);
        return scope.MoveToOuter(result);
    }
}

/// <summary>Stand-alone ADM resampling layer (<c>Upsample</c> with key <c>conv</c> / <c>Downsample</c> with key <c>op</c>).</summary>
public sealed class AdmResample : nn.Module<Tensor, Tensor>
{
    private readonly EdmConv2d? conv;
    private readonly EdmConv2d? op;
    private readonly bool _up;

    /// <summary>Creates the layer.</summary>
    public AdmResample(long channels, bool up, bool useConv, ParameterFactory factory) : base(up ? "Upsample" : "Downsample")
    {
        ArgumentNullException.ThrowIfNull(factory);
        _up = up;
        if (useConv)
        {
            if (up) conv = new EdmConv2d(channels, channels, 3, factory, InitSpec.TorchDefault);
            else op = new EdmConv2d(channels, channels, 3, factory, InitSpec.TorchDefault, stride: 2);
        }
        RegisterComponents();
    }

    /// <summary>Nearest 2× up-sampling or 2×2 average pooling.</summary>
    public static Tensor Apply(Tensor x, bool up) =>
        up ? F.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest) : F.avg_pool2d(x, [2, 2], [2, 2]);

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        if (_up)
        {
            using var h = Apply(x, true);
            return conv is null ? h.alias() : conv.call(h);
        }
        return op is not null ? op.call(x) : Apply(x, false);
    }
}

/// <summary>ADM self-attention over spatial positions (reference <c>AttentionBlock</c>): keys <c>norm</c>, <c>qkv</c> (Conv1d), <c>proj_out</c>.</summary>
public sealed class AdmAttentionBlock : nn.Module<Tensor, Tensor>
{
    private readonly EdmGroupNorm norm;
    private readonly PointwiseConv1d qkv;
    private readonly PointwiseConv1d proj_out;
    private readonly long _heads;
    private readonly bool _newOrder;

    /// <summary>Creates the block.</summary>
    public AdmAttentionBlock(long channels, long heads, bool newOrder, ParameterFactory factory) : base(nameof(AdmAttentionBlock))
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (heads < 1 || channels % heads != 0) throw new ArgumentException($"ADM attention: {channels} channels cannot be split into {heads} heads.");
        _heads = heads;
        _newOrder = newOrder;
        norm = new EdmGroupNorm(channels, 32, 1e-5, factory);
        qkv = new PointwiseConv1d(channels, 3 * channels, factory, InitSpec.TorchDefault);
        proj_out = new PointwiseConv1d(channels, channels, factory, InitSpec.Zero);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1];
        var xf = x.reshape(b, c, -1);
        var t = qkv.call(norm.call(xf));
        long length = t.shape[2], ch = c / _heads;
        Tensor q, k, v;
        if (_newOrder)
        {
            var parts = t.chunk(3, 1);
            (q, k, v) = (parts[0].reshape(b * _heads, ch, length), parts[1].reshape(b * _heads, ch, length), parts[2].reshape(b * _heads, ch, length));
        }
        else
        {
            var parts = t.reshape(b * _heads, ch * 3, length).split(ch, 1);
            (q, k, v) = (parts[0], parts[1], parts[2]);
        }
        double scale = 1.0 / Math.Sqrt(Math.Sqrt(ch));
        var w = q.mul(scale).transpose(1, 2).bmm(k.mul(scale)).softmax(-1);       // [b·H, t, s]
        var a = v.bmm(w.transpose(1, 2)).reshape(b, -1, length);                // [b, H·ch, t]
        var h = proj_out.call(a);
        return scope.MoveToOuter(xf.add(h).reshape(x.shape));
    }
}
