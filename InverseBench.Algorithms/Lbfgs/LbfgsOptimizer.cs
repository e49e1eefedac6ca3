using InverseBench.Core.Abstractions;
using InverseBench.Core.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Lbfgs;

/// <summary>The objective of <see cref="LbfgsOptimizer"/> and <c>AdamOptimizer</c>: loss and gradient at a parameter value.</summary>
/// <param name="parameters">The current (flat) parameters; do not modify or keep it.</param>
/// <returns>The loss and a fresh gradient tensor of the parameters' shape (the optimiser disposes it).</returns>
public delegate (double Loss, Tensor Gradient) OptimizerClosure(Tensor parameters);

/// <summary>Settings of <see cref="LbfgsOptimizer"/>, with the defaults of <c>torch.optim.LBFGS</c>.</summary>
public sealed class LbfgsSettings
{
    /// <summary>Learning rate (initial step of the line search). The default is 1.</summary>
    public double LearningRate { get; set; } = 1;

    /// <summary>Maximal iterations per <see cref="LbfgsOptimizer.Step"/>. The default is 20.</summary>
    public int MaxIterations { get; set; } = 20;

    /// <summary>Maximal closure evaluations per step; null means <c>MaxIterations·5/4</c> (integer division), as PyTorch.</summary>
    public int? MaxEvaluations { get; set; }

    /// <summary>Termination tolerance on the largest gradient component. The default is 1e-7.</summary>
    public double ToleranceGrad { get; set; } = 1e-7;

    /// <summary>Termination tolerance on loss and parameter changes. The default is 1e-9.</summary>
    public double ToleranceChange { get; set; } = 1e-9;

    /// <summary>Number of correction pairs kept. The default is 100.</summary>
    public int HistorySize { get; set; } = 100;

    /// <summary>Whether to run the strong-Wolfe line search (PyTorch <c>line_search_fn="strong_wolfe"</c>); false takes fixed steps.</summary>
    public bool StrongWolfe { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) errors.Add($"LearningRate must be positive; got {LearningRate}");
        if (MaxIterations < 1) errors.Add($"MaxIterations must be ≥ 1; got {MaxIterations}");
        if (MaxEvaluations is < 1) errors.Add($"MaxEvaluations must be ≥ 1 when set; got {MaxEvaluations}");
        if (ToleranceGrad < 0 || double.IsNaN(ToleranceGrad)) errors.Add($"ToleranceGrad must be ≥ 0; got {ToleranceGrad}");
        if (ToleranceChange < 0 || double.IsNaN(ToleranceChange)) errors.Add($"ToleranceChange must be ≥ 0; got {ToleranceChange}");
        if (HistorySize < 1) errors.Add($"HistorySize must be ≥ 1; got {HistorySize}");
        if (errors.Count > 0) throw new ArgumentException("Invalid L-BFGS settings: " + string.Join("; ", errors) + ".");
    }
}

/// <summary>
/// Limited-memory BFGS over one flat parameter tensor, reproducing <c>torch.optim.LBFGS</c> step for step: the two-loop
/// recursion with the <c>yᵀs/yᵀy</c> initial Hessian scale, curvature pairs accepted when <c>yᵀs &gt; 1e-10</c>, the first step
/// <c>min(1, 1/‖g‖₁)·lr</c>, PyTorch's termination tests, and (optionally) its strong-Wolfe line search
/// (<c>c₁ = 1e-4</c>, <c>c₂ = 0.9</c>, at most 25 evaluations, cubic interpolation, bracketing and zoom as in minFunc).
/// State (history, last direction and step) persists across <see cref="Step"/> calls, as in PyTorch. TorchSharp's own
/// LBFGS has no line search, hence this class. Divergence handling (where PyTorch would carry NaN on): a non-finite loss
/// or gradient at the start of a step throws <see cref="NumericalDivergenceException"/>; a non-finite trial loss inside the
/// line search fails the sufficient-decrease test, so the search backtracks (bisection) instead of accepting it.
/// </summary>
public sealed class LbfgsOptimizer : IDisposable
{
    private const double C1 = 1e-4, C2 = 0.9;
    private const int MaxLineSearch = 25;
    private readonly Tensor _parameters, _flat;
    private readonly LbfgsSettings _settings;
    private readonly List<Tensor> _directions = [], _steps = [];
    private readonly List<double> _rho = [];
    private Tensor? _direction, _previousGradient;
    private double _stepLength, _hessianDiagonal = 1, _previousLoss;
    private long _iterations;

    /// <summary>Creates the optimiser over <paramref name="parameters"/>, which it updates in place.</summary>
    /// <param name="parameters">A real floating-point tensor (any shape; treated as flat).</param>
    /// <param name="settings">The settings (validated).</param>
    public LbfgsOptimizer(Tensor parameters, LbfgsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(settings);
        if (!parameters.is_floating_point()) throw new ArgumentException($"parameters must be real floating point; got {parameters.dtype}.", nameof(parameters));
        if (!parameters.is_contiguous()) throw new ArgumentException("parameters must be contiguous (they are updated through a flat view).", nameof(parameters));
        settings.Validate();
        _parameters = parameters;
        _flat = parameters.view(-1);
        _settings = settings;
    }

    /// <summary>Total closure evaluations so far (PyTorch <c>state["func_evals"]</c>).</summary>
    public long FunctionEvaluations { get; private set; }

    /// <summary>Total iterations so far (PyTorch <c>state["n_iter"]</c>).</summary>
    public long Iterations => _iterations;

    /// <summary>
    /// One <c>optimizer.step(closure)</c>: up to <see cref="LbfgsSettings.MaxIterations"/> L-BFGS iterations. Returns the loss
    /// at the parameters the step started from.
    /// </summary>
    public double Step(OptimizerClosure closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        int maxEval = _settings.MaxEvaluations ?? _settings.MaxIterations * 5 / 4;
        double lr = _settings.LearningRate;
        var (origLoss, gradient) = Evaluate(closure, _parameters);
        double loss = origLoss;
        int currentEvals = 1;
        try
        {
            // A non-finite start cannot be descended from (every comparison with NaN is false): fail instead of returning NaN steps.
            double gradientMax = AbsMax(gradient);
            if (!double.IsFinite(loss) || !double.IsFinite(gradientMax))
            {
                throw new NumericalDivergenceException("L-BFGS step",
                    $"the objective at the current parameters is not finite (loss {loss}, max |gradient| {gradientMax}).", step: _iterations);
            }

            if (AbsMax(gradient) <= _settings.ToleranceGrad) return origLoss;
            int iteration = 0;
            while (iteration < _settings.MaxIterations)
            {
                iteration++;
                _iterations++;
                Tensor direction;
                if (_iterations == 1)
                {
                    direction = gradient.neg();
                    ClearHistory();
                    _hessianDiagonal = 1;
                }
                else
                {
                    direction = TwoLoop(gradient);
                }

                Replace(ref _direction, direction.DetachFromDisposeScope());
                if (_previousGradient is null) _previousGradient = gradient.clone().DetachFromDisposeScope();
                else _previousGradient.copy_(gradient);
                _previousLoss = loss;

                double t = _iterations == 1 ? Math.Min(1.0, 1.0 / gradient.abs().sum().ToDouble()) * lr : lr;
                double gtd = Dot(gradient, direction);
                if (gtd > -_settings.ToleranceChange)
                {
                    _stepLength = t;
                    break;
                }

                int lsEvals;
                if (_settings.StrongWolfe)
                {
                    using var start = _flat.clone();
                    var (fNew, gNew, tNew, evals) = StrongWolfeSearch(closure, start, t, direction, loss, gradient, gtd);
                    loss = fNew;
                    gradient.Dispose();
                    gradient = gNew;
                    t = tNew;
                    lsEvals = evals;
                    using (no_grad()) _flat.add_(direction, alpha: t);
                }
                else
                {
                    using (no_grad()) _flat.add_(direction, alpha: t);
                    lsEvals = 0;
                    if (iteration != _settings.MaxIterations)
                    {
                        gradient.Dispose();
                        (loss, gradient) = Evaluate(closure, _parameters);
                        lsEvals = 1;
                    }
                }

                _stepLength = t;
                currentEvals += lsEvals;
                if (iteration == _settings.MaxIterations) break;
                if (currentEvals >= maxEval) break;
                if (AbsMax(gradient) <= _settings.ToleranceGrad) break;
                if (ScaledAbsMax(direction, t) <= _settings.ToleranceChange) break;
                if (Math.Abs(loss - _previousLoss) < _settings.ToleranceChange) break;
            }

            return origLoss;
        }
        finally
        {
            gradient.Dispose();
        }
    }

    private Tensor TwoLoop(Tensor gradient)
    {
        using var scope = NewDisposeScope();
        var y = gradient - _previousGradient!;
        var s = _direction! * _stepLength;
        double ys = Dot(y, s);
        if (ys > 1e-10)
        {
            if (_directions.Count == _settings.HistorySize)
            {
                _directions[0].Dispose();
                _steps[0].Dispose();
                _directions.RemoveAt(0);
                _steps.RemoveAt(0);
                _rho.RemoveAt(0);
            }

            _directions.Add(y.DetachFromDisposeScope());
            _steps.Add(s.DetachFromDisposeScope());
            _rho.Add(1.0 / ys);
            _hessianDiagonal = ys / Dot(y, y);
        }

        int count = _directions.Count;
        var alpha = new double[count];
        var q = gradient.neg();
        for (int i = count - 1; i >= 0; i--)
        {
            alpha[i] = Dot(_steps[i], q) * _rho[i];
            q.add_(_directions[i], alpha: -alpha[i]);
        }

        var r = q * _hessianDiagonal;
        for (int i = 0; i < count; i++)
        {
            double beta = Dot(_directions[i], r) * _rho[i];
            r.add_(_steps[i], alpha: alpha[i] - beta);
        }

        return scope.MoveToOuter(r);
    }

    private (double Loss, Tensor Gradient) Evaluate(OptimizerClosure closure, Tensor at)
    {
        FunctionEvaluations++;
        var (loss, gradient) = closure(at);
        if (gradient is null || !gradient.shape.SequenceEqual(_parameters.shape))
        {
            throw new InvalidOperationException(
                $"The closure returned a gradient of shape {(gradient is null ? "null" : TensorGuard.Format(gradient.shape))} for parameters of shape {TensorGuard.Format(_parameters.shape)}.");
        }

        using var g = gradient;
        using var scope = NewDisposeScope();
        return (loss, scope.MoveToOuter(g.detach().to(_parameters.dtype).flatten().clone()));
    }

    private (double Loss, Tensor Gradient) DirectionalEvaluate(OptimizerClosure closure, Tensor start, double t, Tensor direction)
    {
        using (no_grad()) _flat.add_(direction, alpha: t);
        var result = Evaluate(closure, _parameters);
        using (no_grad()) _flat.copy_(start);
        return result;
    }

    /// <summary>PyTorch <c>_strong_wolfe</c> (from minFunc/torch7 <c>lswolfe.lua</c>).</summary>
    private (double Loss, Tensor Gradient, double Step, int Evaluations) StrongWolfeSearch(OptimizerClosure closure, Tensor start,
        double t, Tensor d, double f, Tensor g, double gtd)
    {
        double dNorm = AbsMax(d);
        var (fNew, gNew) = DirectionalEvaluate(closure, start, t, d);
        int evals = 1;
        double gtdNew = Dot(gNew, d);
        double tPrev = 0, fPrev = f, gtdPrev = gtd;
        var gPrev = g.clone();
        bool done = false;
        int lsIter = 0;
        double[] bracket, bracketF, bracketGtd = [];
        Tensor[] bracketG;
        try
        {
            while (true)
            {
                if (lsIter >= MaxLineSearch)
                {
                    bracket = [0, t];
                    bracketF = [f, fNew];
                    bracketG = [g.clone(), gNew.clone()];
                    break;
                }

                // A non-finite trial loss (overflow far along the direction) fails the sufficient-decrease test: bracket and shrink.
                if (!double.IsFinite(fNew) || fNew > f + C1 * t * gtd || (lsIter > 1 && fNew >= fPrev))
                {
                    bracket = [tPrev, t];
                    bracketF = [fPrev, fNew];
                    bracketG = [gPrev.clone(), gNew.clone()];
                    bracketGtd = [gtdPrev, gtdNew];
                    break;
                }

                if (Math.Abs(gtdNew) <= -C2 * gtd)
                {
                    bracket = [t];
                    bracketF = [fNew];
                    bracketG = [gNew.clone()];
                    done = true;
                    break;
                }

                if (gtdNew >= 0)
                {
                    bracket = [tPrev, t];
                    bracketF = [fPrev, fNew];
                    bracketG = [gPrev.clone(), gNew.clone()];
                    bracketGtd = [gtdPrev, gtdNew];
                    break;
                }

                double minStep = t + 0.01 * (t - tPrev);
                double maxStep = t * 10;
                double previous = t;
                t = CubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
                tPrev = previous;
                fPrev = fNew;
                gPrev.Dispose();
                gPrev = gNew;
                gtdPrev = gtdNew;
                (fNew, gNew) = DirectionalEvaluate(closure, start, t, d);
                evals++;
                gtdNew = Dot(gNew, d);
                lsIter++;
            }

            bool insufficientProgress = false;
            int low = NotAbove(bracketF[0], bracketF[^1]) ? 0 : 1, high = 1 - low;
            while (!done && lsIter < MaxLineSearch)
            {
                if (Math.Abs(bracket[1] - bracket[0]) * dNorm < _settings.ToleranceChange) break;
                t = CubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1], null, null);
                double bMax = Math.Max(bracket[0], bracket[1]), bMin = Math.Min(bracket[0], bracket[1]);
                double eps = 0.1 * (bMax - bMin);
                if (Math.Min(bMax - t, t - bMin) < eps)
                {
                    if (insufficientProgress || t >= bMax || t <= bMin)
                    {
                        t = Math.Abs(t - bMax) < Math.Abs(t - bMin) ? bMax - eps : bMin + eps;
                        insufficientProgress = false;
                    }
                    else
                    {
                        insufficientProgress = true;
                    }
                }
                else
                {
                    insufficientProgress = false;
                }

                gNew.Dispose();
                (fNew, gNew) = DirectionalEvaluate(closure, start, t, d);
                evals++;
                gtdNew = Dot(gNew, d);
                lsIter++;
                if (!double.IsFinite(fNew) || fNew > f + C1 * t * gtd || fNew >= bracketF[low])
                {
                    bracket[high] = t;
                    bracketF[high] = fNew;
                    bracketG[high].Dispose();
                    bracketG[high] = gNew.clone();
                    bracketGtd[high] = gtdNew;
                    (low, high) = NotAbove(bracketF[0], bracketF[1]) ? (0, 1) : (1, 0);
                }
                else
                {
                    if (Math.Abs(gtdNew) <= -C2 * gtd)
                    {
                        done = true;
                    }
                    else if (gtdNew * (bracket[high] - bracket[low]) >= 0)
                    {
                        bracket[high] = bracket[low];
                        bracketF[high] = bracketF[low];
                        bracketG[high].Dispose();
                        bracketG[high] = bracketG[low].clone();
                        bracketGtd[high] = bracketGtd[low];
                    }

                    bracket[low] = t;
                    bracketF[low] = fNew;
                    bracketG[low].Dispose();
                    bracketG[low] = gNew.clone();
                    bracketGtd[low] = gtdNew;
                }
            }

            if (bracket.Length == 1) low = 0;
            var result = bracketG[low].clone();
            foreach (var b in bracketG) b.Dispose();
            return (bracketF[low], result, bracket[low], evals);
        }
        finally
        {
            gPrev.Dispose();
            gNew.Dispose();
        }
    }

    /// <summary><c>a ≤ b</c>, ordering NaN above every number (a non-finite trial loss is never the best bracket end).</summary>
    private static bool NotAbove(double a, double b) => a <= b || double.IsNaN(b);

    /// <summary>PyTorch <c>_cubic_interpolate</c>: minimiser of the cubic through two points with derivatives, clamped to the bounds.</summary>
    internal static double CubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double? lower, double? upper)
    {
        double xMin = lower ?? Math.Min(x1, x2), xMax = upper ?? Math.Max(x1, x2);
        if (lower is null && x1 > x2) (xMin, xMax) = (x2, x1);
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0)
        {
            double d2 = Math.Sqrt(d2Square);
            double minPos = x1 <= x2
                ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            // A non-finite end value (an overflowing trial loss) makes the minimiser NaN: bisect instead (finite inputs keep
            // PyTorch's clamping, an infinite minimiser included).
            if (!double.IsNaN(minPos)) return Math.Min(Math.Max(minPos, xMin), xMax);
        }

        return (xMin + xMax) / 2.0;
    }

    private static double Dot(Tensor a, Tensor b)
    {
        using var d = a.dot(b);
        return d.ToDouble();
    }

    private static double AbsMax(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.abs().max().ToDouble();
    }

    private static double ScaledAbsMax(Tensor d, double t)
    {
        using var scope = NewDisposeScope();
        return d.mul(t).abs().max().ToDouble();
    }

    private void ClearHistory()
    {
        foreach (var t in _directions) t.Dispose();
        foreach (var t in _steps) t.Dispose();
        _directions.Clear();
        _steps.Clear();
        _rho.Clear();
    }

    private static void Replace(ref Tensor? field, Tensor value)
    {
        if (!ReferenceEquals(field, value)) field?.Dispose();
        field = value;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ClearHistory();
        _direction?.Dispose();
        _previousGradient?.Dispose();
    }
}
