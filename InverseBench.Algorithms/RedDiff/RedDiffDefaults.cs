namespace InverseBench.Algorithms.RedDiff;

/// <summary>Defaults of <see cref="RedDiffOptions"/>, from the reference's <c>configs/algorithm/reddiff.yaml</c> (<c>method:</c> block) and <c>algo/reddiff.py</c>.</summary>
internal static class RedDiffDefaults
{
    /// <summary>The reference name (<c>reddiff</c>).</summary>
    public const string Name = "reddiff";

    /// <summary><c>num_steps: 1000</c>.</summary>
    public const int NumSteps = 1000;

    /// <summary><c>observation_weight: 1.0</c>.</summary>
    public const double ObservationWeight = 1.0;

    /// <summary><c>base_lambda: 0.25</c>.</summary>
    public const double BaseLambda = 0.25;

    /// <summary><c>base_lr: 2e-2</c>.</summary>
    public const double BaseLearningRate = 2e-2;

    /// <summary><c>lambda_scheduling_type: constant</c>.</summary>
    public const RedDiffLambdaSchedule LambdaSchedule = RedDiffLambdaSchedule.Constant;

    /// <summary>Adam β₁ (<c>betas=(0.9, 0.99)</c> in algo/reddiff.py).</summary>
    public const double Beta1 = 0.9;

    /// <summary>Adam β₂.</summary>
    public const double Beta2 = 0.99;

    /// <summary>Adam ε (PyTorch default).</summary>
    public const double AdamEpsilon = 1e-8;

    /// <summary>The hard-coded scheduler of algo/reddiff.py: <c>Scheduler(num_steps, schedule='vp', timestep='vp', scaling='vp')</c>.</summary>
    public static IReadOnlyDictionary<string, object?> Scheduler(int numSteps) => new Dictionary<string, object?>
    {
        ["num_steps"] = numSteps,
        ["schedule"] = "vp",
        ["timestep"] = "vp",
        ["scaling"] = "vp",
    };
}
