using InverseBench.Core.Checkpoints;
using InverseBench.Operators.Mri.Baselines;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.E2E;

/// <summary>Builds the end-to-end MRI networks and loads them strictly from checkpoints in the reference's key layout.</summary>
public static class E2ENetworks
{
    /// <summary>A network of the given kind with the given architecture (PyTorch default initialisation; load weights next).</summary>
    /// <param name="mode">VarNet or residual U-Net.</param>
    /// <param name="varNet">VarNet architecture (used for <see cref="E2eMriMode.VarNet"/>).</param>
    /// <param name="unet">Residual U-Net architecture (used for <see cref="E2eMriMode.UNet"/>).</param>
    public static E2EReconstructionNetwork Create(E2eMriMode mode, E2EVarNetOptions? varNet = null, E2EResidualUNetOptions? unet = null) => mode switch
    {
        E2eMriMode.VarNet => new E2EVarNet(varNet),
        E2eMriMode.UNet => new E2EResidualUNet(unet),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "mode must be VarNet or UNet."),
    };

    /// <summary>
    /// Builds the network and loads <paramref name="checkpoint"/> strictly (<see cref="Checkpoint.Load(TorchSharp.torch.nn.Module, string, bool)"/>:
    /// the <c>ema</c> entry, else <c>net</c>, else a bare state dict; every missing, unexpected or mis-shaped key is reported),
    /// then switches it to evaluation mode on <paramref name="device"/>.
    /// </summary>
    /// <param name="checkpoint">The checkpoint file.</param>
    /// <param name="mode">VarNet or residual U-Net.</param>
    /// <param name="varNet">VarNet architecture.</param>
    /// <param name="unet">Residual U-Net architecture.</param>
    /// <param name="device">Target device (CPU when null).</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointException">The file is unreadable or its keys/shapes do not match the architecture.</exception>
    public static E2EReconstructionNetwork Load(string checkpoint, E2eMriMode mode, E2EVarNetOptions? varNet = null, E2EResidualUNetOptions? unet = null,
        Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpoint);
        if (!File.Exists(checkpoint))
            throw new FileNotFoundException($"The {mode} checkpoint '{Path.GetFullPath(checkpoint)}' does not exist.", checkpoint);
        var network = Create(mode, varNet, unet);
        try
        {
            Checkpoint.Load(network, checkpoint, strict: true);
            network.eval();
            if (device is not null) network.to(device);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
