using InverseBench.Core.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Common;

/// <summary>
/// The dispose scope of one solver step: every tensor created while it is open dies when it closes, except the carried
/// state handed to <see cref="Carry"/>, which moves to the enclosing scope and replaces (and disposes) the previous state.
/// This is how every step loop of the solvers keeps the live-tensor count flat over thousands of steps.
/// </summary>
/// <example>
/// <code>
/// for (int i = 0; i &lt; n; i++)
/// {
///     using var step = StepScope.Begin();
///     Tensor next = x * 0.5;            // temporaries die with the step
///     step.Carry(ref x, next);           // x now owns `next`; the old x is disposed
///     step.Report(context, i, n, sigma, solverName);
/// }
/// </code>
/// </example>
internal sealed class StepScope : IDisposable
{
    private readonly DisposeScope _scope;

    private StepScope() => _scope = NewDisposeScope();

    /// <summary>Opens the scope of one step.</summary>
    public static StepScope Begin() => new();

    /// <summary>
    /// Moves <paramref name="next"/> out of the step, disposes the previous <paramref name="state"/> (unless it is the same
    /// tensor) and stores <paramref name="next"/> in <paramref name="state"/>.
    /// </summary>
    public void Carry(ref Tensor state, Tensor next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (ReferenceEquals(state, next)) return;
        var moved = _scope.MoveToOuter(next);
        state.Dispose();
        state = moved;
    }

    /// <summary>
    /// Reports the step through the context (which also checks cancellation). The misfit is the mean of
    /// <paramref name="perSampleMisfit"/> and is only read back from the device when someone listens.
    /// </summary>
    public static void Report(SolverContext context, int step, int totalSteps, double? sigma, string solver, Tensor? perSampleMisfit = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        double? misfit = null;
        if (context.Progress is not null && perSampleMisfit is not null)
        {
            using var mean = perSampleMisfit.detach().to(ScalarType.Float64).mean();
            misfit = mean.item<double>();
        }

        context.Report(new SolverStepArguments(step, totalSteps, sigma, misfit, solver));
    }

    /// <inheritdoc />
    public void Dispose() => _scope.Dispose();
}
