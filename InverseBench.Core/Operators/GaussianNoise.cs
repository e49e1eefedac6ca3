using InverseBench.Core.Abstractions;
using InverseBench.Core.Tensors;
using static TorchSharp.torch;

namespace InverseBench.Core.Operators;

/// <summary>
/// Additive white Gaussian noise <c>σ·ε</c> (reference <c>sigma_noise * randn_like</c>). For complex measurements the real
/// and imaginary parts each have standard deviation <c>σ/√2</c> (total variance σ²), as <c>torch.randn_like</c> does.
/// </summary>
/// <remarks>The noise is drawn on the generator's device and moved to the measurement's, so a CPU generator serves a CUDA
/// measurement (and gives the same draw on either).</remarks>
public sealed class GaussianNoise : INoiseModel
{
    /// <summary>Creates the noise model.</summary>
    /// <exception cref="ArgumentOutOfRangeException">σ is negative or not finite.</exception>
    public GaussianNoise(double sigma)
    {
        if (!double.IsFinite(sigma) || sigma < 0)
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The noise standard deviation must be finite and ≥ 0.");
        Sigma = sigma;
    }

    /// <summary>No noise.</summary>
    public static GaussianNoise None { get; } = new(0);

    /// <inheritdoc />
    public double Sigma { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor measurement, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(generator);
        if (Sigma == 0) return measurement.clone();
        using var scope = NewDisposeScope();
        var noise = randn(measurement.shape, dtype: measurement.dtype, device: generator.device, generator: generator);
        if (!TensorGuard.SameDevice(generator.device, measurement.device)) noise = noise.to(measurement.device);
        return scope.MoveToOuter(measurement + Sigma * noise);
    }
}
