using System.Globalization;

namespace InverseBench.Operators.Fwi;

/// <summary>
/// The discretisation of the FWI problem derived from <see cref="FwiOptions"/>, as devito's <c>SeismicModel</c> and
/// <c>AcquisitionGeometry</c> build it for the reference (spec §6.2): the padded grid, the time axis, the Ricker wavelet,
/// the damping profiles, the source/receiver positions and the CFL bound. Arrays are laid out <c>[z, x]</c> (row = depth),
/// like the images; positions are <c>(x, z)</c> in metres.
/// </summary>
public sealed class FwiGeometry
{
    /// <summary>Coefficients of the 4th-order centred second difference, offsets −2..2 (divide by h²).</summary>
    internal static readonly double[] SecondDifference = [-1.0 / 12, 4.0 / 3, -5.0 / 2, 4.0 / 3, -1.0 / 12];

    /// <summary>Builds the geometry of validated options.</summary>
    public FwiGeometry(FwiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Nx = options.Nx;
        Nz = options.Nz;
        SpacingX = options.SpacingX;
        SpacingZ = options.SpacingZ;
        Nbl = options.Nbl;
        FreeSurface = options.FreeSurface;
        Dt = options.Dt;
        F0 = options.F0;
        TopPadding = FreeSurface ? 0 : Nbl;
        PaddedNx = Nx + 2 * Nbl;
        PaddedNz = Nz + Nbl + TopPadding;
        OriginX = -Nbl * SpacingX;
        OriginZ = -TopPadding * SpacingZ;
        // devito TimeAxis(start=0, stop=tn, step=dt): num = ceil((stop − start + step)/step).
        TimeSteps = (int)Math.Ceiling((options.Tn + Dt) / Dt);
        double width = (Nx - 1) * SpacingX;
        Sources = Linspace(SpacingX, width, options.Shots).Select(x => (x, options.SourceDepth)).ToArray();
        ReceiverPositions = Linspace(0, width, options.Receivers).Select(x => (x, options.ReceiverDepth)).ToArray();
    }

    /// <summary>Physical grid points along x.</summary>
    public int Nx { get; }

    /// <summary>Physical grid points along z (depth).</summary>
    public int Nz { get; }

    /// <summary>Grid spacing along x, metres.</summary>
    public double SpacingX { get; }

    /// <summary>Grid spacing along z, metres.</summary>
    public double SpacingZ { get; }

    /// <summary>Absorbing-layer thickness in cells.</summary>
    public int Nbl { get; }

    /// <summary>Whether z = 0 is a free surface (no top absorbing layer).</summary>
    public bool FreeSurface { get; }

    /// <summary>Rows of absorbing layer above the model: 0 with a free surface, else <see cref="Nbl"/>.</summary>
    public int TopPadding { get; }

    /// <summary>Padded grid points along x: <c>Nx + 2·nbl</c> (288 at the full configuration).</summary>
    public int PaddedNx { get; }

    /// <summary>Padded grid points along z: <c>Nz + nbl</c> with a free surface (208), else <c>Nz + 2·nbl</c>.</summary>
    public int PaddedNz { get; }

    /// <summary>x coordinate of padded column 0, metres (<c>−nbl·dx</c>).</summary>
    public double OriginX { get; }

    /// <summary>z coordinate of padded row 0, metres (0 with a free surface).</summary>
    public double OriginZ { get; }

    /// <summary>Time step, ms.</summary>
    public double Dt { get; }

    /// <summary>Ricker peak frequency, kHz.</summary>
    public double F0 { get; }

    /// <summary>Number of time samples <c>nt</c> (1001 at the full configuration); sample n is at <c>t = n·dt</c>.</summary>
    public int TimeSteps { get; }

    /// <summary>Number of shots.</summary>
    public int Shots => Sources.Count;

    /// <summary>Number of receivers.</summary>
    public int Receivers => ReceiverPositions.Count;

    /// <summary>Source positions <c>(x, z)</c> in metres, one per shot: <c>x = linspace(dx, (Nx − 1)·dx, shots)</c>.</summary>
    public IReadOnlyList<(double X, double Z)> Sources { get; }

    /// <summary>Receiver positions <c>(x, z)</c> in metres, shared by every shot: <c>x = linspace(0, (Nx − 1)·dx, receivers)</c>.</summary>
    public IReadOnlyList<(double X, double Z)> ReceiverPositions { get; }

    /// <summary>
    /// Largest velocity (km/s) the explicit scheme propagates stably: the von Neumann bound of leapfrog time stepping with the
    /// 4th-order Laplacian, <c>v_max·dt·√(16/3·(1/dx² + 1/dz²)) ≤ 2</c> (7.75 km/s at dx = 20 m, dz = 10 m, dt = 1 ms). The
    /// damping term only adds dissipation. The reference does not check it (it fixes dt = 1 ms and ignores devito's
    /// <c>critical_dt</c>).
    /// </summary>
    public double MaxStableVelocity => StableVelocity(Dt, SpacingX, SpacingZ);

    /// <summary>The CFL bound <c>2/(dt·√(16/3·(1/dx² + 1/dz²)))</c> (km/s for dt in ms and spacings in m); see <see cref="MaxStableVelocity"/>.</summary>
    public static double StableVelocity(double dt, double spacingX, double spacingZ) =>
        2.0 / (dt * Math.Sqrt(16.0 / 3.0 * (1.0 / (spacingX * spacingX) + 1.0 / (spacingZ * spacingZ))));

    /// <summary>Number of padded grid points <c>PaddedNz·PaddedNx</c>.</summary>
    public long PaddedPoints => (long)PaddedNz * PaddedNx;

    /// <summary>
    /// The Ricker source wavelet at <c>t = n·dt</c>: <c>(1 − 2r²)·exp(−r²)</c>, <c>r = π·f0·(t − 1/f0)</c> (devito
    /// <c>RickerSource</c>, amplitude 1, <c>t0 = 1/f0</c>), length <see cref="TimeSteps"/>, float64.
    /// </summary>
    public double[] Wavelet()
    {
        var w = new double[TimeSteps];
        double t0 = 1.0 / F0;
        for (int n = 0; n < w.Length; n++)
        {
            double r = Math.PI * F0 * (n * Dt - t0);
            w[n] = (1 - 2 * r * r) * Math.Exp(-r * r);
        }

        return w;
    }

    /// <summary>
    /// Damping along x (length <see cref="PaddedNx"/>, per metre·…, devito <c>initialize_damp</c> with <c>abc_type="damp"</c>): 0
    /// inside; in each side layer the cell at distance i from the outer edge holds
    /// <c>c·(p − sin(2πp)/(2π))/dx</c>, <c>p = (nbl − i + 1)/nbl</c>, <c>c = 1.5·ln(1000)/nbl</c>.
    /// </summary>
    public double[] DampingProfileX() => Profile(PaddedNx, Nbl, Nbl, SpacingX);

    /// <summary>Damping along z (length <see cref="PaddedNz"/>): the bottom layer, and a top layer only without a free surface.</summary>
    public double[] DampingProfileZ() => Profile(PaddedNz, TopPadding, Nbl, SpacingZ);

    /// <summary>The 2-D damping field <c>[PaddedNz·PaddedNx]</c> (row-major <c>[z, x]</c>): the sum of the x and z profiles (devito adds them with <c>Inc</c>).</summary>
    public double[] DampingField()
    {
        var px = DampingProfileX();
        var pz = DampingProfileZ();
        var field = new double[PaddedPoints];
        for (int z = 0; z < PaddedNz; z++)
            for (int x = 0; x < PaddedNx; x++) field[(long)z * PaddedNx + x] = pz[z] + px[x];
        return field;
    }

    /// <summary>
    /// Bilinear interpolation taps (devito <c>LinearInterpolator</c>) of points <c>(x, z)</c> in metres: per point the base
    /// node <c>(⌊pz⌋, ⌊px⌋)</c> of the padded grid (<c>p = (coord − origin)/spacing</c>) and 4 taps, ordered
    /// (z0,x0), (z0,x0+1), (z0+1,x0), (z0+1,x0+1), as flat indices <c>z·PaddedNx + x</c> with weights <c>(1−φz or φz)(1−φx or φx)</c>.
    /// </summary>
    public BilinearTaps Taps(IReadOnlyList<(double X, double Z)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var index = new long[points.Count * 4];
        var weight = new double[points.Count * 4];
        var baseIndex = new long[points.Count];
        for (int i = 0; i < points.Count; i++)
        {
            double px = (points[i].X - OriginX) / SpacingX, pz = (points[i].Z - OriginZ) / SpacingZ;
            int ix = (int)Math.Floor(px), iz = (int)Math.Floor(pz);
            double fx = px - ix, fz = pz - iz;
            if (ix < 0 || iz < 0 || ix + 1 >= PaddedNx || iz + 1 >= PaddedNz)
            {
                throw new ArgumentOutOfRangeException(nameof(points),
                    string.Create(CultureInfo.InvariantCulture, $"Point {i} ({points[i].X} m, {points[i].Z} m) lies outside the padded grid."));
            }

            long b = (long)iz * PaddedNx + ix;
            baseIndex[i] = b;
            index[4 * i] = b;
            index[4 * i + 1] = b + 1;
            index[4 * i + 2] = b + PaddedNx;
            index[4 * i + 3] = b + PaddedNx + 1;
            weight[4 * i] = (1 - fz) * (1 - fx);
            weight[4 * i + 1] = (1 - fz) * fx;
            weight[4 * i + 2] = fz * (1 - fx);
            weight[4 * i + 3] = fz * fx;
        }

        return new BilinearTaps(index, weight, baseIndex);
    }

    private double[] Profile(int length, int leftLayer, int rightLayer, double spacing)
    {
        var profile = new double[length];
        double coefficient = 1.5 * Math.Log(1000.0) / Nbl;
        double Value(int i)
        {
            double p = Math.Abs((Nbl - i + 1) / (double)Nbl);
            return coefficient * (p - Math.Sin(2 * Math.PI * p) / (2 * Math.PI)) / spacing;
        }

        for (int i = 0; i < leftLayer; i++) profile[i] += Value(i);
        for (int i = 0; i < rightLayer; i++) profile[length - 1 - i] += Value(i);
        return profile;
    }

    /// <summary>numpy <c>linspace(start, stop, num)</c>: <c>start + i·step</c>, the last value exactly <c>stop</c>.</summary>
    private static double[] Linspace(double start, double stop, int num)
    {
        var values = new double[num];
        if (num == 1)
        {
            values[0] = start;
            return values;
        }

        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) values[i] = start + i * step;
        values[num - 1] = stop;
        return values;
    }
}

/// <summary>Bilinear taps of a set of points on the padded grid (see <see cref="FwiGeometry.Taps"/>).</summary>
/// <param name="Index">Flat padded-grid indices, 4 per point, <c>[4·P]</c>.</param>
/// <param name="Weight">Bilinear weights, 4 per point, summing to 1 per point.</param>
/// <param name="BaseIndex">Flat index of each point's base node (where devito reads <c>m</c> for injection), <c>[P]</c>.</param>
public sealed record BilinearTaps(long[] Index, double[] Weight, long[] BaseIndex);
