using InverseBench.Core.Configuration;

namespace InverseBench.Algorithms.Common;

/// <summary>
/// The <c>reference_compatible</c> key of a solver's <c>method</c> config: one switch that turns on every reference quirk of
/// the solver at once, so a config-driven run reproduces the reference's numbers on purpose. Each quirk keeps its own key
/// (e.g. <c>normalization</c>, <c>reference_scaled_network_input</c>), which, when present, overrides the switch.
/// </summary>
/// <remarks>
/// The CLI's top-level <c>reference_compatible=true</c> writes this key into <c>algorithm.method</c>. Solvers without quirks
/// read and ignore it, so the switch is accepted by every solver.
/// </remarks>
public static class ReferenceCompatibility
{
    /// <summary>The config key, <c>reference_compatible</c>.</summary>
    public const string Key = "reference_compatible";

    /// <summary>
    /// Every quirk key of the solvers' <c>method</c> sections: solver name, key, values (default first) and what the
    /// reference value does. <see cref="Key"/> turns each on unless the key itself is given. For help texts and docs.
    /// </summary>
    public static IReadOnlyList<(string Solver, string Key, string Values, string Meaning)> QuirkKeys { get; } =
    [
        ("dps", "normalization", "per_sample | reference_batch_sum", "divide the guidance by √ of the batch-summed loss (couples samples)"),
        ("lgd", "normalizer", "reference_sum | mean", "sum (reference, default) or mean of the Monte-Carlo losses under the √"),
        ("daps", "reference_inner_schedule", "false | true", "levels below the inner σ_min run the reference's upward inner grid instead of one denoiser call"),
        ("daps", "reference_nan_to_zeros", "false | true", "a Langevin chain that turns NaN/Inf returns zeros and the run continues (default: error naming the level and step)"),
        ("ddnm", "reference_normalization", "false | true", "pseudo-inverse ignores unnorm_shift/unnorm_scale; noise floor in measurement units"),
        ("reddiff", "reference_scaled_network_input", "false | true", "the denoiser sees s_i(μ + σ_i ε) without dividing by s_i"),
        ("pnpdm", "partial_schedule", "aligned | reference_misaligned", "the partial schedule's factors are taken one step early"),
        ("pnpdm", "reference_nan_to_zeros", "false | true", "a Langevin chain that turns NaN/Inf returns zeros and the run continues (default: error naming the level and step)"),
        ("fps", "variant", "reference | rederived", "the reference's algorithm (default) or the port's re-derivation"),
        ("fps", "return_all_particles", "true | false", "return all particles (reference, default) or one per sample"),
        ("mcgdiff", "variant", "reference | rederived", "the reference's algorithm (default) or the port's re-derivation"),
        ("mcgdiff", "return_all_particles", "true | false", "return all particles (reference, default) or one per sample"),
        ("ddsmc", "reference_noise_units", "false | true", "likelihood/proposal use σ_noise in physical units, not σ_noise/unnorm_scale"),
        ("uncond", "reference_batch_from_observation", "false | true", "draw observation.shape[0] samples instead of num_samples"),
        ("dpg", "reference_persist_state", "false | true", "keep the loss normaliser and previous gradient across samples and solves"),
        ("scg", "reference_jump_at_threshold", "false | true", "step T replaces the state by the unscaled clean estimate"),
        ("enkg", "reference_lr_min_ratio", "false | true", "step size γ(1−r)(S−i)/S + r (adds r, not r·γ)"),
        ("enkg", "remainder", "process | reference_leave_zero", "particles beyond the last full batch are never denoised"),
    ];

    /// <summary>Reads <see cref="Key"/> of <paramref name="method"/> (false when absent).</summary>
    /// <param name="method">The solver's <c>method</c> section.</param>
    /// <returns>Whether every quirk of the solver defaults to the reference's behaviour.</returns>
    public static bool Read(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return method.Get(Key, false);
    }

    /// <summary>
    /// A quirk's value: <paramref name="key"/> when present, else <paramref name="referenceValue"/> under the switch and
    /// <paramref name="defaultValue"/> without it.
    /// </summary>
    internal static T Quirk<T>(ConfigSection method, string key, bool referenceCompatible, T defaultValue, T referenceValue) =>
        method.Get(key, referenceCompatible ? referenceValue : defaultValue);
}
