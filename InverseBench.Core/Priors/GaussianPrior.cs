using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Core.Priors;

/// <summary>
/// A Gaussian prior N(μ, Σ) over signals <c>[C, R, R]</c> with its exact EDM denoiser
/// D(x; σ) = μ + Σ(Σ + σ²I)⁻¹(x − μ) (the posterior mean of x₀ given x = x₀ + σε), computed in float64 and returned in x's
/// dtype. Σ is diagonal (<see cref="Diagonal"/>, as in the reference's linear-Gaussian toy problem) or dense
/// (<see cref="Dense"/>, evaluated through its eigendecomposition Σ = QΛQᵀ). Differentiable w.r.t. x.
/// </summary>
public sealed class GaussianPrior : AnalyticPriorBase
{
    private readonly Tensor _mean;          // [C,R,R] float64
    private readonly Tensor? _variance;     // [C,R,R] float64 (diagonal form)
    private readonly Tensor? _eigenvalues;  // [n] float64 (dense form)
    private readonly Tensor? _eigenvectors; // [n,n] float64 (dense form), columns
    private Tensor? _covariance;

    private GaussianPrior(Tensor mean, Tensor? variance, Tensor? eigenvalues, Tensor? eigenvectors, Tensor? covariance)
        : base("gaussian", (int)mean.shape[0], (int)mean.shape[1], mean.device)
    {
        _mean = mean;
        _variance = variance;
        _eigenvalues = eigenvalues;
        _eigenvectors = eigenvectors;
        _covariance = covariance;
    }

    /// <summary>N(μ, diag(std²)) with independent pixels.</summary>
    /// <param name="mean">μ, <c>[C, R, R]</c> (any real floating dtype; copied to float64).</param>
    /// <param name="std">Per-pixel standard deviations, <c>[C, R, R]</c>, all &gt; 0.</param>
    /// <exception cref="ArgumentException">Shapes, dtypes, devices, non-finite or non-positive std.</exception>
    public static GaussianPrior Diagonal(Tensor mean, Tensor std)
    {
        CheckMean(mean);
        TensorGuard.Shape(std, nameof(std), mean.shape);
        TensorGuard.FloatingPoint(std, nameof(std));
        TensorGuard.Finite(std, nameof(std));
        TensorGuard.OnDevice(std, nameof(std), mean.device);
        using (var check = NewDisposeScope())
        {
            if ((std <= 0).any().item<bool>()) throw new ArgumentException("std must be > 0 everywhere.", nameof(std));
        }
        var m = Owned(mean);
        var s = Owned(std);
        var variance = (s * s).DetachFromDisposeScope();
        s.Dispose();
        return new GaussianPrior(m, variance, null, null, null);
    }

    /// <summary>N(μ, Σ) with a dense covariance over the C-order flattening of <c>[C, R, R]</c>.</summary>
    /// <param name="mean">μ, <c>[C, R, R]</c>.</param>
    /// <param name="covariance">Σ, <c>[n, n]</c>, n = C·R·R, symmetric positive semi-definite (checked to 1e-8 relative).</param>
    /// <exception cref="ArgumentException">Shapes, dtypes, devices, non-finite values, asymmetry or a negative eigenvalue.</exception>
    public static GaussianPrior Dense(Tensor mean, Tensor covariance)
    {
        CheckMean(mean);
        long n = mean.numel();
        TensorGuard.Shape(covariance, nameof(covariance), n, n);
        TensorGuard.FloatingPoint(covariance, nameof(covariance));
        TensorGuard.Finite(covariance, nameof(covariance));
        TensorGuard.OnDevice(covariance, nameof(covariance), mean.device);
        var m = Owned(mean);
        Tensor cov = Owned(covariance);
        using var scope = NewDisposeScope();
        double scale = Math.Max(cov.abs().max().item<double>(), double.Epsilon);
        double asymmetry = (cov - cov.T).abs().max().item<double>();
        if (asymmetry > 1e-8 * scale)
            throw new ArgumentException($"covariance must be symmetric; max |Σ − Σᵀ| = {asymmetry:G3}.", nameof(covariance));
        var symmetric = (cov + cov.T) * 0.5;
        var (values, vectors) = linalg.eigh(symmetric);
        double minimum = values.min().item<double>();
        if (minimum < -1e-8 * scale)
            throw new ArgumentException($"covariance must be positive semi-definite; smallest eigenvalue {minimum:G3}.", nameof(covariance));
        var lambda = values.clamp_min(0).DetachFromDisposeScope();
        var q = vectors.DetachFromDisposeScope();
        return new GaussianPrior(m, variance: null, eigenvalues: lambda, eigenvectors: q, covariance: cov);
    }

    /// <summary>Whether Σ is diagonal.</summary>
    public bool IsDiagonal => _variance is not null;

    /// <summary>μ, <c>[C, R, R]</c> float64 (owned by the prior; do not dispose).</summary>
    public Tensor Mean => _mean;

    /// <summary>Σ, <c>[n, n]</c> float64 (dense form even for a diagonal prior; built on first use; owned by the prior).</summary>
    public Tensor Covariance => _covariance ??= diag(_variance!.reshape(-1)).DetachFromDisposeScope();

    /// <summary>The per-pixel variances diag(Σ), <c>[C, R, R]</c> float64 (a new tensor).</summary>
    public Tensor Variance() => _variance is not null ? _variance.clone() : Covariance.diagonal().reshape(_mean.shape).clone();

    /// <summary>Exact draws μ + Σ^{1/2} ε, <c>[count, C, R, R]</c> float32 (noise drawn in float64 from <paramref name="generator"/>).</summary>
    public Tensor Sample(int count, Generator generator)
    {
        CheckSampleArguments(count, generator);
        using var scope = NewDisposeScope();
        var shape = new long[] { count }.Concat(_mean.shape).ToArray();
        var eps = StandardNormal(shape, generator);
        Tensor draw = _variance is not null
            ? _mean + eps * _variance.sqrt()
            : _mean + matmul(eps.reshape(count, -1) * _eigenvalues!.sqrt(), _eigenvectors!.T).reshape(shape);
        return scope.MoveToOuter(draw.to(ScalarType.Float32));
    }

    /// <summary>log N(x; μ, Σ + σ²I) gradient: the exact score of the σ-smoothed prior, −(Σ + σ²I)⁻¹(x − μ), float64.</summary>
    /// <param name="x"><c>[B, C, R, R]</c>.</param>
    /// <param name="sigma">σ ≥ 0 (σ &gt; 0 unless Σ is non-singular).</param>
    public Tensor SmoothedScore(Tensor x, double sigma)
    {
        TensorGuard.Batched(x, nameof(x), _mean.shape);
        using var scope = NewDisposeScope();
        var r = x.to(ScalarType.Float64) - _mean;
        double s2 = sigma * sigma;
        Tensor result = _variance is not null
            ? -r / (_variance + s2)
            : -matmul(matmul(r.reshape(r.shape[0], -1), _eigenvectors!) / (_eigenvalues! + s2), _eigenvectors!.T).reshape(r.shape);
        return scope.MoveToOuter(result);
    }

    private protected override Tensor DenoiseCore(Tensor x, Tensor sigma2)
    {
        var r = x - _mean;
        long b = x.shape[0];
        if (_variance is not null)
        {
            var s2 = sigma2.reshape(b, 1, 1, 1);
            var ratio = where(s2 == 0, ones_like(_variance), _variance / (_variance + s2));
            return _mean + ratio * r;
        }
        var z = matmul(r.reshape(b, -1), _eigenvectors!);                     // Qᵀ(x−μ), as rows
        var s2d = sigma2.reshape(b, 1);
        var shrink = where(s2d == 0, ones_like(s2d), _eigenvalues! / (_eigenvalues! + s2d));
        return _mean + matmul(z * shrink, _eigenvectors!.T).reshape(x.shape);
    }

    private static void CheckMean(Tensor mean)
    {
        ArgumentNullException.ThrowIfNull(mean);
        if (mean.dim() != 3 || mean.shape[1] != mean.shape[2] || mean.shape[0] < 1 || mean.shape[1] < 1)
            throw new ArgumentException($"mean must have shape [C, R, R]; got {TensorGuard.Format(mean.shape)}.", nameof(mean));
        TensorGuard.FloatingPoint(mean, nameof(mean));
        if (mean.is_complex()) throw new ArgumentException("mean must be real.", nameof(mean));
        TensorGuard.Finite(mean, nameof(mean));
    }

    private static Tensor Owned(Tensor t) => t.detach().to(ScalarType.Float64).clone().DetachFromDisposeScope();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _mean.Dispose();
        _variance?.Dispose();
        _eigenvalues?.Dispose();
        _eigenvectors?.Dispose();
        _covariance?.Dispose();
    }
}
