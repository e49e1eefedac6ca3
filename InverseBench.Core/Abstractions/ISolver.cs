using static TorchSharp.torch;

namespace InverseBench.Core.Abstractions;

/// <summary>
/// An inverse-problem solver (reference <c>algo/*.py</c>): draws <see cref="SolverContext.NumSamples"/> reconstructions
/// from an observation, using a forward operator and (for diffusion-prior solvers) a prior.
/// </summary>
public interface ISolver
{
    /// <summary>The solver's name, as in the reference configs (<c>dps</c>, <c>daps</c>, <c>enkg</c>, ...).</summary>
    string Name { get; }

    /// <summary>What the solver needs from the operator and the prior; checked before any step runs.</summary>
    SolverRequirements Requirements { get; }

    /// <summary>
    /// Solves for the signal behind <paramref name="observation"/> (as returned by <see cref="IForwardOperator.Observe"/>,
    /// with a leading batch dimension of 1). Returns <c>[NumSamples, ..signal]</c> in the normalised space (ensemble methods
    /// such as EKI and EnKG return their whole ensemble, as the reference does). Random numbers are drawn on the operator's
    /// device from <see cref="SolverContext.OnDevice"/>'s generator.
    /// </summary>
    /// <exception cref="ArgumentException">The observation is not finite, or the observation or prior is on another device
    /// than the operator.</exception>
    /// <exception cref="SolverRequirementException">The operator or prior lacks a capability the solver needs.</exception>
    /// <exception cref="OperationCanceledException">The context's token was cancelled.</exception>
    SolverResult Solve(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context);
}

/// <summary>The output of a solve: the samples (owned by the caller) and what they cost.</summary>
public sealed class SolverResult : IDisposable
{
    /// <summary>Creates a result.</summary>
    public SolverResult(Tensor samples, EvaluationCounts counts, TimeSpan wallTime)
    {
        Samples = samples;
        Counts = counts;
        WallTime = wallTime;
    }

    /// <summary>The reconstructions, <c>[NumSamples, ..signal]</c>, normalised space.</summary>
    public Tensor Samples { get; }

    /// <summary>Network and forward-model evaluation counts.</summary>
    public EvaluationCounts Counts { get; }

    /// <summary>Number of network (denoiser) calls, a batched call counting once; see <see cref="EvaluationCounts.NetworkItems"/> for
    /// the per-item count.</summary>
    public long NetworkEvaluations => Counts.NetworkCalls;

    /// <summary>Number of forward-model evaluations, counted per batch item (an ensemble of 64 particles counts 64).</summary>
    public long ForwardEvaluations => Counts.ForwardItems;

    /// <summary>Wall-clock time of the solve.</summary>
    public TimeSpan WallTime { get; }

    /// <inheritdoc />
    public void Dispose() => Samples.Dispose();
}

/// <summary>Progress of one solver step, reported through <see cref="SolverContext.Progress"/>.</summary>
/// <param name="Step">Zero-based step index.</param>
/// <param name="TotalSteps">Number of steps of the run.</param>
/// <param name="Sigma">The noise level of the step, when the solver has one.</param>
/// <param name="DataMisfit">The mean data misfit of the current iterate, when computed.</param>
/// <param name="Solver">The reporting solver's name.</param>
public readonly record struct SolverStepArguments(int Step, int TotalSteps, double? Sigma, double? DataMisfit, string Solver);
