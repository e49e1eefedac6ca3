using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Core.Abstractions;

/// <summary>
/// Everything a solve receives besides the problem: the run's seeded random generator, the number of samples, the
/// device, progress and cancellation. Solvers never touch the global random generator.
/// </summary>
public sealed class SolverContext
{
    /// <summary>Creates a context.</summary>
    /// <param name="generator">The run's generator; every random draw of the solve goes through it.</param>
    /// <param name="numSamples">Samples to draw per observation (reference <c>num_samples</c>).</param>
    /// <param name="progress">Receives one report per solver step (optional).</param>
    /// <param name="cancellationToken">Checked once per step.</param>
    public SolverContext(Generator generator, int numSamples = 1, IProgress<SolverStepArguments>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(numSamples, 1);
        Generator = generator;
        NumSamples = numSamples;
        Progress = progress;
        CancellationToken = cancellationToken;
    }

    /// <summary>Creates a context with a new CPU generator seeded with <paramref name="seed"/>.</summary>
    public static SolverContext FromSeed(long seed, int numSamples = 1, IProgress<SolverStepArguments>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureInitialized();
        return new SolverContext(new Generator((ulong)seed), numSamples, progress, cancellationToken);
    }

    /// <summary>The run's random generator.</summary>
    public Generator Generator { get; }

    /// <summary>Samples per observation.</summary>
    public int NumSamples { get; }

    /// <summary>Per-step progress sink, or null.</summary>
    public IProgress<SolverStepArguments>? Progress { get; }

    /// <summary>Cancellation of the solve.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Reports a step and checks for cancellation.</summary>
    public void Report(in SolverStepArguments step)
    {
        Progress?.Report(step);
        CancellationToken.ThrowIfCancellationRequested();
    }
}
