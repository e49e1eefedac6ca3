using InverseBench.Algorithms.Lbfgs;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Adam;

/// <summary>
/// Options of the AdamL2 data-fitting baseline (reference <c>algo/adam.py</c> <c>AdamL2</c>, the FWI baseline): minimises the
/// data misfit <c>Σ_b ℓ_b(x)</c> without a prior by AdamW (Loshchilov &amp; Hutter 2019; β = (0.9, 0.999), ε = 1e-8) from
/// zeros (or a smoothed initial guess), with the learning rate halved at each milestone (<c>MultiStepLR(γ=0.5)</c>, stepped
/// every iteration). Needs the misfit gradient.
/// </summary>
public sealed class AdamOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public AdamOptions() => Name = AdamDefaults.Name;

    /// <summary>Initial learning rate.</summary>
    /// <value>The default is 0.01 (reference adam.yaml, <c>lr</c>).</value>
    public double LearningRate { get; set; } = AdamDefaults.LearningRate;

    /// <summary>Decoupled weight decay (AdamW).</summary>
    /// <value>The default is 0 (reference adam.yaml, <c>weight_decay</c>).</value>
    public double WeightDecay { get; set; } = AdamDefaults.WeightDecay;

    /// <summary>Number of Adam steps (one gradient each).</summary>
    /// <value>The default is 300 (reference adam.yaml, <c>num_steps</c>).</value>
    public int NumSteps { get; set; } = AdamDefaults.NumSteps;

    /// <summary>Steps after which the learning rate is multiplied by <see cref="Gamma"/>; null means <c>[NumSteps]</c> (the reference constructor's default).</summary>
    /// <value>The default is [100, 200] (reference adam.yaml, <c>milestones</c>).</value>
    public IReadOnlyList<int>? Milestones { get; set; } = AdamDefaults.Milestones;

    /// <summary>Learning-rate factor at each milestone.</summary>
    /// <value>The default is 0.5 (reference <c>MultiStepLR(gamma=0.5)</c>).</value>
    public double Gamma { get; set; } = AdamDefaults.Gamma;

    /// <summary>An initial guess <c>[1, ..signal]</c> in normalised space (reference <c>inference(init=…)</c>); null starts from zeros.</summary>
    /// <value>The default is null (zeros, as <c>main.py</c> runs the reference).</value>
    public Tensor? InitialGuess { get; set; }

    /// <summary>Gaussian smoothing (pixels, in physical units) applied to <see cref="InitialGuess"/>; 0 uses it as is.</summary>
    /// <value>The default is 20 (reference <c>gaussian_filter(..., sigma=20.0)</c>).</value>
    public double InitialSmoothingSigma { get; set; } = AdamDefaults.InitialSmoothingSigma;

    /// <summary>Lower bound in physical units, enforced by projection after each step; null for none.</summary>
    /// <value>The default is null (the reference is unconstrained).</value>
    public double? LowerBound { get; set; }

    /// <summary>Upper bound in physical units, enforced by projection after each step; null for none.</summary>
    /// <value>The default is null (the reference is unconstrained).</value>
    public double? UpperBound { get; set; }

    /// <summary>Reads the reference's <c>method</c> block of <c>configs/algorithm/adam.yaml</c> (<c>lr</c>, <c>weight_decay</c>, <c>num_steps</c>, <c>milestones</c>).</summary>
    public static AdamOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new AdamOptions
        {
            LearningRate = method.Get("lr", AdamDefaults.LearningRate),
            WeightDecay = method.Get("weight_decay", AdamDefaults.WeightDecay),
            NumSteps = method.Get("num_steps", AdamDefaults.NumSteps),
            Milestones = method.Has("milestones") ? method.Get<int[]>("milestones", []) : AdamDefaults.Milestones,
            LowerBound = method.Get<double?>("lower_bound", null),
            UpperBound = method.Get<double?>("upper_bound", null),
        };
    }

    /// <summary>The learning rate of step <paramref name="step"/> (0-based): <c>lr·γ^{#milestones ≤ step}</c>.</summary>
    internal double LearningRateAt(int step)
    {
        var milestones = Milestones ?? [NumSteps];
        return LearningRate * Math.Pow(Gamma, milestones.Count(m => m <= step));
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) errors.Add($"LearningRate must be positive; got {LearningRate}");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) errors.Add($"WeightDecay must be ≥ 0; got {WeightDecay}");
        if (NumSteps < 0) errors.Add($"NumSteps must be ≥ 0; got {NumSteps}");
        if (!(Gamma > 0) || !double.IsFinite(Gamma)) errors.Add($"Gamma must be positive; got {Gamma}");
        if (Milestones is not null && Milestones.Any(m => m < 0)) errors.Add("Milestones must be ≥ 0");
        DataFitting.Validate(errors, InitialSmoothingSigma, LowerBound, UpperBound);
    }
}
