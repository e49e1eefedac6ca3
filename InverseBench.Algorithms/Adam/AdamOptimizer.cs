using InverseBench.Algorithms.Lbfgs;
using InverseBench.Core.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Adam;

/// <summary>Settings of <see cref="AdamOptimizer"/>, with the defaults of <c>torch.optim.Adam</c>.</summary>
public sealed class AdamSettings
{
    /// <summary>Learning rate. The default is 1e-3 (may be changed between steps, e.g. by a schedule).</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>First-moment decay <c>β₁</c>. The default is 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>Second-moment decay <c>β₂</c>. The default is 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>Denominator offset <c>ε</c>. The default is 1e-8.</summary>
    public double Epsilon { get; set; } = 1e-8;

    /// <summary>Weight decay <c>λ</c>. The default is 0.</summary>
    public double WeightDecay { get; set; }

    /// <summary>
    /// True applies decoupled weight decay (AdamW: <c>θ ← θ(1 − lr·λ)</c> before the Adam update); false adds <c>λθ</c> to the
    /// gradient (Adam). The default is false.
    /// </summary>
    public bool DecoupledWeightDecay { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (!(LearningRate >= 0) || !double.IsFinite(LearningRate)) errors.Add($"LearningRate must be ≥ 0; got {LearningRate}");
        if (!(Beta1 >= 0 && Beta1 < 1)) errors.Add($"Beta1 must be in [0, 1); got {Beta1}");
        if (!(Beta2 >= 0 && Beta2 < 1)) errors.Add($"Beta2 must be in [0, 1); got {Beta2}");
        if (!(Epsilon >= 0)) errors.Add($"Epsilon must be ≥ 0; got {Epsilon}");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) errors.Add($"WeightDecay must be ≥ 0; got {WeightDecay}");
        if (errors.Count > 0) throw new ArgumentException("Invalid Adam settings: " + string.Join("; ", errors) + ".");
    }
}

/// <summary>
/// Adam / AdamW over one parameter tensor, with the exact update of <c>torch.optim.Adam</c> / <c>AdamW</c> (single-tensor
/// path): <c>m ← β₁m + (1−β₁)g</c>, <c>v ← β₂v + (1−β₂)g²</c>,
/// <c>θ ← θ − (lr/(1−β₁ᵗ))·m/(√v/√(1−β₂ᵗ) + ε)</c> (Kingma &amp; Ba 2015; Loshchilov &amp; Hutter 2019 for the decoupled decay).
/// </summary>
public sealed class AdamOptimizer : IDisposable
{
    private readonly Tensor _parameters;
    private readonly Tensor _firstMoment, _secondMoment;

    /// <summary>Creates the optimiser over <paramref name="parameters"/>, which it updates in place.</summary>
    public AdamOptimizer(Tensor parameters, AdamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(settings);
        if (!parameters.is_floating_point()) throw new ArgumentException($"parameters must be real floating point; got {parameters.dtype}.", nameof(parameters));
        settings.Validate();
        Settings = settings;
        _parameters = parameters;
        _firstMoment = zeros_like(parameters).DetachFromDisposeScope();
        _secondMoment = zeros_like(parameters).DetachFromDisposeScope();
    }

    /// <summary>The settings; <see cref="AdamSettings.LearningRate"/> may be changed between steps.</summary>
    public AdamSettings Settings { get; }

    /// <summary>Steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>Evaluates <paramref name="closure"/> at the current parameters and takes one step; returns the loss.</summary>
    public double Step(OptimizerClosure closure)
    {
        ArgumentNullException.ThrowIfNull(closure);
        var (loss, gradient) = closure(_parameters);
        using (gradient) Step(gradient);
        return loss;
    }

    /// <summary>Takes one step with the given gradient (PyTorch: <c>param.grad = gradient; opt.step()</c>).</summary>
    public void Step(Tensor gradient)
    {
        ArgumentNullException.ThrowIfNull(gradient);
        if (!gradient.shape.SequenceEqual(_parameters.shape))
        {
            throw new ArgumentException(
                $"gradient has shape {TensorGuard.Format(gradient.shape)} but the parameters have shape {TensorGuard.Format(_parameters.shape)}.", nameof(gradient));
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var s = Settings;
        Steps++;
        var g = gradient.to(_parameters.dtype);
        if (s.WeightDecay != 0)
        {
            if (s.DecoupledWeightDecay) _parameters.mul_(1 - s.LearningRate * s.WeightDecay);
            else g = g.add(_parameters, alpha: s.WeightDecay);
        }

        _firstMoment.mul_(s.Beta1).add_(g, alpha: 1 - s.Beta1);
        _secondMoment.mul_(s.Beta2).addcmul_(g, g, value: 1 - s.Beta2);
        double biasCorrection1 = 1 - Math.Pow(s.Beta1, Steps);
        double biasCorrection2 = 1 - Math.Pow(s.Beta2, Steps);
        double stepSize = s.LearningRate / biasCorrection1;
        var denominator = (_secondMoment.sqrt() / Math.Sqrt(biasCorrection2)).add_(s.Epsilon);
        _parameters.addcdiv_(_firstMoment, denominator, value: -stepSize);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _firstMoment.Dispose();
        _secondMoment.Dispose();
    }
}
