using System.ComponentModel.DataAnnotations;

namespace InverseBench.Samples.HostedApp;

/// <summary>What the worker runs (the <c>Benchmark</c> section of appsettings.json).</summary>
public sealed class BenchmarkSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Benchmark";

    /// <summary>The registered problem name.</summary>
    [Required]
    public string Problem { get; set; } = string.Empty;

    /// <summary>The registered solver name.</summary>
    [Required]
    public string Solver { get; set; } = string.Empty;

    /// <summary>The registered prior name, or null for solvers without a prior.</summary>
    public string? Prior { get; set; }

    /// <summary>The run seed.</summary>
    public long Seed { get; set; }

    /// <summary>Synthetic test samples to draw when the problem's data are absent.</summary>
    [Range(1, 1000)]
    public int SyntheticSamples { get; set; } = 1;

    /// <summary>Where the run saves its samples and metrics (relative to the working directory); null saves nothing.</summary>
    public string? OutputFolder { get; set; }
}
