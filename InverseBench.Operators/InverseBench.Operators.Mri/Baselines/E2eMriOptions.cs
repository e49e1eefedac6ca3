using InverseBench.Core.Abstractions;
using InverseBench.Operators.Mri.E2E;

namespace InverseBench.Operators.Mri.Baselines;

/// <summary>Which end-to-end network <c>e2e_mri</c> runs (the reference's <c>mode</c> key).</summary>
public enum E2eMriMode
{
    /// <summary>E2E-VarNet (<c>models.e2e.varnet.VarNet</c>, <c>configs/pretrain/mri-*-varnet.yaml</c>).</summary>
    VarNet,

    /// <summary>The residual U-Net (<c>models.e2e.unet.ResidualUNet</c>, <c>configs/pretrain/mri-*-unet.yaml</c>).</summary>
    UNet,
}

/// <summary>
/// Options of the end-to-end MRI baseline (reference <c>algo/e2e_mri.py</c> <c>End2EndMRI</c>, config
/// <c>configs/algorithm/e2e_mri.yaml</c>): inference of a trained E2E-VarNet or residual U-Net from a checkpoint in the
/// reference's fastMRI key layout. The reference takes the network from <c>problem.prior</c> with the architecture of
/// <c>pretrain.model</c>; here both are solver keys (<c>checkpoint</c>, <c>model</c>), since the network is no diffusion prior.
/// </summary>
public sealed class E2eMriOptions : SolverOptions
{
    /// <summary>The registered name.</summary>
    public const string SolverName = "e2e_mri";

    /// <summary>Creates options with the defaults.</summary>
    public E2eMriOptions() => Name = SolverName;

    /// <summary>The network (<c>mode</c>).</summary>
    /// <value>The default is <see cref="E2eMriMode.VarNet"/> (e2e_mri.yaml).</value>
    public E2eMriMode Mode { get; set; } = E2eMriMode.VarNet;

    /// <summary>
    /// The checkpoint (<c>checkpoint</c>): a <c>torch.save</c> file holding <c>{'ema': state_dict}</c> or <c>{'net': state_dict}</c>
    /// (reference <c>main.py</c>) or a bare state dict, loaded strictly.
    /// </summary>
    /// <value>No default: required unless the solver is given a network instance.</value>
    public string? Checkpoint { get; set; }

    /// <summary>Architecture when <see cref="Mode"/> is <see cref="E2eMriMode.VarNet"/> (keys under <c>model</c>).</summary>
    public E2EVarNetOptions VarNet { get; set; } = new();

    /// <summary>Architecture when <see cref="Mode"/> is <see cref="E2eMriMode.UNet"/> (keys under <c>model</c>).</summary>
    public E2EResidualUNetOptions UNet { get; set; } = new();

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (!Enum.IsDefined(Mode)) errors.Add($"{nameof(Mode)} must be VarNet or UNet (got {Mode})");
        if (VarNet is null) errors.Add($"{nameof(VarNet)} must not be null");
        if (UNet is null) errors.Add($"{nameof(UNet)} must not be null");
    }
}
