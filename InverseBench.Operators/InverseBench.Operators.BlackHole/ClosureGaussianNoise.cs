using InverseBench.Core.Abstractions;
using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole;

/// <summary>
/// The reference's <c>gaussian</c> black-hole noise (<c>measure_guassian</c>) as a measurement-space model: on a noise-free
/// measurement <c>[B, 1, L, 1]</c> it adds <c>N(0, σ_amp)</c> to the amplitudes, then <c>N(0, σ_cp)</c> to the closure
/// phases, then <c>N(0, σ_logcamp)</c> to the log closure amplitudes (three draws in that order, float32, from the passed
/// generator), σ read from the measurement itself; σ parts and flux are unchanged.
/// </summary>
public sealed class ClosureGaussianNoise : INoiseModel
{
    private readonly long _amplitudes;
    private readonly long _phases;
    private readonly long _logAmplitudes;

    /// <summary>Creates the model for measurements with the given part sizes.</summary>
    /// <param name="sigma">The reference's <c>sigma_noise</c> (reported only).</param>
    /// <param name="amplitudes">Number of visibilities M.</param>
    /// <param name="phases">Number of closure phases.</param>
    /// <param name="logAmplitudes">Number of log closure amplitudes.</param>
    public ClosureGaussianNoise(double sigma, long amplitudes, long phases, long logAmplitudes)
    {
        Sigma = sigma;
        _amplitudes = amplitudes;
        _phases = phases;
        _logAmplitudes = logAmplitudes;
    }

    /// <summary>The reference's <c>sigma_noise</c> (0 in blackhole.yaml); the actual noise levels are the measurement's σ parts.</summary>
    public double Sigma { get; }

    /// <inheritdoc />
    public Tensor Apply(Tensor measurement, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        ArgumentNullException.ThrowIfNull(generator);
        long length = 2 * (_amplitudes + _phases + _logAmplitudes) + 1;
        if (measurement.dim() != 4 || measurement.shape[1] != 1 || measurement.shape[2] != length || measurement.shape[3] != 1)
            throw new ArgumentException($"measurement must be [B, 1, {length}, 1]; got [{string.Join(", ", measurement.shape)}].", nameof(measurement));
        using var scope = NewDisposeScope();
        long b = measurement.shape[0];
        var y = measurement.to_type(ScalarType.Float64);
        long at = 0;
        var pieces = new List<Tensor>();
        foreach (long n in new[] { _amplitudes, _phases, _logAmplitudes })
        {
            var value = y.narrow(2, at, n);
            var sigma = y.narrow(2, at + n, n);
            var draw = randn([b, 1, n, 1], ScalarType.Float32, measurement.device, generator: generator);
            pieces.Add(value + draw * sigma);
            pieces.Add(sigma);
            at += 2 * n;
        }

        pieces.Add(y.narrow(2, at, 1));
        return scope.MoveToOuter(cat(pieces, 2).to_type(ScalarType.Float32));
    }
}
