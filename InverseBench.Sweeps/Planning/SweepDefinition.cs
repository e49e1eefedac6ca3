namespace InverseBench.Sweeps.Planning;

/// <summary>How a sweep chooses its trials (wandb's <c>method</c>).</summary>
public enum SweepMethod
{
    /// <summary>Every combination of the discrete parameter values (Cartesian product, first parameter slowest).</summary>
    Grid,

    /// <summary>Independent draws from each parameter's distribution, seeded.</summary>
    Random,

    /// <summary>Suggestions from a Tree-structured Parzen Estimator over the finished trials in the results store (see <see cref="TpeSuggester"/>).</summary>
    Bayes,
}

/// <summary>Whether a larger or a smaller metric value is better.</summary>
public enum MetricGoal
{
    /// <summary>Larger is better (PSNR, SSIM).</summary>
    Maximize,

    /// <summary>Smaller is better (relative L2, data-fitting loss).</summary>
    Minimize,
}

/// <summary>The metric a sweep optimises (wandb's <c>metric: {name, goal}</c>).</summary>
/// <param name="Name">Metric name as the evaluator reports it (e.g. <c>psnr</c>).</param>
/// <param name="Goal">Direction of improvement.</param>
public sealed record SweepMetric(string Name, MetricGoal Goal)
{
    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/> under <see cref="Goal"/> (NaN is never better).</summary>
    public bool IsBetter(double a, double b) =>
        !double.IsNaN(a) && (double.IsNaN(b) || (Goal == MetricGoal.Maximize ? a > b : a < b));
}

/// <summary>The distribution of a swept parameter (wandb's <c>distribution</c> names).</summary>
public enum ParameterDistribution
{
    /// <summary><c>value</c>: one fixed value.</summary>
    Constant,

    /// <summary><c>values</c>: one of a list, uniformly.</summary>
    Categorical,

    /// <summary><c>int_uniform</c> (or integer <c>min</c>/<c>max</c> without a distribution): an integer in [min, max].</summary>
    IntUniform,

    /// <summary><c>uniform</c> (or real <c>min</c>/<c>max</c>): a real number in [min, max].</summary>
    Uniform,

    /// <summary><c>log_uniform_values</c>: log(x) uniform in [log min, log max]; min and max are values.</summary>
    LogUniformValues,

    /// <summary><c>log_uniform</c>: log(x) uniform in [min, max]; min and max are natural logarithms.</summary>
    LogUniform,

    /// <summary><c>q_uniform</c>: uniform in [min, max], rounded to a multiple of <c>q</c> (default 1).</summary>
    QUniform,

    /// <summary><c>q_log_uniform_values</c>: log-uniform in [min, max] (values), rounded to a multiple of <c>q</c> (default 1).</summary>
    QLogUniformValues,

    /// <summary><c>normal</c>: Gaussian with <c>mu</c> (default 0) and <c>sigma</c> (default 1).</summary>
    Normal,

    /// <summary><c>log_normal</c>: exp of a Gaussian with <c>mu</c> and <c>sigma</c>.</summary>
    LogNormal,
}

/// <summary>One swept parameter: a dotted configuration key (nested <c>parameters:</c> blocks are flattened) and its distribution.</summary>
/// <param name="Key">Dotted key of the run configuration, e.g. <c>algorithm.method.guidance_scale</c>.</param>
/// <param name="Distribution">The distribution.</param>
/// <param name="Values">The values of <see cref="ParameterDistribution.Categorical"/> (or the single value of <see cref="ParameterDistribution.Constant"/>): long, double, bool or string.</param>
/// <param name="Min">Lower bound of the ranged distributions (a logarithm for <see cref="ParameterDistribution.LogUniform"/>).</param>
/// <param name="Max">Upper bound of the ranged distributions.</param>
/// <param name="Q">Quantisation step of the <c>q_</c> distributions.</param>
/// <param name="Mu">Mean of the normal distributions.</param>
/// <param name="Sigma">Standard deviation of the normal distributions.</param>
public sealed record SweepParameter(
    string Key,
    ParameterDistribution Distribution,
    IReadOnlyList<object> Values,
    double Min = double.NaN,
    double Max = double.NaN,
    double Q = 1,
    double Mu = 0,
    double Sigma = 1)
{
    /// <summary>True for the distributions that a grid can enumerate (constant, categorical, integer range).</summary>
    public bool IsDiscrete => Distribution is ParameterDistribution.Constant or ParameterDistribution.Categorical or ParameterDistribution.IntUniform;

    /// <summary>The values a grid enumerates, in order.</summary>
    /// <exception cref="InvalidOperationException">A continuous distribution.</exception>
    public IReadOnlyList<object> GridValues() => Distribution switch
    {
        ParameterDistribution.Constant or ParameterDistribution.Categorical => Values,
        ParameterDistribution.IntUniform => Enumerable.Range(0, checked((int)((long)Max - (long)Min + 1))).Select(i => (object)((long)Min + i)).ToArray(),
        _ => throw new InvalidOperationException(
            $"Parameter '{Key}' has the continuous distribution {SweepFile.DistributionName(Distribution)}; a grid sweep needs 'values', 'value' or integer 'min'/'max'."),
    };
}

/// <summary>
/// A sweep file (the reference's <c>configs/sweep/&lt;problem&gt;/&lt;algorithm&gt;.yaml</c>, wandb sweep format): name, method, metric,
/// parameters, and the fixed overrides of its <c>command</c>.
/// </summary>
/// <param name="Name">The sweep's name (<c>name</c>; the file name when absent).</param>
/// <param name="Method">Grid, random or bayes.</param>
/// <param name="Metric">The optimised metric.</param>
/// <param name="Parameters">The swept parameters, in file order.</param>
/// <param name="FixedOverrides">The <c>key=value</c> items of <c>command</c> (without <c>${env}</c>, the interpreter, <c>${program}</c> and <c>${args...}</c>), quotes kept as written.</param>
/// <param name="RunCap">wandb's <c>run_cap</c> (maximum trials), or null.</param>
/// <param name="Ignored">Keys the file has that this port reads but does not act on (e.g. <c>early_terminate</c>), for a note to the user.</param>
public sealed record SweepDefinition(
    string Name,
    SweepMethod Method,
    SweepMetric Metric,
    IReadOnlyList<SweepParameter> Parameters,
    IReadOnlyList<string> FixedOverrides,
    int? RunCap,
    IReadOnlyList<string> Ignored);
