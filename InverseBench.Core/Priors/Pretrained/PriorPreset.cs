using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using static TorchSharp.torch;

namespace InverseBench.Core.Priors.Pretrained;

/// <summary>The network family of a preset.</summary>
public enum NetworkArchitecture
{
    /// <summary>EDM <see cref="DhariwalUNet"/>.</summary>
    DhariwalUNet,

    /// <summary>EDM <see cref="SongUNet"/> (DDPM++).</summary>
    SongUNet,

    /// <summary>OpenAI ADM <see cref="AdmUNet"/> (<c>UNetModel</c>).</summary>
    Adm,
}

/// <summary>The preconditioning of a preset.</summary>
public enum PreconditioningKind
{
    /// <summary><see cref="EdmPreconditioner"/>.</summary>
    Edm,

    /// <summary><see cref="VpPreconditioner"/>.</summary>
    Vp,

    /// <summary><see cref="VePreconditioner"/>.</summary>
    Ve,
}

/// <summary>
/// A named pretrained-prior architecture: the reference's <c>configs/pretrain/&lt;name&gt;.yaml</c> <c>model</c> block with
/// every constructor argument resolved (spec-models §1.2), and the checkpoint file the reference's problem config loads.
/// </summary>
public sealed class PriorPreset
{
    private readonly Func<ParameterInitialization, long, Device?, DiffusionNetwork> _network;

    internal PriorPreset(string name, string description, string checkpointFile, NetworkArchitecture architecture,
                         PreconditioningKind preconditioning, int resolution, int channels,
                         Func<ParameterInitialization, long, Device?, DiffusionNetwork> network, IReadOnlyList<string>? aliases = null)
    {
        Name = name;
        Description = description;
        CheckpointFile = checkpointFile;
        Architecture = architecture;
        Preconditioning = preconditioning;
        Resolution = resolution;
        Channels = channels;
        Aliases = aliases ?? [];
        _network = network;
    }

    /// <summary>The preset name (reference pretrain config name, e.g. <c>navier-stokes</c>).</summary>
    public string Name { get; }

    /// <summary>Other accepted names (e.g. <c>mri-knee-mvue</c> for <c>mri-knee</c>).</summary>
    public IReadOnlyList<string> Aliases { get; }

    /// <summary>What the prior models.</summary>
    public string Description { get; }

    /// <summary>The checkpoint file name the reference uses (e.g. <c>checkpoints/ns-5m.pt</c>).</summary>
    public string CheckpointFile { get; }

    /// <summary>Network family.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>Preconditioning.</summary>
    public PreconditioningKind Preconditioning { get; }

    /// <summary>Image resolution <c>R</c>.</summary>
    public int Resolution { get; }

    /// <summary>Image channels <c>C</c>.</summary>
    public int Channels { get; }

    /// <summary>
    /// Builds the preconditioned network. <see cref="ParameterInitialization.Uninitialized"/> (default) allocates without
    /// writing, for loading a checkpoint right after; <see cref="ParameterInitialization.Reference"/> draws the reference's
    /// initialisation from a generator seeded with <paramref name="seed"/>.
    /// </summary>
    public Preconditioner Build(ParameterInitialization initialization = ParameterInitialization.Uninitialized, long seed = 0, Device? device = null)
    {
        var net = _network(initialization, seed, device);
        return Preconditioning switch
        {
            PreconditioningKind.Edm => new EdmPreconditioner(net, Resolution, Channels),
            PreconditioningKind.Vp => new VpPreconditioner(net, Resolution, Channels),
            _ => new VePreconditioner(net, Resolution, Channels),
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Architecture}, {Preconditioning}, {Channels}×{Resolution}×{Resolution})";
}

/// <summary>The presets of the reference's <c>configs/pretrain</c> folder.</summary>
public static class PriorPresets
{
    /// <summary><c>navier-stokes</c> (EDM + DhariwalUNet, 1×128×128, 26,790,785 parameters).</summary>
    public const string NavierStokes = "navier-stokes";

    /// <summary><c>inv-scatter</c> (EDM + DhariwalUNet, 1×128×128).</summary>
    public const string InverseScattering = "inv-scatter";

    /// <summary><c>fwi</c> (EDM + DhariwalUNet, 1×128×128).</summary>
    public const string Fwi = "fwi";

    /// <summary><c>blackhole</c> (VP + SongUNet, 1×64×64, 20,041,217 parameters).</summary>
    public const string BlackHole = "blackhole";

    /// <summary><c>mri-brain</c> (EDM + DhariwalUNet, 2×320×320; config <c>mri-brain-mvue</c>).</summary>
    public const string MriBrain = "mri-brain";

    /// <summary><c>mri-knee</c> (EDM + DhariwalUNet, 2×320×320, 26,002,050 parameters; config <c>mri-knee-mvue</c>).</summary>
    public const string MriKnee = "mri-knee";

    /// <summary><c>ffhq256</c> (VP + ADM UNetModel, 3×256×256, 93,563,910 parameters).</summary>
    public const string Ffhq256 = "ffhq256";

    /// <summary>All presets.</summary>
    public static IReadOnlyList<PriorPreset> All { get; } =
    [
        Dhariwal(NavierStokes, "2-D Navier–Stokes vorticity fields (Re 200)", "checkpoints/ns-5m.pt", 128, 1),
        Dhariwal(InverseScattering, "inverse-scattering permittivity maps", "checkpoints/inv-scatter-5m.pt", 128, 1),
        Dhariwal(Fwi, "full-waveform-inversion velocity maps", "checkpoints/fwi-5m.pt", 128, 1),
        Dhariwal(MriBrain, "multi-coil MRI brain MVUE images (real, imaginary)", "checkpoints/mri-brain.pt", 320, 2, "mri-brain-mvue"),
        Dhariwal(MriKnee, "multi-coil MRI knee MVUE images (real, imaginary)", "checkpoints/mri-knee.pt", 320, 2, "mri-knee-mvue"),
        new PriorPreset(BlackHole, "black-hole images (EHT)", "checkpoints/blackhole-50k.pt", NetworkArchitecture.SongUNet,
            PreconditioningKind.Vp, 64, 1, (init, seed, device) => new SongUNet(new SongUNetOptions
            {
                ImgResolution = 64, InChannels = 1, OutChannels = 1, ModelChannels = 128, ChannelMult = [1, 2, 2], ChannelMultEmb = 4,
                NumBlocks = 1, AttnResolutions = [16], Dropout = 0, ChannelMultNoise = 1, ResampleFilter = [1.0, 1.0],
                Initialization = init, InitSeed = seed,
            }, device)),
        new PriorPreset(Ffhq256, "FFHQ 256×256 faces (ADM weights converted from DPS)", "checkpoints/ffhq256.pt", NetworkArchitecture.Adm,
            PreconditioningKind.Vp, 256, 3, (init, seed, device) => new AdmUNet(new AdmUNetOptions
            {
                ImgResolution = 256, InChannels = 3, ModelChannels = 128, OutChannels = 3, NumResBlocks = 1, AttentionResolutions = [16],
                LearnSigma = true, Dropout = 0, ChannelMult = [1, 1, 2, 2, 4, 4], NumHeads = 4, NumHeadChannels = 64,
                UseScaleShiftNorm = true, ResblockUpdown = true, Initialization = init, InitSeed = seed,
            }, device)),
    ];

    /// <summary>Finds a preset by name or alias (case-insensitive).</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists the valid names.</exception>
    public static PriorPreset Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)
                                       || p.Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase)))
               ?? throw new KeyNotFoundException($"Unknown prior preset '{name}'. Valid presets: " +
                                                 string.Join(", ", All.Select(p => p.Aliases.Count == 0 ? p.Name : $"{p.Name} ({string.Join(", ", p.Aliases)})")) + ".");
    }

    private static PriorPreset Dhariwal(string name, string description, string file, int resolution, int channels, string? alias = null) =>
        new(name, description, file, NetworkArchitecture.DhariwalUNet, PreconditioningKind.Edm, resolution, channels,
            (init, seed, device) => new DhariwalUNet(new DhariwalUNetOptions
            {
                ImgResolution = resolution, InChannels = channels, OutChannels = channels, ModelChannels = 128, ChannelMult = [1, 1, 1, 2, 2],
                ChannelMultEmb = 4, NumBlocks = 1, AttnResolutions = [16], Dropout = 0, Initialization = init, InitSeed = seed,
            }, device), alias is null ? null : [alias]);
}
