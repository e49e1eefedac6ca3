using InverseBench.Core.Abstractions;
using InverseBench.Core.Operators;
using static TorchSharp.torch;

namespace InverseBench.Tests.Core.Fakes;

/// <summary>y = mask ⊙ x on [1, n, n] signals: a small linear operator with an exact adjoint.</summary>
public sealed class MaskOperator : ForwardOperatorBase, ILinearOperator
{
    private readonly Tensor _mask;

    public MaskOperator(int n = 4, double noise = 0.0, double shift = 0.0, double scale = 1.0)
        : base([1, n, n], [1, n, n], new GaussianNoise(noise), shift, scale)
    {
        _mask = (arange(n * n) % 3 != 0).to(float32).reshape(1, 1, n, n);
    }

    public override string Name => "toy-mask";

    public override ScalarType MeasurementType => ScalarType.Float32;

    public Tensor Mask => _mask;

    public Tensor Adjoint(Tensor measurement) => measurement * _mask;

    protected override Tensor ForwardPhysicalCore(Tensor physical) => physical * _mask;

    protected override void Dispose(bool disposing) => _mask.Dispose();
}

/// <summary>N(0, s² I) prior with the exact denoiser D(x; σ) = s²/(s²+σ²)·x.</summary>
public sealed class IsotropicGaussianPrior(int n = 4, double std = 1.0) : IDiffusionPrior
{
    public string Name => "toy-gaussian";

    public int Channels => 1;

    public int Resolution => n;

    public double SigmaMin => 0;

    public double SigmaMax => double.PositiveInfinity;

    public Device Device => CPU;

    public Tensor Denoise(Tensor x, Tensor sigma)
    {
        EvaluationCounter.RecordNetwork(x.shape[0]);
        using var scope = NewDisposeScope();
        var s2 = sigma.to(x.dtype).reshape(-1, 1, 1, 1).square();
        return scope.MoveToOuter(x * (std * std) / (s2 + std * std));
    }

    public Tensor Denoise(Tensor x, double sigma)
    {
        using var s = tensor(sigma);
        return Denoise(x, s);
    }

    public void Dispose()
    {
    }
}

/// <summary>Options of <see cref="WienerSolver"/>.</summary>
public sealed class WienerOptions : SolverOptions
{
    public WienerOptions() => Name = "toy-wiener";

    public double PriorSigma { get; set; } = 1.0;

    public int Steps { get; set; } = 3;

    protected override void Validate(List<string> errors)
    {
        if (PriorSigma <= 0) errors.Add("PriorSigma must be > 0");
        if (Steps < 1) errors.Add("Steps must be ≥ 1");
    }
}

/// <summary>
/// A trivial solver: x = D(Aᵀy; σ) plus a little generator noise, repeated for NumSamples, in Steps reported steps.
/// </summary>
public sealed class WienerSolver(WienerOptions options) : SolverBase<WienerOptions>(options)
{
    public override SolverRequirements Requirements { get; } = SolverRequirements.Of(SolverCapability.Linear).WithPrior();

    protected override Tensor SolveCore(Tensor observation, IForwardOperator op, IDiffusionPrior? prior, SolverContext context)
    {
        var linear = (ILinearOperator)op;
        var x = op.Normalize(linear.Adjoint(observation)).repeat(context.NumSamples, 1, 1, 1);
        for (int step = 0; step < Options.Steps; step++)
        {
            using var scope = NewDisposeScope();
            var next = prior!.Denoise(x, Options.PriorSigma) + 1e-3 * randn(x.shape, generator: context.Generator);
            x.Dispose();
            x = scope.MoveToOuter(next);
            context.Report(new SolverStepArguments(step, Options.Steps, Options.PriorSigma, null, Name));
        }

        return x;
    }
}

/// <summary>Mean squared error per prediction.</summary>
public sealed class MseEvaluator : IEvaluator
{
    public IReadOnlyList<MetricDescriptor> Metrics { get; } = [new("mse", HigherIsBetter: false)];

    public IReadOnlyDictionary<string, Tensor> EvaluatePerItem(Tensor prediction, Tensor target, Tensor? observation = null) =>
        new Dictionary<string, Tensor> { ["mse"] = (prediction - target).square().flatten(1).mean([1]).to(float64) };

    public IReadOnlyDictionary<string, double> Evaluate(Tensor prediction, Tensor target, Tensor? observation = null)
    {
        using var scope = NewDisposeScope();
        return EvaluatePerItem(prediction, target, observation).ToDictionary(kv => kv.Key, kv => kv.Value.mean().item<double>());
    }
}

/// <summary>A fixed list of targets.</summary>
public sealed class ListDataset(IReadOnlyList<Tensor> targets) : IProblemDataset
{
    public int Count => targets.Count;

    public string GetId(int index) => index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public Tensor GetTarget(int index) => targets[index].clone();

    public static ListDataset Random(int count, int n = 4, long seed = 7)
    {
        var g = new Generator((ulong)seed);
        return new ListDataset(Enumerable.Range(0, count).Select(_ => randn([1, 1, n, n], generator: g)).ToArray());
    }
}
