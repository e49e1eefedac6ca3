using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace InverseBench.Core.Modules;

// Primitive layers shared by the EDM networks (reference models/modules.py) and the ADM network (models/nn.py). Field
// names are the PyTorch attribute names on purpose: they are the state-dict keys ("weight", "bias", "resample_filter").
#pragma warning disable IDE1006 // snake_case fields are state-dict keys

/// <summary>Fully-connected layer <c>x·Wᵀ + b</c> (reference <c>modules.Linear</c>; keys <c>weight [out,in]</c>, <c>bias [out]</c>).</summary>
public sealed class EdmLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    /// <summary>Creates the layer.</summary>
    public EdmLinear(long inFeatures, long outFeatures, ParameterFactory factory, InitSpec init, bool hasBias = true) : base(nameof(EdmLinear))
    {
        ArgumentNullException.ThrowIfNull(factory);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(factory.Draw([outFeatures, inFeatures], init.Mode, inFeatures, outFeatures, init.Weight));
        if (hasBias) bias = new Parameter(factory.Draw([outFeatures], init.Mode, inFeatures, outFeatures, init.Bias));
        RegisterComponents();
    }

    /// <summary>Input features.</summary>
    public long InFeatures { get; }

    /// <summary>Output features.</summary>
    public long OutFeatures { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor x) => F.linear(x, weight, bias);
}

/// <summary>
/// 2-D convolution with optional 2× up/down-sampling by a separable box filter applied <b>before</b> the convolution
/// (reference <c>modules.Conv2d</c>, non-fused path). <c>kernel = 0</c> gives a pure resampler without parameters.
/// Keys: <c>weight [out,in,k,k]</c>, <c>bias [out]</c> (when <c>kernel &gt; 0</c>), <c>resample_filter [1,1,f,f]</c> (when up or down).
/// </summary>
public sealed class EdmConv2d : nn.Module<Tensor, Tensor>, IReducedPrecisionLayer
{
    private readonly Parameter? weight;
    private readonly Parameter? bias;
    private readonly Tensor? resample_filter;
    private readonly long _padding, _stride;
    private readonly bool _boxFilter;
    private readonly ReducedPrecisionWeights _reduced = new();

    /// <summary>Creates the layer.</summary>
    public EdmConv2d(long inChannels, long outChannels, long kernel, ParameterFactory factory, InitSpec init,
                     bool hasBias = true, bool up = false, bool down = false, IReadOnlyList<double>? resampleFilter = null,
                     long stride = 1)
        : base(nameof(EdmConv2d))
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (up && down) throw new ArgumentException("A convolution cannot both up- and down-sample.");
        InChannels = inChannels;
        OutChannels = outChannels;
        Up = up;
        Down = down;
        long fanIn = inChannels * kernel * kernel, fanOut = outChannels * kernel * kernel;
        if (kernel > 0)
        {
            weight = new Parameter(factory.Draw([outChannels, inChannels, kernel, kernel], init.Mode, fanIn, fanOut, init.Weight));
            if (hasBias) bias = new Parameter(factory.Draw([outChannels], init.Mode, fanIn, fanOut, init.Bias));
        }
        _padding = kernel / 2;
        if (stride < 1 || (stride != 1 && (up || down))) throw new ArgumentException("Stride must be 1 with up/down-sampling, and positive.");
        _stride = stride;
        if (up || down)
        {
            var f = (resampleFilter ?? [1.0, 1.0]).ToArray();
            _boxFilter = f.Length == 2 && f[0] == f[1] && f[0] != 0;
            double sum = f.Sum();
            var values = new float[f.Length * f.Length];
            for (int i = 0; i < f.Length; i++)
                for (int j = 0; j < f.Length; j++)
                    values[i * f.Length + j] = (float)(f[i] * f[j] / (sum * sum));
            resample_filter = tensor(values, [1, 1, f.Length, f.Length], float32).to(factory.Device);
        }
        RegisterComponents();
    }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Output channels.</summary>
    public long OutChannels { get; }

    /// <summary>Whether the input is up-sampled 2× (nearest for the box filter) before the convolution.</summary>
    public bool Up { get; }

    /// <summary>Whether the input is down-sampled 2× (2×2 mean for the box filter) before the convolution.</summary>
    public bool Down { get; }

    /// <inheritdoc />
    public ScalarType? ComputeType => _reduced.ComputeType;

    /// <inheritdoc />
    public void UseComputeType(ScalarType? computeType) => _reduced.Use(computeType, weight, bias);

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        // Reduced precision (see NetworkPrecision): the input and the weights in the compute dtype, the output back in the
        // parameters' dtype, so everything between convolutions stays in full precision. Pure resamplers never round.
        var (w, b) = _reduced.Weights(weight, bias);
        bool reduced = weight is not null && _reduced.ComputeType is not null;
        if (reduced) x = x.to(_reduced.ComputeType!.Value);
        if (resample_filter is null)
            return scope.MoveToOuter(w is null ? x.alias() : Restore(F.conv2d(x, w, b, strides: [_stride, _stride], padding: [_padding, _padding]), reduced));

        long fPad = (resample_filter.shape[^1] - 1) / 2;
        Tensor h;
        if (_boxFilter)
        {
            // The 2-tap box filter (EDM's default [1, 1]): the grouped transposed convolution with weights 4·¼ = 1 is
            // exactly nearest-neighbour upsampling, and the grouped strided convolution is the 2×2 mean (equal up to the
            // order of the float additions). The dedicated kernels skip building a per-channel filter on every call.
            h = Up ? F.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest) : F.avg_pool2d(x, [2, 2], [2, 2]);
        }
        else if (Up)
        {
            using var f = resample_filter.to(x.dtype).mul(4).repeat(InChannels, 1, 1, 1);
            h = F.conv_transpose2d(x, f, strides: [2, 2], padding: [fPad, fPad], groups: InChannels);
        }
        else
        {
            using var f = resample_filter.to(x.dtype).repeat(InChannels, 1, 1, 1);
            h = F.conv2d(x, f, strides: [2, 2], padding: [fPad, fPad], groups: InChannels);
        }
        if (w is not null) h = Restore(F.conv2d(h, w, b, padding: [_padding, _padding]), reduced);
        return scope.MoveToOuter(h);
    }

    private Tensor Restore(Tensor h, bool reduced) => reduced ? h.to(weight!.dtype) : h;

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _reduced.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Group normalisation with affine <c>weight</c>/<c>bias</c> (reference <c>modules.GroupNorm</c> and ADM <c>GroupNorm32</c>).</summary>
public sealed class EdmGroupNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <summary>Creates the layer with an explicit group count.</summary>
    public EdmGroupNorm(long numChannels, long numGroups, double eps, ParameterFactory factory) : base(nameof(EdmGroupNorm))
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (numGroups < 1 || numChannels % numGroups != 0)
            throw new ArgumentException($"GroupNorm: {numChannels} channels cannot be split into {numGroups} groups.");
        NumGroups = numGroups;
        Eps = eps;
        weight = new Parameter(factory.Constant([numChannels], 1.0));
        bias = new Parameter(factory.Constant([numChannels], 0.0));
        RegisterComponents();
    }

    /// <summary>The EDM rule: <c>min(32, C / 4)</c> groups.</summary>
    public static EdmGroupNorm Edm(long numChannels, double eps, ParameterFactory factory) =>
        new(numChannels, Math.Min(32, numChannels / 4), eps, factory);

    /// <summary>Number of groups.</summary>
    public long NumGroups { get; }

    /// <summary>Epsilon.</summary>
    public double Eps { get; }

    /// <summary>
    /// Normalises <paramref name="x"/> in the parameters' dtype: a reduced-precision input (bfloat16/float16 activations of
    /// a network evaluated with <see cref="NetworkPrecision"/>) is promoted first, so statistics are never accumulated in
    /// reduced precision. The result has the parameters' dtype.
    /// </summary>
    public override Tensor forward(Tensor x)
    {
        if (x.dtype == weight.dtype) return F.group_norm(x, NumGroups, weight, bias, Eps);
        using var promoted = x.to(weight.dtype);
        return F.group_norm(promoted, NumGroups, weight, bias, Eps);
    }
}

/// <summary>A kernel-1 1-D convolution <c>[B, Cin, T] → [B, Cout, T]</c> (ADM attention <c>qkv</c>/<c>proj_out</c>; keys <c>weight [out,in,1]</c>, <c>bias</c>).</summary>
public sealed class PointwiseConv1d : nn.Module<Tensor, Tensor>, IReducedPrecisionLayer
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly ReducedPrecisionWeights _reduced = new();

    /// <summary>Creates the layer.</summary>
    public PointwiseConv1d(long inChannels, long outChannels, ParameterFactory factory, InitSpec init) : base(nameof(PointwiseConv1d))
    {
        ArgumentNullException.ThrowIfNull(factory);
        weight = new Parameter(factory.Draw([outChannels, inChannels, 1], init.Mode, inChannels, outChannels, init.Weight));
        bias = new Parameter(factory.Draw([outChannels], init.Mode, inChannels, outChannels, init.Bias));
        RegisterComponents();
    }

    /// <inheritdoc />
    public ScalarType? ComputeType => _reduced.ComputeType;

    /// <inheritdoc />
    public void UseComputeType(ScalarType? computeType) => _reduced.Use(computeType, weight, bias);

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var (w, b) = _reduced.Weights(weight, bias);
        if (_reduced.ComputeType is not { } ct) return F.conv1d(x, w!, b);
        using var cast = x.to(ct);
        using var h = F.conv1d(cast, w!, b);
        return h.to(weight.dtype);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing) _reduced.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Sinusoidal noise embeddings of the three networks.</summary>
public static class NoiseEmbedding
{
    /// <summary>
    /// EDM <c>PositionalEmbedding</c>: <c>freqs = (1/maxPositions)^(i / (N/2 − endpoint))</c>, <c>[cos(x·f), sin(x·f)]</c>, computed in
    /// <paramref name="noiseLabels"/>' dtype. Returns <c>[B, N]</c>.
    /// </summary>
    public static Tensor Positional(Tensor noiseLabels, long numChannels, bool endpoint, double maxPositions = 10000)
    {
        ArgumentNullException.ThrowIfNull(noiseLabels);
        using var scope = NewDisposeScope();
        long half = numChannels / 2;
        var freqs = arange(0, half, dtype: noiseLabels.dtype, device: noiseLabels.device).div(half - (endpoint ? 1 : 0));
        freqs = full_like(freqs, 1.0 / maxPositions).pow(freqs);
        var e = noiseLabels.reshape(-1).outer(freqs);
        return scope.MoveToOuter(cat([e.cos(), e.sin()], 1));
    }

    /// <summary>ADM <c>timestep_embedding</c>: <c>freqs = exp(−ln(maxPeriod)·i/half)</c>, <c>[cos, sin]</c>. Returns <c>[B, dim]</c>.</summary>
    public static Tensor Timestep(Tensor timesteps, long dim, double maxPeriod = 10000)
    {
        ArgumentNullException.ThrowIfNull(timesteps);
        using var scope = NewDisposeScope();
        long half = dim / 2;
        var freqs = arange(0, half, dtype: timesteps.dtype, device: timesteps.device).mul(-Math.Log(maxPeriod)).div(half).exp();
        var args = timesteps.reshape(-1, 1).mul(freqs.unsqueeze(0));
        var emb = cat([args.cos(), args.sin()], -1);
        if (dim % 2 == 1) emb = cat([emb, zeros_like(emb[.., ..1])], -1);
        return scope.MoveToOuter(emb);
    }
}
