using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Lbfgs;

/// <summary>
/// Options of the L-BFGS data-fitting baseline (reference <c>algo/lbfgs.py</c>, the FWI baseline; Liu &amp; Nocedal 1989):
/// minimises the data misfit <c>Σ_b ℓ_b(x)</c> without a prior, from zeros (or a smoothed initial guess), by
/// <see cref="NumSteps"/> calls of <see cref="LbfgsOptimizer.Step"/> with <see cref="MaxIterations"/> iterations each and the
/// strong-Wolfe line search of <c>torch.optim.LBFGS</c>. Needs the misfit gradient.
/// </summary>
public sealed class LbfgsOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public LbfgsOptions() => Name = LbfgsDefaults.Name;

    /// <summary>Learning rate (initial line-search step).</summary>
    /// <value>The default is 0.1 (reference lbfgs.yaml, <c>lr</c>).</value>
    public double LearningRate { get; set; } = LbfgsDefaults.LearningRate;

    /// <summary>Number of optimiser steps (outer calls).</summary>
    /// <value>The default is 100 (reference lbfgs.yaml, <c>num_steps</c>).</value>
    public int NumSteps { get; set; } = LbfgsDefaults.NumSteps;

    /// <summary>L-BFGS iterations per step.</summary>
    /// <value>The default is 5 (reference lbfgs.yaml, <c>max_iter</c>).</value>
    public int MaxIterations { get; set; } = LbfgsDefaults.MaxIterations;

    /// <summary>Whether to use the strong-Wolfe line search (reference <c>line_search_fn: strong_wolfe</c>); false takes fixed steps.</summary>
    /// <value>The default is true (reference lbfgs.yaml, <c>line_search_fn</c>).</value>
    public bool StrongWolfe { get; set; } = true;

    /// <summary>Number of correction pairs kept.</summary>
    /// <value>The default is 100 (<c>torch.optim.LBFGS</c>).</value>
    public int HistorySize { get; set; } = LbfgsDefaults.HistorySize;

    /// <summary>Termination tolerance on the largest gradient component.</summary>
    /// <value>The default is 1e-7 (<c>torch.optim.LBFGS</c>).</value>
    public double ToleranceGrad { get; set; } = LbfgsDefaults.ToleranceGrad;

    /// <summary>Termination tolerance on loss and parameter changes.</summary>
    /// <value>The default is 1e-9 (<c>torch.optim.LBFGS</c>).</value>
    public double ToleranceChange { get; set; } = LbfgsDefaults.ToleranceChange;

    /// <summary>An initial guess <c>[1, ..signal]</c> in normalised space (reference <c>inference(init=…)</c>); null starts from zeros.</summary>
    /// <value>The default is null (zeros, as <c>main.py</c> runs the reference).</value>
    public Tensor? InitialGuess { get; set; }

    /// <summary>Gaussian smoothing (pixels, in physical units) applied to <see cref="InitialGuess"/>; 0 uses it as is.</summary>
    /// <value>The default is 20 (reference <c>gaussian_filter(..., sigma=20.0)</c>).</value>
    public double InitialSmoothingSigma { get; set; } = LbfgsDefaults.InitialSmoothingSigma;

    /// <summary>Lower bound in physical units, enforced by projection after each step; null for none.</summary>
    /// <value>The default is null (the reference is unconstrained).</value>
    public double? LowerBound { get; set; }

    /// <summary>Upper bound in physical units, enforced by projection after each step; null for none.</summary>
    /// <value>The default is null (the reference is unconstrained).</value>
    public double? UpperBound { get; set; }

    /// <summary>Reads the reference's <c>method</c> block of <c>configs/algorithm/lbfgs.yaml</c> (<c>lr</c>, <c>num_steps</c>, <c>max_iter</c>, <c>line_search_fn</c>).</summary>
    /// <exception cref="FormatException"><c>line_search_fn</c> is neither <c>strong_wolfe</c> nor null/<c>none</c>.</exception>
    public static LbfgsOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        string? lineSearch = method.Get<string?>("line_search_fn", LbfgsDefaults.LineSearch);
        bool wolfe = lineSearch switch
        {
            null or "" or "none" or "None" or "null" => false,
            "strong_wolfe" => true,
            _ => throw new FormatException($"Configuration key 'line_search_fn' must be strong_wolfe or none; got '{lineSearch}'."),
        };
        return new LbfgsOptions
        {
            LearningRate = method.Get("lr", LbfgsDefaults.LearningRate),
            NumSteps = method.Get("num_steps", LbfgsDefaults.NumSteps),
            MaxIterations = method.Get("max_iter", LbfgsDefaults.MaxIterations),
            StrongWolfe = wolfe,
            HistorySize = method.Get("history_size", LbfgsDefaults.HistorySize),
            LowerBound = method.Get<double?>("lower_bound", null),
            UpperBound = method.Get<double?>("upper_bound", null),
        };
    }

    /// <summary>The optimiser settings these options select.</summary>
    internal LbfgsSettings Settings => new()
    {
        LearningRate = LearningRate,
        MaxIterations = MaxIterations,
        HistorySize = HistorySize,
        ToleranceGrad = ToleranceGrad,
        ToleranceChange = ToleranceChange,
        StrongWolfe = StrongWolfe,
    };

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        if (NumSteps < 0) errors.Add($"NumSteps must be ≥ 0; got {NumSteps}");
        try
        {
            Settings.Validate();
        }
        catch (ArgumentException ex)
        {
            errors.Add(ex.Message.TrimEnd('.'));
        }

        DataFitting.Validate(errors, InitialSmoothingSigma, LowerBound, UpperBound);
    }
}
