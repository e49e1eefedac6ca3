using System.Reflection;

namespace InverseBench.Core.Running;

/// <summary>Where the test data and the prior of a run actually came from, as recorded in result files.</summary>
/// <param name="Data">For example <c>lmdb ../data/ns-test (data.mdb sha256 …)</c> or <c>synthetic navier-stokes (seed 0, 2 draws)</c>.</param>
/// <param name="Prior">For example <c>checkpoint checkpoints/ns-5m.pt (sha256 …)</c>, <c>analytic gaussian-field fitted to …</c>, or
/// <c>none</c> for solvers without a prior.</param>
public sealed record RunProvenance(string Data, string Prior)
{
    /// <summary>The informational version of InverseBench.Core (the package version).</summary>
    public static string PackageVersion { get; } =
        typeof(RunProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(RunProvenance).Assembly.GetName().Version?.ToString() ?? "unknown";
}

/// <summary>What a run is, as a store records it.</summary>
/// <param name="Problem">The problem's name.</param>
/// <param name="Solver">The solver's name.</param>
/// <param name="Seed">The run seed (per-sample seeds follow <see cref="SampleSeed"/>).</param>
/// <param name="NumSamples">Reconstructions per observation.</param>
/// <param name="SampleIds">The ids of the test samples of this run, in order.</param>
/// <param name="Fingerprint">A hash of everything that determines the results (configuration, seed, sample count, data and prior
/// identity); runs with equal fingerprints may share a store.</param>
/// <param name="Provenance">Where data and prior came from.</param>
/// <param name="Configuration">The resolved configuration text (for example YAML), or null.</param>
public sealed record RunDescription(string Problem, string Solver, long Seed, int NumSamples, IReadOnlyList<string> SampleIds,
    string Fingerprint, RunProvenance Provenance, string? Configuration = null);
