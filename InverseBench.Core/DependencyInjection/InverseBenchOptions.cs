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
}
