// TEMPORARY local stand-ins for the shared test utilities (GaussianPrior, DenseMatrixOperator, LinearGaussianToyProblem);
// deleted once they land on main.
using InverseBench.Core.Abstractions;
using InverseBench.Core.IO;
using InverseBench.Core.Operators;
using InverseBench.Tests.TestUtilities;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Tests.Algorithms.Smc;

/// <summary>Exact denoiser of N(μ, diag s²) on [C,R,R].</summary>
internal sealed class LocalDiagonalGaussianPrior(Tensor mean, Tensor std) : IDiffusionPrior
{
    private readonly Tensor _mean = mean.to_type(ScalarType.Float64);
    private readonly Tensor _var = std.to_type(ScalarType.Float64).square();

    public string Name => "local-gaussian";
    public int Channels => (int)_mean.shape[0];
    public int Resolution => (int)_mean.shape[1];
    public double SigmaMin => 0;
    public double SigmaMax => 1e6;
    public Device Device => CPU;

    public Tensor Denoise(Tensor x, Tensor sigma)
    {
        EvaluationCounter.RecordNetwork(x.shape[0]);
        using var scope = NewDisposeScope();
        var s2 = sigma.to_type(ScalarType.Float64).reshape(-1, 1, 1, 1).square();
        var x64 = x.to_type(ScalarType.Float64);
        return scope.MoveToOuter(((_var * x64 + s2 * _mean) / (_var + s2)).to_type(x.dtype));
    }

    public Tensor Denoise(Tensor x, double sigma)
    {
        using var s = tensor(sigma, ScalarType.Float64);
        return Denoise(x, s);
    }
}

/// <summary>y = A x (flattened), measurement [B,1,1,m]; reduced SVD k = min(m, n).</summary>
internal sealed class LocalDenseMatrixOperator : ForwardOperatorBase, ISvdOperator
{
    private readonly Tensor _a, _u, _s, _vh, _mask;

    public LocalDenseMatrixOperator(Tensor a, long[] signalShape, double noise)
        : base(signalShape, [1, 1, a.shape[0]], new GaussianNoise(noise))
    {
        _a = a.to_type(ScalarType.Float64);
        var (u, s, vh) = linalg.svd(_a, fullMatrices: false);
        _u = u; _s = s; _vh = vh;
        _mask = ones_like(s);
    }

    public override string Name => "toy-linear";
    public override ScalarType MeasurementType => ScalarType.Float32;
    public Tensor SingularValues => _s;
    public Tensor ObservedMask => _mask;

    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        var r = physical.flatten(1).to_type(ScalarType.Float64).matmul(_a.T).to_type(physical.dtype);
        return scope.MoveToOuter(r.reshape(physical.shape[0], 1, 1, _a.shape[0]));
    }

    public Tensor Adjoint(Tensor measurement)
    {
        using var scope = NewDisposeScope();
        var r = measurement.flatten(1).to_type(ScalarType.Float64).matmul(_a);
        return scope.MoveToOuter(r.reshape([measurement.shape[0], .. SignalShape]).to_type(measurement.dtype));
    }

    public Tensor Vt(Tensor signal) => signal.flatten(1).to_type(ScalarType.Float64).matmul(_vh.T);
    public Tensor V(Tensor coefficients)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(coefficients.to_type(ScalarType.Float64).matmul(_vh).reshape([coefficients.shape[0], .. SignalShape]));
    }
    public Tensor Ut(Tensor measurement) => measurement.flatten(1).to_type(ScalarType.Float64).matmul(_u);
    public Tensor U(Tensor coefficients)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(coefficients.to_type(ScalarType.Float64).matmul(_u.T).reshape(coefficients.shape[0], 1, 1, _a.shape[0]));
    }
}

/// <summary>The same forward model without SVD (for refusal tests).</summary>
internal sealed class LocalPlainOperator(Tensor a, long[] signalShape) : ForwardOperatorBase(signalShape, [1, 1, a.shape[0]], new GaussianNoise(0.1))
{
    public override string Name => "toy-plain";
    public override ScalarType MeasurementType => ScalarType.Float32;
    protected override Tensor ForwardPhysicalCore(Tensor physical)
    {
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(physical.flatten(1).matmul(a.to_type(physical.dtype).T).reshape(physical.shape[0], 1, 1, a.shape[0]));
    }
}

/// <summary>The fixture toy problem (prior N(μ, diag s²) on 1×8×8, A 16×64, noise 0.1).</summary>
internal sealed class LocalToyProblem
{
    public const string Folder = "algorithms";

    private LocalToyProblem()
    {
        Tensor Load(string name) => Npy.Read(TestFixtures.FilePath(Folder, name));
        var manifest = TestFixtures.Manifest(Folder);
        double noise = manifest.GetProperty("problem").GetProperty("sigma_noise").GetDouble();
        PriorMean = Load("prior_mean.npy");
        PriorStd = Load("prior_std.npy");
        Matrix = Load("A.npy");
        Observation = Load("observation.npy");
        PosteriorMean = Load("posterior_mean.npy").reshape(PriorMean.shape);
        PosteriorStd = Load("posterior_std.npy").reshape(PriorMean.shape);
        NoiseSigma = noise;
        Prior = new LocalDiagonalGaussianPrior(PriorMean, PriorStd);
        Operator = new LocalDenseMatrixOperator(Matrix, PriorMean.shape, noise);
        PlainOperator = new LocalPlainOperator(Matrix, PriorMean.shape);
    }

    private static readonly Lazy<LocalToyProblem> Instance = new(() => new LocalToyProblem());

    public static LocalToyProblem Load() => Instance.Value;

    public Tensor PriorMean { get; }
    public Tensor PriorStd { get; }
    public Tensor Matrix { get; }
    public Tensor Observation { get; }
    public Tensor PosteriorMean { get; }
    public Tensor PosteriorStd { get; }
    public double NoiseSigma { get; }
    public IDiffusionPrior Prior { get; }
    public LocalDenseMatrixOperator Operator { get; }
    public IForwardOperator PlainOperator { get; }
}
