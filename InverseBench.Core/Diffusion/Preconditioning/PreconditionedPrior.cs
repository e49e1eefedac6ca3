using InverseBench.Core.Abstractions;
using InverseBench.Core.Modules;
using InverseBench.Core.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Diffusion.Preconditioning;

/// <summary>
/// A diffusion prior given by a preconditioned network (reference <c>net(x, sigma)</c> with <c>net</c> an
/// <c>EDMPrecond</c>/<c>VPPrecond</c> in eval mode). The network is put in eval mode and its parameters are frozen
/// (<c>requires_grad = false</c>; gradients with respect to <c>x</c> are unaffected).
/// </summary>
/// <remarks>
/// <para><see cref="Denoise(Tensor, Tensor)"/> runs without an autograd graph unless the caller passes an <c>x</c> that
/// requires grad (guidance solvers such as DPS differentiate through it), and records one network evaluation per call in
/// <see cref="EvaluationCounter"/>.</para>
/// <para>Like the reference, the input is cast to the network's dtype and the result is returned in that dtype: float32
/// for a float32 network even when <c>x</c> is float64. Convert the prior with <see cref="To(ScalarType)"/> (float64) to
/// evaluate the whole network in double precision, or opt in to mixed bfloat16/float16 convolutions with
/// <see cref="UsePrecision"/>.</para>
/// </remarks>
public sealed class PreconditionedPrior : IDiffusionPrior, IDisposable
{
    private bool _disposed;

    /// <summary>Wraps <paramref name="network"/>; the prior owns it and disposes it.</summary>
    /// <param name="network">The preconditioned network.</param>
    /// <param name="name">A descriptive name (preset name).</param>
    public PreconditionedPrior(Preconditioner network, string name)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Runtime.TorchRuntime.EnsureInitialized();
        Network = network;
        Name = name;
        network.eval();
        foreach (var p in network.parameters()) p.requires_grad = false;
    }

    /// <summary>The preconditioned network (state dict holder).</summary>
    public Preconditioner Network { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Channels => Network.ImgChannels;

    /// <inheritdoc />
    public int Resolution => Network.ImgResolution;

    /// <inheritdoc />
    public double SigmaMin => Network.SigmaMin;

    /// <inheritdoc />
    public double SigmaMax => Network.SigmaMax;

    /// <inheritdoc />
    public Device Device => Network.parameters().First().device;

    /// <summary>The dtype the network computes in and returns (float32 unless converted).</summary>
    public ScalarType DType => Network.DType;

    /// <summary>The arithmetic precision of the network's convolutions (<see cref="NetworkPrecision.Full"/> unless changed by <see cref="UsePrecision"/>).</summary>
    public NetworkPrecision Precision { get; private set; }

    /// <summary>
    /// Converts the network's parameters and buffers to <paramref name="dtype"/> (float32 or float64) in place; returns this
    /// prior. Converting to float64 returns the precision to <see cref="NetworkPrecision.Full"/>.
    /// </summary>
    public PreconditionedPrior To(ScalarType dtype)
    {
        EnsureNotDisposed();
        if (dtype is not (ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"The network can run in float32 or float64, not {dtype}.", nameof(dtype));
        Network.to(dtype);
        ApplyPrecision(dtype == ScalarType.Float64 ? NetworkPrecision.Full : Precision);
        return this;
    }

    /// <summary>Moves the network to <paramref name="device"/> in place (its reduced-precision weight copies too); returns this prior.</summary>
    public PreconditionedPrior To(Device device)
    {
        EnsureNotDisposed();
        ArgumentNullException.ThrowIfNull(device);
        Network.to(device);
        ApplyPrecision(Precision);
        return this;
    }

    /// <summary>
    /// Evaluates the network's convolutions in <paramref name="precision"/> from now on (mixed precision, see
    /// <see cref="NetworkPrecision"/>); the denoiser still takes and returns float32. Reduced precision needs a float32 network.
    /// Returns this prior.
    /// </summary>
    /// <exception cref="InvalidOperationException">A reduced precision on a float64 network.</exception>
    public PreconditionedPrior UsePrecision(NetworkPrecision precision)
    {
        EnsureNotDisposed();
        if (precision != NetworkPrecision.Full && DType != ScalarType.Float32)
            throw new InvalidOperationException($"Reduced precision ({precision.ToConfigString()}) needs a float32 network; this one is {DType}.");
        ApplyPrecision(precision);
        return this;
    }

    private void ApplyPrecision(NetworkPrecision precision)
    {
        var computeType = precision.ComputeType();
        foreach (var module in Network.modules())
            if (module is IReducedPrecisionLayer layer)
                layer.UseComputeType(computeType);
        Precision = precision;
    }

    /// <inheritdoc />
    /// <remarks>Returns a tensor of the network's dtype (<see cref="DType"/>), see the class remarks.</remarks>
    public Tensor Denoise(Tensor x, Tensor sigma)
    {
        EnsureNotDisposed();
        long batch = ValidateInput(x);
        ArgumentNullException.ThrowIfNull(sigma);
        TensorGuard.FloatingPoint(sigma, nameof(sigma));
        TensorGuard.OnDevice(sigma, nameof(sigma), Device);
        long n = sigma.numel();
        bool perSample = sigma.dim() switch
        {
            0 => false,
            1 => true,
            4 => sigma.shape[1] == 1 && sigma.shape[2] == 1 && sigma.shape[3] == 1,
            _ => false,
        };
        if ((sigma.dim() != 0 && !perSample) || (n != 1 && n != batch))
            throw new ArgumentException($"sigma must be a scalar, [1], [B] or [B, 1, 1, 1] tensor with B = {batch}; got {TensorGuard.Format(sigma.shape)}.", nameof(sigma));
        TensorGuard.Finite(sigma, nameof(sigma));
        using (var nonPositive = sigma.le(0).any())
            if (nonPositive.item<bool>())
                throw new ArgumentOutOfRangeException(nameof(sigma), "sigma must be positive (the EDM noise label is ln σ / 4).");

        EvaluationCounter.RecordNetwork(batch);
        using var noGrad = x.requires_grad ? null : no_grad();
        return Network.call(x, sigma);
    }

    /// <inheritdoc />
    public Tensor Denoise(Tensor x, double sigma)
    {
        EnsureNotDisposed();
        ArgumentNullException.ThrowIfNull(x);
        using var s = tensor(sigma, Network.DType, Device);
        return Denoise(x, s);
    }

    /// <summary>Reference <c>round_sigma</c> (identity for EDM/VP/VE).</summary>
    public Tensor RoundSigma(Tensor sigma)
    {
        EnsureNotDisposed();
        return Network.RoundSigma(sigma);
    }

    private long ValidateInput(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        TensorGuard.FloatingPoint(x, nameof(x));
        if (x.is_complex()) throw new ArgumentException($"x must be a real tensor; got {x.dtype}.", nameof(x));
        long batch = TensorGuard.Batched(x, nameof(x), [Channels, Resolution, Resolution]);
        TensorGuard.OnDevice(x, nameof(x), Device);
        TensorGuard.Finite(x, nameof(x));
        return batch;
    }

    private void EnsureNotDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Network.Dispose();
    }
}
