using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Algorithms.Eki;

/// <summary>
/// The periodic Gaussian random field that initialises EKI's ensemble (reference <c>algo/eki.py</c> <c>GaussianRF2d</c>,
/// after devzhk/enkg-pytorch): on an <c>s × s</c> grid of a <c>L × L</c> torus, spectral amplitudes
/// <c>√λ_k = s²·σ_g·√(2/L²)·(4π²/L²·|k|² + τ²)^(−α/2)</c> with <c>σ_g = τ^(α−1)</c>, the constant mode and one half of the
/// frequency plane set to zero, and fields <c>u = Im F⁻¹[√λ ⊙ (ξ₁ + iξ₂)]</c> with <c>ξ</c> standard normal.
/// </summary>
/// <remarks>
/// This is a local generator kept in the EKI folder because the reference's exact normalisation (and its half-plane
/// masking) determines the initial ensemble and therefore EKI's result; the general stationary field prior of Core
/// (<c>InverseBench.Core.Priors.GaussianFieldPrior</c>) uses a different parametrisation.
/// </remarks>
internal sealed class GaussianRandomField2d : IDisposable
{
    private readonly Tensor _sqrtEigenvalues;

    /// <summary>Builds the spectral amplitudes.</summary>
    /// <param name="size">Grid size <c>s</c> (square grid).</param>
    /// <param name="length">Domain length <c>L</c>.</param>
    /// <param name="alpha">Smoothness exponent <c>α</c>.</param>
    /// <param name="tau">Inverse length scale <c>τ</c>.</param>
    /// <param name="device">Device of the draws.</param>
    public GaussianRandomField2d(int size, double length, double alpha, double tau, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 2);
        if (!(length > 0) || !double.IsFinite(length)) throw new ArgumentOutOfRangeException(nameof(length), length, "The domain length must be positive.");
        if (!(tau > 0) || !double.IsFinite(tau)) throw new ArgumentOutOfRangeException(nameof(tau), tau, "τ must be positive.");
        if (!double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "α must be finite.");
        TorchRuntime.EnsureInitialized();
        Size = size;
        Device = device ?? CPU;
        double sigma = Math.Pow(tau, 0.5 * (2 * alpha - 2.0));
        double c = 4 * Math.PI * Math.PI / (length * length);
        double norm = Math.Sqrt(2.0 / (length * length));
        var values = new float[size * size];
        for (int i = 0; i < size; i++)
        {
            int k1 = Frequency(i, size);
            for (int j = 0; j < size; j++)
            {
                int k2 = Frequency(j, size);
                bool masked = (i == 0 && j == 0) || (k1 + k2 <= 0 && (k1 + k2 != 0 || k1 <= 0));
                float k1f = k1, k2f = k2;
                // float32 arithmetic as in the reference (the amplitudes are a float32 tensor there).
                float amplitude = (float)(size * size * sigma * norm) * MathF.Pow((float)c * k1f * k1f + (float)c * k2f * k2f + (float)(tau * tau), (float)(-alpha / 2.0));
                values[i * size + j] = masked ? 0f : amplitude;
            }
        }

        _sqrtEigenvalues = tensor(values, [size, size], float32, Device);
    }

    /// <summary>The grid size.</summary>
    public int Size { get; }

    /// <summary>The device of the draws.</summary>
    public Device Device { get; }

    /// <summary>The spectral amplitudes <c>√λ</c>, <c>[s, s]</c> float32.</summary>
    public Tensor SqrtEigenvalues => _sqrtEigenvalues;

    /// <summary>Draws <paramref name="count"/> fields, <c>[count, s, s]</c> float32 (one <c>randn(count, s, s, 2)</c> draw).</summary>
    public Tensor Sample(long count, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using var scope = NewDisposeScope();
        var xi = randn([count, Size, Size, 2], float32, Device, generator: generator);
        var scaled = xi * _sqrtEigenvalues.unsqueeze(-1);
        var field = fft.ifft2(view_as_complex(scaled.contiguous())).imag;
        return scope.MoveToOuter(field.contiguous());
    }

    private static int Frequency(int index, int size) => index < size / 2 ? index : index - size;

    /// <inheritdoc />
    public void Dispose() => _sqrtEigenvalues.Dispose();
}
