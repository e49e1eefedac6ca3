using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using InverseBench.Core.Priors.Pretrained;

namespace InverseBench.Tests.Training;

/// <summary>Small reference-shaped networks for the training tests.</summary>
internal static class TinyNetworks
{
    /// <summary>The constructor arguments (reference config keys) of a small DhariwalUNet.</summary>
    public static Dictionary<string, object?> DhariwalArgs(int resolution, int modelChannels = 16) => new()
    {
        ["model_type"] = "DhariwalUNet",
        ["img_resolution"] = resolution,
        ["img_channels"] = 1,
        ["model_channels"] = modelChannels,
        ["channel_mult"] = new List<object> { 1, 2 },
        ["attn_resolutions"] = new List<object> { resolution / 2 },
        ["num_blocks"] = 1,
        ["dropout"] = 0.0,
    };

    /// <summary>An EDM-preconditioned small DhariwalUNet with the reference's initialisation (its output layer is zero).</summary>
    public static Preconditioner Edm(int resolution, long seed = 0, int modelChannels = 16) =>
        ReferenceModelConfig.Build("models.precond.EDMPrecond", DhariwalArgs(resolution, modelChannels), ParameterInitialization.Reference, seed);

    /// <summary>An uninitialised copy (for the EMA).</summary>
    public static Preconditioner EdmUninitialized(int resolution, int modelChannels = 16) =>
        ReferenceModelConfig.Build("models.precond.EDMPrecond", DhariwalArgs(resolution, modelChannels));

    /// <summary>A VP- or VE-preconditioned small DhariwalUNet with the reference's initialisation.</summary>
    public static Preconditioner With(string precond, int resolution) =>
        ReferenceModelConfig.Build(precond, DhariwalArgs(resolution), ParameterInitialization.Reference, 0);
}
