namespace InverseBench.Operators.BlackHole;

/// <summary>How <see cref="BlackHoleOperator.Observe(TorchSharp.torch.Tensor, TorchSharp.torch.Generator)"/> corrupts the measurement (reference <c>noise_type</c>).</summary>
public enum BlackHoleNoiseType
{
    /// <summary><c>gaussian</c>: noise-free closure quantities plus <c>N(0, σ)</c> on amplitudes, closure phases and log closure amplitudes.</summary>
    Gaussian,

    /// <summary><c>vis_thermal</c>: complex thermal noise of std σ per component on the visibilities; everything derived from the noisy visibilities.</summary>
    VisThermal,

    /// <summary>
    /// <c>eht</c>: ehtim <c>observe_same(phasecal=False, ampcal=False)</c>: SEFD-based thermal noise, station gain errors
    /// <c>|(1 + 0.1·n_s)(1 + 0.1·n_{s,t})|</c> and random station phases; the flux is the median ALMA–APEX amplitude.
    /// </summary>
    Eht,
}
