using System.Collections;
using System.Globalization;
using System.Text.Json;
using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using static TorchSharp.torch;

namespace InverseBench.Core.Priors.Pretrained;

/// <summary>
/// Builds networks from the reference's constructor arguments, i.e. the <c>model:</c> block of a
/// <c>configs/pretrain/*.yaml</c> file (<c>_target_: models.precond.EDMPrecond</c>, <c>model_type: DhariwalUNet</c>,
/// <c>model_channels: 128</c>, …). Values may be numbers, booleans, strings, lists or <see cref="JsonElement"/>s. Unknown or
/// unsupported arguments are refused with one message listing them.
/// </summary>
public static class ReferenceModelConfig
{
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "_target_", "label_dim", "use_fp16", "augment_dim", "label_dropout" };

    /// <summary>Builds the preconditioned network named by <paramref name="target"/> (e.g. <c>models.precond.EDMPrecond</c> or <c>EDMPrecond</c>).</summary>
    public static Preconditioner Build(string target, IReadOnlyDictionary<string, object?> kwargs,
                                       ParameterInitialization initialization = ParameterInitialization.Uninitialized, long seed = 0, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        ArgumentNullException.ThrowIfNull(kwargs);
        var args = new Args(kwargs);
        foreach (var k in new[] { "label_dim", "augment_dim" })
            if (args.Has(k) && args.Int(k, 0) != 0) throw new NotSupportedException($"{k} = {args.Int(k, 0)} is not supported (unconditional networks only).");
        int res = args.Int("img_resolution");
        int ch = args.Int("img_channels");
        string cls = target[(target.LastIndexOf('.') + 1)..];
        string modelType = args.Str("model_type", cls switch { "EDMPrecond" => "DhariwalUNet", "iDDPMPrecond" => "DhariwalUNet", _ => "SongUNet" });
        int outCh = cls == "iDDPMPrecond" ? 2 * ch : ch;
        Preconditioner Wrap(DiffusionNetwork net) => cls switch
        {
            "iDDPMPrecond" => new IddpmPreconditioner(net, res, ch, args.Dbl("C_1", 0.001), args.Dbl("C_2", 0.008), args.Int("M", 1000)),
            "EDMPrecond" => new EdmPreconditioner(net, res, ch, args.Dbl("sigma_data", 0.5), args.Dbl("sigma_min", 0), args.Dbl("sigma_max", double.PositiveInfinity)),
            "VPPrecond" => new VpPreconditioner(net, res, ch, args.Dbl("beta_d", 19.9), args.Dbl("beta_min", 0.1), args.Int("M", 1000), args.Dbl("epsilon_t", 1e-5)),
            "VEPrecond" => new VePreconditioner(net, res, ch, args.Dbl("sigma_min", 0.02), args.Dbl("sigma_max", 100)),
            _ => throw new NotSupportedException($"Preconditioner '{target}' is not supported (EDMPrecond, VPPrecond, VEPrecond, iDDPMPrecond)."),
        };
        if (cls is not ("EDMPrecond" or "VPPrecond" or "VEPrecond" or "iDDPMPrecond"))
            throw new NotSupportedException($"Preconditioner '{target}' is not supported (EDMPrecond, VPPrecond, VEPrecond, iDDPMPrecond).");
        args.Use("sigma_data", "sigma_min", "sigma_max", "beta_d", "beta_min", "M", "epsilon_t", "C_1", "C_2");

        DiffusionNetwork network;
        switch (modelType)
        {
            case "DhariwalUNet":
            {
                var d = new DhariwalUNetOptions();
                network = new DhariwalUNet(new DhariwalUNetOptions
                {
                    ImgResolution = res, InChannels = ch, OutChannels = outCh,
                    ModelChannels = args.Int("model_channels", d.ModelChannels), ChannelMult = args.Ints("channel_mult", d.ChannelMult),
                    ChannelMultEmb = args.Int("channel_mult_emb", d.ChannelMultEmb), NumBlocks = args.Int("num_blocks", d.NumBlocks),
                    AttnResolutions = args.Ints("attn_resolutions", d.AttnResolutions), Dropout = args.Dbl("dropout", d.Dropout),
                    Initialization = initialization, InitSeed = seed,
                }, device);
                break;
            }
            case "SongUNet":
            {
                var d = new SongUNetOptions();
                if (args.Str("embedding_type", "positional") != "positional") throw new NotSupportedException("SongUNet embedding_type must be 'positional'.");
                if (args.Str("encoder_type", "standard") != "standard" || args.Str("decoder_type", "standard") != "standard")
                    throw new NotSupportedException("SongUNet encoder_type/decoder_type must be 'standard'.");
                network = new SongUNet(new SongUNetOptions
                {
                    ImgResolution = res, InChannels = ch, OutChannels = outCh,
                    ModelChannels = args.Int("model_channels", d.ModelChannels), ChannelMult = args.Ints("channel_mult", d.ChannelMult),
                    ChannelMultEmb = args.Int("channel_mult_emb", d.ChannelMultEmb), ChannelMultNoise = args.Int("channel_mult_noise", d.ChannelMultNoise),
                    NumBlocks = args.Int("num_blocks", d.NumBlocks), AttnResolutions = args.Ints("attn_resolutions", d.AttnResolutions),
                    Dropout = args.Dbl("dropout", d.Dropout), ResampleFilter = args.Ints("resample_filter", [1, 1]).Select(v => (double)v).ToArray(),
                    Initialization = initialization, InitSeed = seed,
                }, device);
                break;
            }
            case "ADM":
            {
                var d = new AdmUNetOptions();
                if (args.Int("dims", 2) != 2) throw new NotSupportedException("ADM dims must be 2.");
                args.Use("use_checkpoint");
                network = new AdmUNet(new AdmUNetOptions
                {
                    ImgResolution = res, InChannels = ch, OutChannels = outCh, ModelChannels = args.Int("model_channels", d.ModelChannels),
                    NumResBlocks = args.Int("num_res_blocks"), AttentionResolutions = args.Ints("attention_resolutions"),
                    LearnSigma = args.Bool("learn_sigma", true), Dropout = args.Dbl("dropout", 0), ChannelMult = args.Ints("channel_mult", d.ChannelMult),
                    ConvResample = args.Bool("conv_resample", true), NumHeads = args.Int("num_heads", 1), NumHeadChannels = args.Int("num_head_channels", -1),
                    NumHeadsUpsample = args.Int("num_heads_upsample", -1), UseScaleShiftNorm = args.Bool("use_scale_shift_norm", false),
                    ResblockUpdown = args.Bool("resblock_updown", false), UseNewAttentionOrder = args.Bool("use_new_attention_order", false),
                    Initialization = initialization, InitSeed = seed,
                }, device);
                break;
            }
            default:
                throw new NotSupportedException($"model_type '{modelType}' is not supported (DhariwalUNet, SongUNet, ADM).");
        }
        try
        {
            var unknown = args.Unused();
            if (unknown.Count > 0) throw new NotSupportedException($"Unsupported constructor arguments for {cls}/{modelType}: {string.Join(", ", unknown)}.");
            return Wrap(network);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private sealed class Args(IReadOnlyDictionary<string, object?> kwargs)
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal) { "model_type", "img_resolution", "img_channels" };

        public bool Has(string k) => kwargs.ContainsKey(k);

        public void Use(params string[] keys)
        {
            foreach (var k in keys) _used.Add(k);
        }

        public List<string> Unused() => kwargs.Keys.Where(k => !_used.Contains(k) && !Ignored.Contains(k)).ToList();

        private object? Get(string k, bool required)
        {
            _used.Add(k);
            if (kwargs.TryGetValue(k, out var v)) return v is JsonElement j ? FromJson(j) : v;
            if (required) throw new ArgumentException($"Constructor argument '{k}' is required.");
            return null;
        }

        public int Int(string k, int? fallback = null) =>
            Get(k, fallback is null) is { } v ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : fallback!.Value;

        public double Dbl(string k, double fallback) =>
            Get(k, false) is { } v ? (v is string s ? double.Parse(s.Replace("inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture) : Convert.ToDouble(v, CultureInfo.InvariantCulture)) : fallback;

        public bool Bool(string k, bool fallback) => Get(k, false) is { } v ? Convert.ToBoolean(v, CultureInfo.InvariantCulture) : fallback;

        public string Str(string k, string fallback) => Get(k, false) is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture)! : fallback;

        public IReadOnlyList<int> Ints(string k, IReadOnlyList<int>? fallback = null)
        {
            var v = Get(k, fallback is null);
            if (v is null) return fallback!;
            if (v is string s) return s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            if (v is IEnumerable e) return e.Cast<object>().Select(x => Convert.ToInt32(x is JsonElement j ? FromJson(j) : x, CultureInfo.InvariantCulture)).ToArray();
            return [Convert.ToInt32(v, CultureInfo.InvariantCulture)];
        }

        private static object? FromJson(JsonElement j) => j.ValueKind switch
        {
            JsonValueKind.Number => j.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => j.GetString(),
            JsonValueKind.Array => j.EnumerateArray().Select(FromJson).ToList(),
            JsonValueKind.Null => null,
            _ => throw new ArgumentException($"Unsupported argument value {j}."),
        };
    }
}
