using System.ComponentModel.DataAnnotations;

namespace InverseBench.Core.DependencyInjection;

/// <summary>Process-wide settings of InverseBench in a DI container.</summary>
public sealed class InverseBenchOptions
{
    /// <summary>The device policy: <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>auto</c>.</summary>
    /// <value>The default is <c>cpu</c>.</value>
    [Required]
    [RegularExpression("^(cpu|auto|cuda(:[0-9]+)?)$", ErrorMessage = "Device must be 'cpu', 'cuda', 'cuda:N' or 'auto'.")]
    public string Device { get; set; } = "cpu";

    /// <summary>The seed of runs created by <see cref="IRunFactory"/> (reference <c>seed</c>).</summary>
    /// <value>The default is 0, as in the reference's <c>configs/config.yaml</c>.</value>
    public long Seed { get; set; }

    /// <summary>Samples drawn per observation (reference <c>num_samples</c>).</summary>
    /// <value>The default is 1.</value>
    [Range(1, 100_000)]
    public int NumSamples { get; set; } = 1;
}
