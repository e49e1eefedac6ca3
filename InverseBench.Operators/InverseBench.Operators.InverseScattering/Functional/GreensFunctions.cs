using System.Numerics;
using MathNet.Numerics;
using MathNet.Numerics.Integration;
using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Operators.InverseScattering.Functional;

/// <summary>
/// The 2-D Helmholtz Green's functions of the reference's <c>generate_em_functions</c> (complex128 throughout), built from
/// the kernel <c>hank(z) = ¼·i·H₀⁽¹⁾(z) = ¼·(−Y₀(z) + i·J₀(z))</c>. Grid kernels use torch's double-precision
/// <c>special.bessel_j0</c>/<c>bessel_y0</c> (Cephes, like scipy's answer to ~1e-15 relative), so they run on any device;
/// the singular centre cell uses MathNet's AMOS Bessel functions and closed-form radial integrals.
/// </summary>
public static class GreensFunctions
{
    /// <summary>
    /// <c>¼·i·H₀⁽¹⁾(z)</c> elementwise for a real float64 tensor <paramref name="z"/> (&gt; 0); returns complex128.
    /// </summary>
    public static Tensor Hankel(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        using var scope = NewDisposeScope();
        var zz = z.to_type(ScalarType.Float64);
        var j0 = special.bessel_j0(zz);
        var y0 = special.bessel_y0(zz);
        return scope.MoveToOuter(complex(-0.25 * y0, 0.25 * j0));
    }

    /// <summary>
    /// Incident field of every transmitter at every pixel centre, <c>uinc[iy, ix, t] = hank(kb·|p − tx_t|)</c>, shape
    /// <c>[Ny, Nx, T]</c> complex128 (reference <c>uincDom</c>).
    /// </summary>
    public static Tensor IncidentField(InverseScatteringGeometry geometry, Device? device = null) =>
        RingField(geometry, geometry.TransmitterAngles(), 1.0, device);

    /// <summary>
    /// Sensor Green's functions <c>Gs[iy, ix, r] = kb²·hank(kb·|p − rx_r|)</c>, shape <c>[Ny, Nx, R]</c> complex128
    /// (reference <c>sensorGreensFunction</c>).
    /// </summary>
    public static Tensor SensorGreens(InverseScatteringGeometry geometry, Device? device = null) =>
        RingField(geometry, geometry.ReceiverAngles(), geometry.Wavenumber * geometry.Wavenumber, device);

    /// <summary>
    /// The domain Green's function on the doubled grid, <c>[2Ny, 2Nx]</c> complex128 (reference
    /// <c>domainGreensFunction</c>): <c>kb²·hank(kb·r)</c> at offsets <c>(iy − Ny)·dy, (ix − Nx)·dx</c>, with the singular
    /// centre <c>[Ny, Nx]</c> replaced by <see cref="CentreCellAverage"/>·kb². Only the nonlinear (full-wave) model uses it;
    /// the Born forward model does not, so the operator never builds it.
    /// </summary>
    public static Tensor DomainGreens(InverseScatteringGeometry geometry, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var dev = device ?? CPU;
        var xs = arange(-geometry.Nx, geometry.Nx, dtype: ScalarType.Float64, device: dev) * geometry.Dx;
        var ys = arange(-geometry.Ny, geometry.Ny, dtype: ScalarType.Float64, device: dev) * geometry.Dy;
        var dxg = xs.unsqueeze(0);
        var dyg = ys.unsqueeze(1);
        var r = sqrt(dxg * dxg + dyg * dyg);
        var g = Hankel(geometry.Wavenumber * r);
        var centre = CentreCellAverage(geometry);
        var centreValue = complex(full([1], centre.Real, dtype: ScalarType.Float64, device: dev),
            full([1], centre.Imaginary, dtype: ScalarType.Float64, device: dev));
        g = where(r == 0, centreValue, g); // r = 0 only at [Ny, Nx]
        double k2 = geometry.Wavenumber * geometry.Wavenumber;
        return scope.MoveToOuter(g * k2);
    }

    /// <summary>
    /// The reference's treatment of the singular centre cell: <c>(∬|Re hank(kb·r)| + i·∬|Im hank(kb·r)|) / (dx·dy)</c> over
    /// the cell <c>[−dx/2, dx/2]×[−dy/2, dy/2]</c> (absolute values as in the reference; before the factor kb²). The
    /// reference integrates with scipy <c>dblquad</c>; here the radial integrals are exact
    /// (<c>∫₀^R J₀(kr) r dr = R·J₁(kR)/k</c>, <c>∫₀^R Y₀(kr) r dr = (R·Y₁(kR) + 2/(πk))/k</c>, split at the zeros of J₀ and
    /// Y₀ for the absolute values) and the angular integral is Gauss–Legendre between breakpoints, accurate to ~1e-15.
    /// </summary>
    public static Complex CentreCellAverage(InverseScatteringGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        double k = geometry.Wavenumber;
        double hx = geometry.Dx / 2, hy = geometry.Dy / 2;
        double rMax = Math.Sqrt(hx * hx + hy * hy);
        double[] zerosJ0 = Zeros(x => SpecialFunctions.BesselJ(0, x), k * rMax).Select(z => z / k).ToArray();
        double[] zerosY0 = Zeros(x => SpecialFunctions.BesselY(0, x), k * rMax).Select(z => z / k).ToArray();

        // ∫₀^R |f(k r)| r dr from the antiderivative P (P(0) = 0), split at the zeros of f.
        static double AbsRadial(Func<double, double> antiderivative, double[] zeros, double radius)
        {
            double total = 0, previousRadius = 0, previousValue = 0;
            foreach (double z in zeros)
            {
                if (z >= radius) break;
                double v = antiderivative(z);
                total += Math.Abs(v - previousValue);
                previousRadius = z;
                previousValue = v;
            }

            return total + Math.Abs(antiderivative(radius) - previousValue);
        }

        double PJ(double radius) => radius * SpecialFunctions.BesselJ(1, k * radius) / k;
        double PY(double radius) => radius <= 0 ? 0 : (radius * SpecialFunctions.BesselY(1, k * radius) + 2 / (Math.PI * k)) / k;

        double Angular(Func<double, double> radial, double[] zeros)
        {
            double alpha = Math.Atan2(hy, hx);
            // Triangle 1: θ ∈ [0, α], R = hx/cos θ; triangle 2: θ ∈ [α, π/2], R = hy/sin θ.
            var breaks1 = new List<double> { 0, alpha };
            var breaks2 = new List<double> { alpha, Math.PI / 2 };
            foreach (double z in zeros)
            {
                if (z > hx && z < rMax) breaks1.Add(Math.Acos(hx / z));
                if (z > hy && z < rMax) breaks2.Add(Math.Asin(hy / z));
            }

            double sum = 0;
            sum += Piecewise(breaks1, t => AbsRadial(radial, zeros, hx / Math.Cos(t)));
            sum += Piecewise(breaks2, t => AbsRadial(radial, zeros, hy / Math.Sin(t)));
            return 4 * sum;
        }

        static double Piecewise(List<double> breaks, Func<double, double> f)
        {
            breaks.Sort();
            double s = 0;
            for (int i = 0; i + 1 < breaks.Count; i++)
            {
                if (breaks[i + 1] > breaks[i]) s += GaussLegendreRule.Integrate(f, breaks[i], breaks[i + 1], 64);
            }

            return s;
        }

        double area = geometry.Dx * geometry.Dy;
        double re = 0.25 * Angular(PY, zerosY0) / area;
        double im = 0.25 * Angular(PJ, zerosJ0) / area;
        return new Complex(re, im);
    }

    private static Tensor RingField(InverseScatteringGeometry geometry, double[] angles, double factor, Device? device)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        var dev = device ?? CPU;
        var px = tensor(geometry.PixelX(), dtype: ScalarType.Float64, device: dev).reshape(1, geometry.Nx, 1);
        var py = tensor(geometry.PixelY(), dtype: ScalarType.Float64, device: dev).reshape(geometry.Ny, 1, 1);
        var sx = tensor(angles.Select(a => geometry.SensorRadius * Math.Cos(a)).ToArray(), dtype: ScalarType.Float64, device: dev)
            .reshape(1, 1, angles.Length);
        var sy = tensor(angles.Select(a => geometry.SensorRadius * Math.Sin(a)).ToArray(), dtype: ScalarType.Float64, device: dev)
            .reshape(1, 1, angles.Length);
        var ddx = px - sx;
        var ddy = py - sy;
        var distance = sqrt(ddx * ddx + ddy * ddy);
        var field = Hankel(geometry.Wavenumber * distance);
        return scope.MoveToOuter(factor == 1.0 ? field : field * factor);
    }

    /// <summary>Zeros of <paramref name="f"/> on (0, <paramref name="upper"/>), by bracketing and bisection.</summary>
    private static List<double> Zeros(Func<double, double> f, double upper)
    {
        var zeros = new List<double>();
        const double step = 0.25; // zeros of J0/Y0 are ≥ ~π apart
        double a = 1e-6, fa = f(a);
        while (a < upper)
        {
            double b = Math.Min(a + step, upper), fb = f(b);
            if (Math.Sign(fa) != Math.Sign(fb) && fb != 0)
            {
                double lo = a, hi = b, flo = fa;
                for (int i = 0; i < 200 && hi - lo > 1e-16 * hi; i++)
                {
                    double mid = 0.5 * (lo + hi), fm = f(mid);
                    if (Math.Sign(fm) == Math.Sign(flo)) { lo = mid; flo = fm; } else hi = mid;
                }

                zeros.Add(0.5 * (lo + hi));
            }

            a = b;
            fa = fb;
        }

        return zeros;
    }
}
