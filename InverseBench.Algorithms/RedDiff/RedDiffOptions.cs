using InverseBench.Algorithms.Common;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;

namespace InverseBench.Algorithms.RedDiff;

/// <summary>How RED-diff's regularisation weight λ depends on the noise level (reference <c>lambda_scheduling_type</c>).</summary>
public enum RedDiffLambdaSchedule
{
    /// <summary><c>constant</c>: λ = base_lambda.</summary>
    Constant,

    /// <summary><c>linear</c>: λ = σ·base_lambda.</summary>
    Linear,

    /// <summary><c>sqrt</c>: λ = √σ·base_lambda (crashes in the reference; works here).</summary>
    Sqrt,
}

/// <summary>
/// Options of RED-diff (Mardani, Song, Kautz, Vahdat, <i>A Variational Perspective on Solving Inverse Problems with
/// Diffusion Models</i>, ICLR 2024), as the reference's <c>algo/reddiff.py</c> implements it.
/// </summary>
/// <remarks>
/// Optimises the mean μ (initialised at 0) of a variational distribution with Adam (β = (0.9, 0.99)) over a VP schedule
/// walked from high to low noise: at step i, with ε ~ N(0, I), the denoiser sees <c>μ + σ_i ε</c>, predicts
/// <c>ε̂ = (μ + σ_i ε − D(μ + σ_i ε; σ_i))/σ_i</c>, and the gradient is <c>w·∇ℓ(μ) + λ(σ_i)(ε̂ − ε)</c>. Returns μ.
/// NFE = <c>num_steps</c> (plus one misfit gradient per step).
/// </remarks>
public sealed class RedDiffOptions : SolverOptions
{
    /// <summary>Creates options with the reference defaults.</summary>
    public RedDiffOptions() => Name = RedDiffDefaults.Name;

    /// <summary>Number of steps of the (hard-coded VP/VP/VP) schedule.</summary>
    /// <value>The default is 1000 (reference reddiff.yaml, <c>num_steps</c>).</value>
    public int NumSteps { get; set; } = RedDiffDefaults.NumSteps;

    /// <summary>w, the weight of the data-misfit gradient.</summary>
    /// <value>The default is 1 (reference reddiff.yaml, <c>observation_weight</c>).</value>
    public double ObservationWeight { get; set; } = RedDiffDefaults.ObservationWeight;

    /// <summary>The base regularisation weight.</summary>
    /// <value>The default is 0.25 (reference reddiff.yaml, <c>base_lambda</c>).</value>
    public double BaseLambda { get; set; } = RedDiffDefaults.BaseLambda;

    /// <summary>Adam's learning rate.</summary>
    /// <value>The default is 0.02 (reference reddiff.yaml, <c>base_lr</c>).</value>
    public double BaseLearningRate { get; set; } = RedDiffDefaults.BaseLearningRate;

    /// <summary>How λ depends on σ.</summary>
    /// <value>The default is <see cref="RedDiffLambdaSchedule.Constant"/> (reference reddiff.yaml, <c>lambda_scheduling_type</c>).</value>
    public RedDiffLambdaSchedule LambdaSchedule { get; set; } = RedDiffDefaults.LambdaSchedule;

    /// <summary>
    /// When true, reproduces the reference's network input: it feeds the scaled <c>x_t = s_i(μ + σ_i ε)</c> to the denoiser
    /// without dividing by s_i and forms <c>ε̂ = (x_t − D(x_t; σ_i))/σ_i</c>.
    /// </summary>
    /// <value>The default is false: the denoiser sees <c>μ + σ_i ε</c>, the input its noise level σ_i describes.</value>
    public bool ReferenceScaledNetworkInput { get; set; }

    /// <summary>
    /// Reads the reference's <c>method</c> keys (<c>num_steps</c>, <c>observation_weight</c>, <c>base_lambda</c>, <c>base_lr</c>,
    /// <c>lambda_scheduling_type</c>) over the yaml defaults; port additions <c>reference_scaled_network_input</c>
    /// (<see cref="ReferenceScaledNetworkInput"/>) and <c>reference_compatible</c> (turns it on unless given).
    /// </summary>
    public static RedDiffOptions FromConfig(ConfigSection method)
    {
        ArgumentNullException.ThrowIfNull(method);
        bool reference = ReferenceCompatibility.Read(method);
        var o = new RedDiffOptions();
        o.ReferenceScaledNetworkInput = ReferenceCompatibility.Quirk(method, "reference_scaled_network_input", reference, false, true);
        o.NumSteps = method.Get("num_steps", o.NumSteps);
        o.ObservationWeight = method.Get("observation_weight", o.ObservationWeight);
        o.BaseLambda = method.Get("base_lambda", o.BaseLambda);
        o.BaseLearningRate = method.Get("base_lr", o.BaseLearningRate);
        o.LambdaSchedule = method.Get("lambda_scheduling_type", o.LambdaSchedule);
        return o;
    }

    /// <inheritdoc />
    protected override void Validate(List<string> errors)
    {
        if (NumSteps < 1) errors.Add($"{nameof(NumSteps)} must be at least 1; got {NumSteps}");
        if (!double.IsFinite(ObservationWeight) || ObservationWeight < 0) errors.Add($"{nameof(ObservationWeight)} must be finite and non-negative; got {ObservationWeight}");
        if (!double.IsFinite(BaseLambda) || BaseLambda < 0) errors.Add($"{nameof(BaseLambda)} must be finite and non-negative; got {BaseLambda}");
        if (!(BaseLearningRate > 0) || !double.IsFinite(BaseLearningRate)) errors.Add($"{nameof(BaseLearningRate)} must be positive and finite; got {BaseLearningRate}");
        if (!Enum.IsDefined(LambdaSchedule)) errors.Add($"{nameof(LambdaSchedule)} is not a defined value ({LambdaSchedule})");
    }
}
