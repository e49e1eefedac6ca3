using static TorchSharp.torch;

namespace InverseBench.Training.Optimization;

/// <summary>
/// Adam exactly as PyTorch's <c>torch.optim.Adam</c> (single-tensor path, <c>betas=(0.9, 0.999)</c>, <c>eps=1e-8</c>, no weight
/// decay, no AMSGrad), with its state kept per parameter in PyTorch's order so that it can be written to and read from the
/// <c>'optimizer'</c> entry of a checkpoint (<c>state[i] = {'step', 'exp_avg', 'exp_avg_sq'}</c>).
/// </summary>
/// <remarks>Update for step <c>k</c> (1-based): <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>,
/// <c>p ← p − lr/(1−β₁ᵏ) · m / (√v/√(1−β₂ᵏ) + ε)</c>. The moments are allocated at the first step, as in PyTorch.</remarks>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Tensor?[] _expAvg;
    private readonly Tensor?[] _expAvgSq;
    private bool _disposed;

    /// <summary>Creates the optimizer over <paramref name="parameters"/> (in PyTorch's <c>net.parameters()</c> order).</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The base learning rate (<c>initial_lr</c>).</param>
    /// <param name="beta1">β₁.</param>
    /// <param name="beta2">β₂.</param>
    /// <param name="epsilon">ε.</param>
    public AdamOptimizer(IReadOnlyList<Tensor> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0) throw new ArgumentException("Adam needs at least one parameter.", nameof(parameters));
        if (!(learningRate >= 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and ≥ 0.");
        if (!(beta1 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must lie in [0, 1).");
        if (!(beta2 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must lie in [0, 1).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "eps must be ≥ 0.");
        Parameters = parameters;
        InitialLearningRate = learningRate;
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _expAvg = new Tensor?[parameters.Count];
        _expAvgSq = new Tensor?[parameters.Count];
    }

    /// <summary>The parameters, in state order.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The base learning rate (PyTorch's <c>initial_lr</c> of the param group).</summary>
    public double InitialLearningRate { get; }

    /// <summary>The learning rate of the next <see cref="Step"/> (set by the warm-up schedule).</summary>
    public double LearningRate { get; set; }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <summary>Number of optimizer steps taken (PyTorch's per-parameter <c>state['step']</c>).</summary>
    public long StepCount { get; private set; }

    /// <summary>The first moment of parameter <paramref name="index"/> (null before the first step).</summary>
    public Tensor? ExpAvg(int index) => _expAvg[index];

    /// <summary>The second moment of parameter <paramref name="index"/> (null before the first step).</summary>
    public Tensor? ExpAvgSq(int index) => _expAvgSq[index];

    /// <summary>Sets every existing gradient to zero (PyTorch's <c>zero_grad</c>; the update is the same as with <c>set_to_none</c>).</summary>
    public void ZeroGrad()
    {
        using var noGrad = no_grad();
        foreach (var p in Parameters)
        {
            using var g = p.grad;
            g?.zero_();
        }
    }

    /// <summary>One Adam step with <see cref="LearningRate"/>. Parameters without a gradient are skipped, as in PyTorch.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        StepCount++;
        double bias1 = 1 - Math.Pow(Beta1, StepCount);
        double bias2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        double stepSize = LearningRate / bias1;
        using var noGrad = no_grad();
        for (int i = 0; i < Parameters.Count; i++)
        {
            var p = Parameters[i];
            using var grad = p.grad;
            if (grad is null) continue;
            using var scope = NewDisposeScope();
            var m = _expAvg[i] ??= zeros_like(p).DetachFromDisposeScope();
            var v = _expAvgSq[i] ??= zeros_like(p).DetachFromDisposeScope();
            m.mul_(Beta1).add_(grad, alpha: 1 - Beta1);
            v.mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
            var denom = v.sqrt().div_(bias2Sqrt).add_(Epsilon);
            p.addcdiv_(m, denom, value: -stepSize);
        }
    }

    /// <summary>
    /// Restores the state saved by a checkpoint: the step count and the moments of every parameter (copied into new tensors on
    /// each parameter's device).
    /// </summary>
    /// <exception cref="ArgumentException">Counts or shapes do not match the parameters.</exception>
    public void Restore(long stepCount, IReadOnlyList<(Tensor ExpAvg, Tensor ExpAvgSq)?> moments)
    {
        ArgumentNullException.ThrowIfNull(moments);
        if (stepCount < 0) throw new ArgumentOutOfRangeException(nameof(stepCount), stepCount, "The step count must be ≥ 0.");
        if (moments.Count != Parameters.Count)
            throw new ArgumentException($"The optimizer state holds {moments.Count} parameters; the network has {Parameters.Count}.", nameof(moments));
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (moments[i] is not { } mv) continue;
            var p = Parameters[i];
            if (!mv.ExpAvg.shape.SequenceEqual(p.shape) || !mv.ExpAvgSq.shape.SequenceEqual(p.shape))
                throw new ArgumentException($"Optimizer state {i}: moments of shape [{string.Join(", ", mv.ExpAvg.shape)}] for a parameter of shape [{string.Join(", ", p.shape)}].", nameof(moments));
        }
        ClearMoments();
        StepCount = stepCount;
        for (int i = 0; i < Parameters.Count; i++)
        {
            if (moments[i] is not { } mv) continue;
            var p = Parameters[i];
            _expAvg[i] = mv.ExpAvg.to(p.dtype, p.device).clone().DetachFromDisposeScope();
            _expAvgSq[i] = mv.ExpAvgSq.to(p.dtype, p.device).clone().DetachFromDisposeScope();
        }
    }

    private void ClearMoments()
    {
        for (int i = 0; i < _expAvg.Length; i++)
        {
            _expAvg[i]?.Dispose();
            _expAvgSq[i]?.Dispose();
            _expAvg[i] = null;
            _expAvgSq[i] = null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ClearMoments();
    }
}
