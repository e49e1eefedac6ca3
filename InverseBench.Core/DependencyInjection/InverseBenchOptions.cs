using System.ComponentModel.DataAnnotations;

namespace InverseBench.Core.DependencyInjection;

/// <summary>Container-wide settings of InverseBench (bound from the <c>InverseBench</c> configuration section).</summary>
/// <remarks>Seeds and sample counts are per run: see <see cref="RunRequest"/>.</remarks>
public sealed class InverseBenchOptions
{
    /// <summary>The device policy of every component the container creates: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c>.</summary>
    /// <value>The default is <c>cpu</c>.</value>
    [Required]
    [RegularExpression("^(cpu|auto|cuda(:[0-9]+)?)$", ErrorMessage = "Device must be 'cpu', 'cuda', 'cuda:N' or 'auto'.")]
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// Whether a run whose problem data are absent draws synthetic test samples from the problem's generator instead of
    /// failing (the provenance then says so).
    /// </summary>
    /// <value>The default is true, as the CLI.</value>
    public bool AllowSyntheticData { get; set; } = true;

    /// <summary>
    /// The arithmetic precision of network priors the container creates: <c>fp32</c>, <c>bf16</c> or <c>fp16</c> (see
    /// <see cref="Modules.NetworkPrecision"/>: reduced precisions run the convolutions only in bfloat16/float16). Analytic
    /// priors compute in closed form and ignore it.
    /// </summary>
    /// <value>The default is <c>fp32</c>.</value>
    [Required]
    [RegularExpression("^(?i)(fp32|float32|full|bf16|bfloat16|fp16|float16)$", ErrorMessage = "Precision must be 'fp32', 'bf16' or 'fp16'.")]
    public string Precision { get; set; } = "fp32";
}
