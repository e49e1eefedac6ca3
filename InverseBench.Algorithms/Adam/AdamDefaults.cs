namespace InverseBench.Algorithms.Adam;

/// <summary>Defaults of <see cref="AdamOptions"/>, from the reference's <c>configs/algorithm/adam.yaml</c> and <c>algo/adam.py</c>.</summary>
internal static class AdamDefaults
{
    /// <summary>The solver name (<c>configs/algorithm/adam.yaml</c>).</summary>
    public const string Name = "adam";

    /// <summary><c>adam.yaml</c> <c>lr</c>.</summary>
    public const double LearningRate = 0.01;

    /// <summary><c>adam.yaml</c> <c>weight_decay</c>.</summary>
    public const double WeightDecay = 0.0;

    /// <summary><c>adam.yaml</c> <c>num_steps</c>.</summary>
    public const int NumSteps = 300;

    /// <summary><c>adam.yaml</c> <c>milestones</c>.</summary>
    public static readonly int[] Milestones = [100, 200];

    /// <summary>The <c>MultiStepLR(gamma=0.5)</c> of <c>algo/adam.py</c>.</summary>
    public const double Gamma = 0.5;

    /// <summary>The smoothing of an initial guess in <c>algo/adam.py</c> (<c>gaussian_filter(..., sigma=20.0)</c>).</summary>
    public const double InitialSmoothingSigma = 20.0;
}
