using static TorchSharp.torch;

namespace InverseBench.Operators.NavierStokes.Functional;

/// <summary>The steady Kolmogorov forcing of the reference problem.</summary>
public static class KolmogorovForcing
{
    /// <summary>
    /// <c>f(x, y) = −4·cos(4y)</c> on the grid <c>t = linspace(0, L, R+1)[:-1]</c> with <c>y</c> varying along the last
    /// (column) index (reference <c>ForwardNavierStokes2d.get_forcing</c>, computed in <paramref name="dtype"/>), <c>[R, R]</c>.
    /// </summary>
    public static Tensor Create(int resolution, double length = 2 * Math.PI, ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resolution, 1);
        using var scope = NewDisposeScope();
        var t = linspace(0, length, resolution + 1, dtype: dtype, device: device ?? CPU).narrow(0, 0, resolution);
        var y = t.view(1, -1).expand(resolution, resolution);
        return scope.MoveToOuter((-4.0 * cos(4.0 * y)).contiguous());
    }
}
