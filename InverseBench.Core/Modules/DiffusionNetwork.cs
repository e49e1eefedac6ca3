using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Modules;

/// <summary>
/// A noise-conditioned image network <c>F(x, noise_labels)</c> as wrapped by the preconditioners (reference
/// <c>self.model</c> of <c>models/precond.py</c>). Inputs <c>x [B, InChannels, R, R]</c> and <c>noise_labels [B]</c> or <c>[1]</c>
/// (broadcast over the batch); output <c>[B, OutChannels, R, R]</c>.
/// </summary>
public abstract class DiffusionNetwork : nn.Module<Tensor, Tensor, Tensor>
{
    /// <summary>Creates the network base.</summary>
    protected DiffusionNetwork(string name, long resolution, long inChannels, long outChannels) : base(name)
    {
        Resolution = resolution;
        InChannels = inChannels;
        OutChannels = outChannels;
    }

    /// <summary>Image resolution the network was built for.</summary>
    public long Resolution { get; }

    /// <summary>Input channels.</summary>
    public long InChannels { get; }

    /// <summary>Channels of the returned output (for ADM with learned σ: only the first half of the final conv).</summary>
    public long OutChannels { get; }

    /// <summary>Number of parameter elements.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());
}
