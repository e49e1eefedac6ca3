using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Functional;

/// <summary>Analytic coil sensitivity maps for when no measured (ESPIRiT) maps are available.</summary>
public static class CoilMaps
{
    /// <summary>
    /// Smooth synthetic sensitivities of <paramref name="coils"/> receive coils on a ring around the field of view:
    /// <c>S_c(x, y) = exp(−((x − cx)² + (y − cy)²)/0.8)·exp(i(0.7c + 0.5x cos a + 0.5y sin a))</c> with
    /// <c>a = 2πc/C</c>, <c>(cx, cy) = 0.8(cos a, sin a)</c> and <c>x, y ∈ [−1, 1]</c>, normalised so that
    /// <c>Σ_c |S_c|² = 1</c> at every pixel (as ESPIRiT maps are inside the object). A Gaussian fall-off models a surface
    /// coil's Biot–Savart decay; the linear phase models the coil's position. Same formula as the synthetic maps of the
    /// reference fixtures (<c>operators/mri</c>).
    /// </summary>
    /// <param name="coils">Number of coils C (≥ 1).</param>
    /// <param name="height">Image height H.</param>
    /// <param name="width">Image width W.</param>
    /// <param name="device">Device of the result (CPU when null).</param>
    /// <returns><c>[C, H, W]</c> complex128.</returns>
    public static Tensor Analytic(int coils, int height, int width, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(coils, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        using var scope = NewDisposeScope();
        var y = linspace(-1, 1, height, dtype: ScalarType.Float64).unsqueeze(1).expand(height, width);
        var x = linspace(-1, 1, width, dtype: ScalarType.Float64).unsqueeze(0).expand(height, width);
        var maps = new List<Tensor>(coils);
        for (int c = 0; c < coils; c++)
        {
            double a = 2 * Math.PI * c / coils, cx = 0.8 * Math.Cos(a), cy = 0.8 * Math.Sin(a);
            var magnitude = (-((x - cx).square() + (y - cy).square()) / 0.8).exp();
            var phase = 0.7 * c + 0.5 * x * Math.Cos(a) + 0.5 * y * Math.Sin(a);
            maps.Add(polar(magnitude, phase));
        }

        var stacked = stack(maps);
        var norm = stacked.abs().square().sum(0, keepdim: true).sqrt();
        return scope.MoveToOuter((stacked / norm).to(device ?? CPU));
    }
}
