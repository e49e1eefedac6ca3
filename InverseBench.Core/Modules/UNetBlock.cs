using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Core.Modules;

#pragma warning disable IDE1006 // snake_case fields are state-dict keys

/// <summary>Construction arguments of a <see cref="UNetBlock"/> (reference <c>models/modules.py</c> <c>UNetBlock</c>).</summary>
public sealed record UNetBlockOptions
{
    /// <summary>Input channels.</summary>
    public required long InChannels { get; init; }

    /// <summary>Output channels.</summary>
    public required long OutChannels { get; init; }

    /// <summary>Embedding channels.</summary>
    public required long EmbChannels { get; init; }

    /// <summary>2× up-sampling before conv0 and in the skip.</summary>
    public bool Up { get; init; }

    /// <summary>2× down-sampling before conv0 and in the skip.</summary>
    public bool Down { get; init; }

    /// <summary>Self-attention after the residual.</summary>
    public bool Attention { get; init; }

    /// <summary>Attention heads; null means <c>OutChannels / ChannelsPerHead</c>.</summary>
    public long? NumHeads { get; init; }

    /// <summary>Channels per head when <see cref="NumHeads"/> is null (default 64).</summary>
    public long ChannelsPerHead { get; init; } = 64;

    /// <summary>Dropout probability (training only).</summary>
    public double Dropout { get; init; }

    /// <summary>Residual scale (1 for DhariwalUNet, √½ for SongUNet).</summary>
    public double SkipScale { get; init; } = 1;

    /// <summary>GroupNorm epsilon (1e-5 DhariwalUNet, 1e-6 SongUNet).</summary>
    public double Eps { get; init; } = 1e-5;

    /// <summary>Resampling filter taps (default box <c>[1, 1]</c>).</summary>
    public IReadOnlyList<double> ResampleFilter { get; init; } = [1.0, 1.0];

    /// <summary>Whether resampling skips get a 1×1 projection.</summary>
    public bool ResampleProj { get; init; }

    /// <summary>Scale-and-shift conditioning (<c>true</c>, DhariwalUNet) or additive (<c>false</c>, SongUNet).</summary>
    public bool AdaptiveScale { get; init; } = true;

    /// <summary>Initialisation of conv0, affine and skip.</summary>
    public InitSpec Init { get; init; } = new(InitMode.KaimingNormal);

    /// <summary>Initialisation of conv1 and proj.</summary>
    public InitSpec InitZero { get; init; } = new(InitMode.KaimingNormal, 0);

    /// <summary>Initialisation of qkv (null: <see cref="Init"/>).</summary>
    public InitSpec? InitAttn { get; init; }
}

/// <summary>
/// The EDM U-Net block: GroupNorm → SiLU → conv0 (with resampling) → embedding conditioning → conv1, residual skip, and
/// optional multi-head self-attention with the EDM interleaved qkv layout (§2.5–2.6 of spec-models). Keys: <c>norm0</c>,
/// <c>conv0</c>, <c>affine</c>, <c>norm1</c>, <c>conv1</c>, <c>skip</c>?, <c>norm2</c>/<c>qkv</c>/<c>proj</c> (attention).
/// </summary>
public sealed class UNetBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly EdmGroupNorm norm0;
    private readonly EdmConv2d conv0;
    private readonly EdmLinear affine;
    private readonly EdmGroupNorm norm1;
    private readonly EdmConv2d conv1;
    private readonly EdmConv2d? skip;
    private readonly EdmGroupNorm? norm2;
    private readonly EdmConv2d? qkv;
    private readonly EdmConv2d? proj;
    private readonly double _dropout, _skipScale;
    private readonly bool _adaptiveScale;

    /// <summary>Creates the block.</summary>
    public UNetBlock(UNetBlockOptions options, ParameterFactory factory) : base(nameof(UNetBlock))
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        var o = options;
        InChannels = o.InChannels;
        OutChannels = o.OutChannels;
        NumHeads = !o.Attention ? 0 : o.NumHeads ?? o.OutChannels / o.ChannelsPerHead;
        if (NumHeads > 0 && o.OutChannels % NumHeads != 0)
            throw new ArgumentException($"UNetBlock: {o.OutChannels} channels are not divisible into {NumHeads} heads.");
        _dropout = o.Dropout;
        _skipScale = o.SkipScale;
        _adaptiveScale = o.AdaptiveScale;

        norm0 = EdmGroupNorm.Edm(o.InChannels, o.Eps, factory);
        conv0 = new EdmConv2d(o.InChannels, o.OutChannels, 3, factory, o.Init, up: o.Up, down: o.Down, resampleFilter: o.ResampleFilter);
        affine = new EdmLinear(o.EmbChannels, o.OutChannels * (o.AdaptiveScale ? 2 : 1), factory, o.Init);
        norm1 = EdmGroupNorm.Edm(o.OutChannels, o.Eps, factory);
        conv1 = new EdmConv2d(o.OutChannels, o.OutChannels, 3, factory, o.InitZero);
        if (o.OutChannels != o.InChannels || o.Up || o.Down)
        {
            long kernel = o.ResampleProj || o.OutChannels != o.InChannels ? 1 : 0;
            skip = new EdmConv2d(o.InChannels, o.OutChannels, kernel, factory, o.Init, up: o.Up, down: o.Down, resampleFilter: o.ResampleFilter);
        }
        if (NumHeads > 0)
        {
            norm2 = EdmGroupNorm.Edm(o.OutChannels, o.Eps, factory);
            qkv = new EdmConv2d(o.OutChannels, o.OutChannels * 3, 1, factory, o.InitAttn ?? o.Init);
            proj = new EdmConv2d(o.OutChannels, o.OutChannels, 1, factory, o.InitZero);
        }
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Attention heads (0: no attention).</summary>
    public long NumHeads { get; }

    /// <summary>Applies the block to <c>x [B, Cin, H, W]</c> with embedding <c>emb [B or 1, E]</c>.</summary>
    public override Tensor forward(Tensor x, Tensor emb)
    {
        using var scope = NewDisposeScope();
        var orig = x;
        var h = conv0.call(F.silu(norm0.call(x)));
        var p = affine.call(emb).unsqueeze(2).unsqueeze(3);
        if (_adaptiveScale)
        {
            var chunks = p.chunk(2, 1);
            h = F.silu(addcmul(chunks[1], norm1.call(h), chunks[0].add(1), 1));
        }
        else
        {
            h = F.silu(norm1.call(h.add(p)));
        }
        if (training && _dropout > 0) h = F.dropout(h, _dropout, training);
        h = conv1.call(h);
        h = h.add(skip is null ? orig : skip.call(orig));
        if (_skipScale != 1) h = h.mul(_skipScale);

        if (NumHeads > 0)
        {
            long b = h.shape[0], c = h.shape[1], hh = h.shape[2], ww = h.shape[3];
            var t = qkv!.call(norm2!.call(h)).reshape(b * NumHeads, c / NumHeads, 3, hh * ww).permute(0, 3, 2, 1);
            var parts = t.unbind(2);
            var a = F.scaled_dot_product_attention(parts[0], parts[1], parts[2]);
            a = a.permute(0, 2, 1).reshape(b, c, hh, ww);
            h = proj!.call(a).add(h);
            if (_skipScale != 1) h = h.mul(_skipScale);
        }
        return scope.MoveToOuter(h);
    }
}
