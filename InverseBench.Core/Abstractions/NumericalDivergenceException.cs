namespace InverseBench.Core.Abstractions;

/// <summary>
/// Thrown when an iterative computation leaves its numerically valid range instead of returning garbage or looping
/// forever: a time step that becomes zero or non-finite, a step budget that runs out, weights or an ensemble update that
/// turn NaN/Inf. The message names the computation, the batch item (when one is to blame) and the step.
/// </summary>
public sealed class NumericalDivergenceException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="computation">What diverged (e.g. <c>Navier–Stokes vorticity solve</c>, <c>EnKG update</c>).</param>
    /// <param name="detail">What went wrong, with the offending values.</param>
    /// <param name="item">The batch item to blame, or null when the whole batch is affected.</param>
    /// <param name="step">The step (iteration) at which it was detected, or null.</param>
    public NumericalDivergenceException(string computation, string detail, long? item = null, long? step = null)
        : base(BuildMessage(computation, detail, item, step))
    {
        Computation = computation;
        Item = item;
        Step = step;
    }

    /// <summary>What diverged.</summary>
    public string Computation { get; }

    /// <summary>The batch item to blame (index within the batch passed in), or null.</summary>
    public long? Item { get; }

    /// <summary>The step at which the divergence was detected, or null.</summary>
    public long? Step { get; }

    private static string BuildMessage(string computation, string detail, long? item, long? step)
    {
        string where = (item, step) switch
        {
            ({ } i, { } s) => $" (batch item {i}, step {s})",
            ({ } i, null) => $" (batch item {i})",
            (null, { } s) => $" (step {s})",
            _ => string.Empty,
        };
        return $"{computation} diverged{where}: {detail}";
    }
}
