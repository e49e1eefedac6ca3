namespace InverseBench.Algorithms.Lbfgs;

/// <summary>Defaults of <see cref="LbfgsOptions"/>, from the reference's <c>configs/algorithm/lbfgs.yaml</c> and <c>algo/lbfgs.py</c>.</summary>
internal static class LbfgsDefaults
{
    /// <summary>The solver name (<c>configs/algorithm/lbfgs.yaml</c>).</summary>
    public const string Name = "lbfgs";

    /// <summary><c>lbfgs.yaml</c> <c>lr</c>.</summary>
    public const double LearningRate = 0.1;

    /// <summary><c>lbfgs.yaml</c> <c>num_steps</c>.</summary>
    public const int NumSteps = 100;

    /// <summary><c>lbfgs.yaml</c> <c>max_iter</c>.</summary>
    public const int MaxIterations = 5;

    /// <summary><c>lbfgs.yaml</c> <c>line_search_fn</c>.</summary>
    public const string LineSearch = "strong_wolfe";

    /// <summary><c>torch.optim.LBFGS(history_size=100)</c>.</summary>
    public const int HistorySize = 100;

    /// <summary><c>torch.optim.LBFGS(tolerance_grad=1e-7)</c>.</summary>
    public const double ToleranceGrad = 1e-7;

    /// <summary><c>torch.optim.LBFGS(tolerance_change=1e-9)</c>.</summary>
    public const double ToleranceChange = 1e-9;

    /// <summary>The smoothing of an initial guess in <c>algo/lbfgs.py</c> (<c>gaussian_filter(..., sigma=20.0)</c>).</summary>
    public const double InitialSmoothingSigma = 20.0;
}
