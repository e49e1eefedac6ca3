using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Core.Priors;

/// <summary>
/// Shared plumbing of the analytic priors: argument guards (shape, dtype, device, NaN/Inf, σ), evaluation counting, float64
/// evaluation inside a dispose scope and the cast back to the input dtype. Derived classes implement
/// <see cref="DenoiseCore"/> on float64 tensors with a per-sample σ² of shape <c>[B]</c>.
/// </summary>
public abstract class AnalyticPriorBase : IDiffusionPrior
{
    private bool _disposed;

    /// <summary>Initialises the shape and device and loads the Torch runtime.</summary>
    private protected AnalyticPriorBase(string name, int channels, int resolution, Device device)
    {
        TorchRuntime.EnsureInitialized();
        Name = name;
        Channels = channels;
        Resolution = resolution;
        Device = device;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Channels { get; }

    /// <inheritdoc />
    public int Resolution { get; }

    /// <summary>0: the denoiser is exact at every σ ≥ 0 (at σ = 0 it is the identity).</summary>
    public double SigmaMin => 0;

    /// <summary>A nominal upper noise level (1000); the denoiser is exact at any finite σ.</summary>
    public double SigmaMax => 1000;

    /// <inheritdoc />
    public Device Device { get; }

    /// <summary>Number of scalar dimensions n = C·R·R of one signal.</summary>
    public long Dimension => (long)Channels * Resolution * Resolution;

    /// <inheritdoc />
    public Tensor Denoise(Tensor x, double sigma)
    {
        if (!double.IsFinite(sigma) || sigma < 0) throw new ArgumentException($"sigma must be finite and ≥ 0; got {sigma}.", nameof(sigma));
        long batch = CheckInput(x);
        using var scope = NewDisposeScope();
        var sigma2 = full(batch, sigma * sigma, ScalarType.Float64, Device);
        return scope.MoveToOuter(Run(x, sigma2, batch));
    }

    /// <inheritdoc />
    public Tensor Denoise(Tensor x, Tensor sigma)
    {
        long batch = CheckInput(x);
        ArgumentNullException.ThrowIfNull(sigma);
        if (!(sigma.dim() == 0 || (sigma.dim() == 1 && (sigma.shape[0] == 1 || sigma.shape[0] == batch))))
            throw new ArgumentException($"sigma must be a scalar tensor, [1] or [{batch}]; got {TensorGuard.Format(sigma.shape)}.", nameof(sigma));
        TensorGuard.FloatingPoint(sigma, nameof(sigma));
        TensorGuard.Finite(sigma, nameof(sigma));
        using var scope = NewDisposeScope();
        var s = sigma.detach().to(ScalarType.Float64, Device).reshape(-1);
        if ((s < 0).any().item<bool>()) throw new ArgumentException("sigma must be ≥ 0.", nameof(sigma));
        var sigma2 = (s * s).expand(batch);
        return scope.MoveToOuter(Run(x, sigma2, batch));
    }

    /// <summary>
    /// The exact denoiser on float64 input <c>[B, C, R, R]</c> with per-sample σ² <c>[B]</c>; must be differentiable w.r.t.
    /// <paramref name="x"/> (runs inside a dispose scope owned by the caller).
    /// </summary>
    private protected abstract Tensor DenoiseCore(Tensor x, Tensor sigma2);

    private Tensor Run(Tensor x, Tensor sigma2, long batch)
    {
        EvaluationCounter.RecordNetwork(batch);
        var result = DenoiseCore(x.to(ScalarType.Float64), sigma2);
        return result.to(x.dtype);
    }

    private long CheckInput(Tensor x)
    {
        long batch = TensorGuard.Batched(x, nameof(x), [Channels, Resolution, Resolution]);
        TensorGuard.DType(x, nameof(x), ScalarType.Float32, ScalarType.Float64);
        TensorGuard.OnDevice(x, nameof(x), Device);
        TensorGuard.Finite(x, nameof(x));
        return batch;
    }

    /// <summary>Checks a sample count and generator.</summary>
    private protected static void CheckSampleArguments(int count, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
    }

    /// <summary>
    /// Standard normal float64 noise of <paramref name="shape"/> on <see cref="Device"/>, drawn on the generator's own device
    /// (so a CPU run generator serves a CUDA prior).
    /// </summary>
    private protected Tensor StandardNormal(long[] shape, Generator generator)
    {
        var eps = randn(shape, ScalarType.Float64, generator.device, generator: generator);
        return Tensors.TensorGuard.SameDevice(generator.device, Device) ? eps : eps.to(Device);
    }

    /// <summary>Whether the prior was disposed.</summary>
    protected bool IsDisposed => _disposed;

    /// <summary>Releases the prior's tensors. Idempotent.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the derived prior's tensors.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
