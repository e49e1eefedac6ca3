// INTERIM: a stand-in for the `priors` helper's InverseBench.Core.Priors.GaussianPrior (diagonal form only), so the solver
// tests of this branch run before that work lands on main. DELETE THIS FILE when GaussianPrior is merged from main.
using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Core.Priors;

/// <summary>N(μ, diag s²) over [C,R,R] with its exact denoiser D(x;σ) = (s²x + σ²μ)/(s² + σ²), computed in float64.</summary>
public sealed class GaussianPrior : IDiffusionPrior
{
    private readonly Tensor _mean;
    private readonly Tensor _variance;

    private GaussianPrior(Tensor mean, Tensor std)
    {
        _mean = mean.to(ScalarType.Float64).detach().clone().DetachFromDisposeScope();
        _variance = std.to(ScalarType.Float64).square().detach().DetachFromDisposeScope();
        Channels = (int)mean.shape[0];
        Resolution = (int)mean.shape[1];
    }

    public static GaussianPrior Diagonal(Tensor mean, Tensor std) => new(mean, std);

    public Tensor Mean => _mean;

    public string Name => "gaussian";
    public int Channels { get; }
    public int Resolution { get; }
    public double SigmaMin => 0;
    public double SigmaMax => double.PositiveInfinity;
    public Device Device => CPU;

    public Tensor Denoise(Tensor x, Tensor sigma)
    {
        EvaluationCounter.RecordNetwork(x.shape[0]);
        using var scope = NewDisposeScope();
        var s = sigma.to(ScalarType.Float64).reshape(-1, 1, 1, 1);
        var s2 = s.square();
        var x64 = x.to(ScalarType.Float64);
        var d = (_variance * x64 + s2 * _mean) / (_variance + s2);
        return scope.MoveToOuter(d.to(x.dtype));
    }

    public Tensor Denoise(Tensor x, double sigma)
    {
        using var s = tensor(sigma, ScalarType.Float64);
        return Denoise(x, s);
    }

    public Tensor Sample(int count, Generator generator)
    {
        using var scope = NewDisposeScope();
        var eps = randn([count, .. _mean.shape], dtype: ScalarType.Float64, generator: generator);
        return scope.MoveToOuter((_mean + _variance.sqrt() * eps).to(ScalarType.Float32));
    }
}
