namespace InverseBench.Algorithms.Smc;

/// <summary>How a sequential Monte Carlo solver draws ancestor indices from normalised particle weights.</summary>
/// <remarks>Reference <c>algo/ddsmc.py</c> <c>BatchedSMCHelper</c> (<c>smc_config.resampling_method</c>).</remarks>
public enum ResamplingMethod
{
    /// <summary>P independent categorical draws per group (reference <c>multinomial</c>).</summary>
    Multinomial,

    /// <summary>One uniform offset per group, points (j + u)/P on the weight CDF (reference <c>systematic</c>).</summary>
    Systematic,

    /// <summary>One uniform offset per point, (j + u_j)/P on the weight CDF (reference <c>stratified</c>).</summary>
    Stratified,
}
