using InverseBench.Core.Diffusion.Preconditioning;
using InverseBench.Core.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.TestUtilities;

/// <summary>Small real network priors for tests that need a network (not an analytic prior) but cannot afford a full-size one.</summary>
internal static class TinyNetworkPriors
{
    /// <summary>
    /// An EDM + DhariwalUNet prior on <c>[1, 16, 16]</c> (16 and 32 channels, attention at 8×8) with reference
    /// initialisation and every weight perturbed by <c>N(0, 0.05²)</c> (so zero-initialised layers do not hide mistakes).
    /// </summary>
    public static PreconditionedPrior Edm16(long initSeed, ulong perturbationSeed, string name)
    {
        var unet = new DhariwalUNet(new DhariwalUNetOptions
        {
            ImgResolution = 16, InChannels = 1, OutChannels = 1, ModelChannels = 16, ChannelMult = [1, 2], NumBlocks = 1,
            AttnResolutions = [8], Dropout = 0, Initialization = ParameterInitialization.Reference, InitSeed = initSeed,
        });
        var net = new EdmPreconditioner(unet, 16, 1);
        using (var g = new Generator(perturbationSeed))
        using (no_grad())
            foreach (var p in net.parameters())
                using (var noise = randn(p.shape, generator: g))
                    p.add_(noise.mul(0.05));
        return new PreconditionedPrior(net, name);
    }
}
