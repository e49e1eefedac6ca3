using System.Diagnostics;
using InverseBench.Core.Runtime;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Core.Abstractions;

/// <summary>Base of every solver's options: the name and a per-step callback.</summary>
public abstract class SolverOptions
{
    /// <summary>The solver's name (reference config name).</summary>
    public string Name { get; protected init; } = string.Empty;

    /// <summary>Validates the options, throwing an <see cref="ArgumentException"/> that lists every problem.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        Validate(errors);
        if (errors.Count > 0)
            throw new ArgumentException($"Invalid {GetType().Name} for solver '{Name}': {string.Join("; ", errors)}.");
    }

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid option.</summary>
    protected virtual void Validate(List<string> errors)
    {
    }
}

/// <summary>
/// Base class of solvers: validates options on construction, verifies requirements, checks the observation, counts
/// evaluations, times the solve and frees the autograd state. Derived classes implement <see cref="SolveCore"/>.
/// </summary>
/// <typeparam name="TOptions">The solver's options type.</typeparam>
public abstract class SolverBase<TOptions> : ISolver
    where TOptions : SolverOptions
{
    /// <summary>Validates the options and keeps a deep copy of them, so later changes to <paramref name="options"/> have no effect.</summary>
    protected SolverBase(TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = Configuration.OptionsCopy.Deep(options);
    }

    /// <summary>The validated options (a private copy of those passed in).</summary>
    public TOptions Options { get; }

    /// <inheritdoc />
    public virtual string Name => Options.Name;

    /// <inheritdoc />
    public abstract SolverRequirements Requirements { get; }

    /// <inheritdoc />
    public SolverResult Solve(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(forwardOperator);
        ArgumentNullException.ThrowIfNull(context);
        TorchRuntime.EnsureInitialized();
        Requirements.Verify(Name, forwardOperator, prior);
        TensorGuard.OnDevice(observation, nameof(observation), forwardOperator.Device);
        if (prior is not null && !TensorGuard.SameDevice(prior.Device, forwardOperator.Device))
            throw new ArgumentException($"The prior is on {prior.Device} but the forward operator is on {forwardOperator.Device}; create both on one device.", nameof(prior));
        TensorGuard.Batched(observation, nameof(observation), forwardOperator.MeasurementShape);
        TensorGuard.FloatingPoint(observation, nameof(observation));
        TensorGuard.Finite(observation, nameof(observation));
        if (prior is not null) CheckPriorShape(prior, forwardOperator);
        context.CancellationToken.ThrowIfCancellationRequested();
        var runContext = context.OnDevice(forwardOperator.Device);
        using var counter = EvaluationCounter.Begin();
        var watch = Stopwatch.StartNew();
        Tensor samples;
        using (var scope = NewDisposeScope())
        {
            var result = SolveCore(observation, forwardOperator, prior, runContext);
            samples = scope.MoveToOuter(result.detach());
        }

        watch.Stop();
        return new SolverResult(samples, counter.Counts, watch.Elapsed);
    }

    /// <summary>
    /// Throws when a prior generates images <c>[C, R, R]</c> other than the operator's <c>[C, H, W]</c> signals (wrong
    /// channels or resolution), before any native call. Operators whose signals are not images (rank ≠ 3) are not checked.
    /// </summary>
    private static void CheckPriorShape(IDiffusionPrior prior, IForwardOperator forwardOperator)
    {
        var signal = forwardOperator.SignalShape;
        if (signal.Count != 3) return;
        if (prior.Channels == signal[0] && prior.Resolution == signal[1] && prior.Resolution == signal[2]) return;
        throw new ArgumentException(
            $"The prior '{prior.Name}' generates [{prior.Channels}, {prior.Resolution}, {prior.Resolution}] images but operator " +
            $"'{forwardOperator.Name}' expects signals {TensorGuard.Format(signal)}: use a prior of that resolution and channel count.",
            nameof(prior));
    }

    /// <summary>
    /// The algorithm. Runs inside a dispose scope (temporaries die with it); each step should open its own scope and
    /// move only carried state out. Returns <c>[NumSamples, ..signal]</c> in the normalised space.
    /// </summary>
    protected abstract Tensor SolveCore(Tensor observation, IForwardOperator forwardOperator, IDiffusionPrior? prior, SolverContext context);
}
