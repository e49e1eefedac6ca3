namespace InverseBench.Operators.Mri.E2E;

/// <summary>
/// Architecture of <see cref="E2EVarNet"/>: the constructor arguments of the reference's <c>models/e2e/varnet.py</c>
/// <c>VarNet</c> (<c>configs/pretrain/mri-{knee,brain}-varnet.yaml</c> use the defaults).
/// </summary>
public sealed class E2EVarNetOptions
{
    /// <summary>Number of cascades (<c>num_cascades</c>).</summary>
    /// <value>The default is 12.</value>
    public int Cascades { get; set; } = 12;

    /// <summary>Channels of the sensitivity U-Net's first block (<c>sens_chans</c>).</summary>
    /// <value>The default is 8.</value>
    public int SensitivityChannels { get; set; } = 8;

    /// <summary>Levels of the sensitivity U-Net (<c>sens_pools</c>).</summary>
    /// <value>The default is 4.</value>
    public int SensitivityPools { get; set; } = 4;

    /// <summary>Channels of each cascade U-Net's first block (<c>chans</c>).</summary>
    /// <value>The default is 18.</value>
    public int Channels { get; set; } = 18;

    /// <summary>Levels of each cascade U-Net (<c>pools</c>).</summary>
    /// <value>The default is 4.</value>
    public int Pools { get; set; } = 4;

    /// <summary>Keep only the low frequencies for the sensitivity estimate (<c>mask_center</c>).</summary>
    /// <value>The default is true.</value>
    public bool MaskCenter { get; set; } = true;

    /// <summary>A copy.</summary>
    public E2EVarNetOptions Clone() => (E2EVarNetOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid value.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (Cascades < 1) errors.Add($"num_cascades must be at least 1 (got {Cascades})");
        if (SensitivityChannels < 1) errors.Add($"sens_chans must be at least 1 (got {SensitivityChannels})");
        if (SensitivityPools < 1) errors.Add($"sens_pools must be at least 1 (got {SensitivityPools})");
        if (Channels < 1) errors.Add($"chans must be at least 1 (got {Channels})");
        if (Pools < 1) errors.Add($"pools must be at least 1 (got {Pools})");
        if (errors.Count > 0) throw new ArgumentException("Invalid VarNet architecture: " + string.Join("; ", errors) + ".");
    }
}

/// <summary>
/// Architecture of <see cref="E2EResidualUNet"/>: the constructor arguments of the reference's <c>models/e2e/unet.py</c>
/// <c>ResidualUNet</c> (class defaults 32 channels and 4 levels; <c>configs/pretrain/mri-knee-unet.yaml</c> uses 64 channels).
/// </summary>
public sealed class E2EResidualUNetOptions
{
    /// <summary>Channels of the U-Net's first block (<c>chans</c>).</summary>
    /// <value>The default is 32 (class default).</value>
    public int Channels { get; set; } = 32;

    /// <summary>U-Net levels (<c>num_pool_layers</c>).</summary>
    /// <value>The default is 4.</value>
    public int PoolLayers { get; set; } = 4;

    /// <summary>Dropout probability (<c>drop_prob</c>; no effect at inference).</summary>
    /// <value>The default is 0.</value>
    public double DropProbability { get; set; }

    /// <summary>A copy.</summary>
    public E2EResidualUNetOptions Clone() => (E2EResidualUNetOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid value.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (Channels < 1) errors.Add($"chans must be at least 1 (got {Channels})");
        if (PoolLayers < 1) errors.Add($"num_pool_layers must be at least 1 (got {PoolLayers})");
        if (!(DropProbability >= 0 && DropProbability < 1)) errors.Add($"drop_prob must be in [0, 1) (got {DropProbability})");
        if (errors.Count > 0) throw new ArgumentException("Invalid ResidualUNet architecture: " + string.Join("; ", errors) + ".");
    }
}
