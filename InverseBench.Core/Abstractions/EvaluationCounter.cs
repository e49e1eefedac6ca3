namespace InverseBench.Core.Abstractions;

/// <summary>Counts of the expensive calls a solve made.</summary>
/// <param name="NetworkCalls">Denoiser calls, a batched call counting once (the reference's NFE for solvers that denoise one
/// sample at a time).</param>
/// <param name="NetworkItems">Denoiser evaluations counted per batch item (the reference's NFE for particle and candidate
/// methods such as SCG, FPS or EnKG).</param>
/// <param name="ForwardCalls">Forward-model calls (including those inside losses and gradients).</param>
/// <param name="ForwardItems">Forward-model evaluations counted per batch item.</param>
/// <param name="GradientCalls">Data-misfit gradient calls.</param>
public readonly record struct EvaluationCounts(long NetworkCalls, long NetworkItems, long ForwardCalls, long ForwardItems, long GradientCalls);

/// <summary>
/// Ambient (async-local) counter of network and forward-model evaluations. <see cref="Abstractions.SolverBase{TOptions}"/>
/// opens one per solve; <see cref="Operators.ForwardOperatorBase"/> and the priors of InverseBench record into it. Custom operators
/// or priors that do not derive from the base classes call <see cref="RecordForward"/> / <see cref="RecordNetwork"/>.
/// </summary>
public sealed class EvaluationCounter : IDisposable
{
    private static readonly AsyncLocal<EvaluationCounter?> CurrentCounter = new();
    private readonly EvaluationCounter? _previous;
    private long _networkCalls, _networkItems, _forwardCalls, _forwardItems, _gradientCalls;

    private EvaluationCounter()
    {
        _previous = CurrentCounter.Value;
        CurrentCounter.Value = this;
    }

    /// <summary>Starts counting on the current async flow until the returned counter is disposed.</summary>
    public static EvaluationCounter Begin() => new();

    /// <summary>The counter of the current flow, or null.</summary>
    public static EvaluationCounter? Current => CurrentCounter.Value;

    /// <summary>The counts so far.</summary>
    public EvaluationCounts Counts => new(
        Interlocked.Read(ref _networkCalls), Interlocked.Read(ref _networkItems),
        Interlocked.Read(ref _forwardCalls), Interlocked.Read(ref _forwardItems), Interlocked.Read(ref _gradientCalls));

    /// <summary>Records one denoiser call on <paramref name="batch"/> items.</summary>
    public static void RecordNetwork(long batch)
    {
        var c = CurrentCounter.Value;
        if (c is null) return;
        Interlocked.Increment(ref c._networkCalls);
        Interlocked.Add(ref c._networkItems, batch);
    }

    /// <summary>Records one forward-model call on <paramref name="batch"/> items.</summary>
    public static void RecordForward(long batch)
    {
        var c = CurrentCounter.Value;
        if (c is null) return;
        Interlocked.Increment(ref c._forwardCalls);
        Interlocked.Add(ref c._forwardItems, batch);
    }

    /// <summary>Records one data-misfit gradient call.</summary>
    public static void RecordGradient()
    {
        var c = CurrentCounter.Value;
        if (c is null) return;
        Interlocked.Increment(ref c._gradientCalls);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (CurrentCounter.Value == this) CurrentCounter.Value = _previous;
    }
}
