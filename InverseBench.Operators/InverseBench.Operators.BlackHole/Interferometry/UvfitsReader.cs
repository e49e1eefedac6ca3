using System.Numerics;
using InverseBench.Operators.BlackHole.Fits;

namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>
/// Reads a UVFITS observation as ehtim 1.2.10 <c>obsdata.load_uvfits(path)</c> does with its defaults (Stokes-I
/// output, all channels and IFs averaged with inverse-variance weights): the <c>AIPS AN</c> antenna table (names,
/// <c>STABXYZ</c>, <c>NOSTA</c>, <c>SEFD</c> when present), the random-group parameters <c>UU/VV</c> (light-seconds × the
/// AN table's <c>FREQ</c>), <c>BASELINE</c> (256·a1 + a2), the two <c>DATE</c> parameters (Julian date) and
/// <c>INTTIM</c>, and the complex data with their weights. The float32 arithmetic of numpy on float32 columns (u·rf,
/// 1/w, √ and the channel average of ehtim 1.2.10) is reproduced, so u, v, σ and times match ehtim bit for bit.
/// </summary>
public static class UvfitsReader
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is missing.</exception>
    /// <exception cref="FitsFormatException">Not UVFITS, truncated, no <c>AIPS AN</c> table, or an unsupported layout.</exception>
    public static EhtObservation Read(string path)
    {
        var file = FitsFile.Read(path);
        return Read(file);
    }

    /// <summary>Reads an already indexed FITS file.</summary>
    public static EhtObservation Read(FitsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var header = file.Primary.Header;
        var groups = file.ReadRandomGroups();
        var anHdu = file.Find("AIPS AN")
            ?? throw new FitsFormatException(file.Name, "no 'AIPS AN' antenna table: a UVFITS observation needs it for the station names and positions.");
        var an = file.ReadBinaryTable(anHdu);
        var stations = new List<EhtStation>(an.RowCount);
        var numbers = new long[an.RowCount];
        bool hasSefd = an.HasColumn("SEFD");
        for (int i = 0; i < an.RowCount; i++)
        {
            double sefd = hasSefd ? an.GetDouble(i, "SEFD") : 0.0;
            stations.Add(new EhtStation(an.GetString(i, "ANNAME"), an.GetDouble(i, "STABXYZ", 0), an.GetDouble(i, "STABXYZ", 1),
                an.GetDouble(i, "STABXYZ", 2), sefd, sefd));
            numbers[i] = (long)an.GetDouble(i, "NOSTA") - 1;
        }

        double rf = anHdu.Header.GetDouble("FREQ");
        double ra = header.Contains("OBSRA") ? header.GetDouble("OBSRA") * 12.0 / 180.0 : header.GetDouble("CRVAL6") * 12.0 / 180.0;
        double dec = header.Contains("OBSDEC") ? header.GetDouble("OBSDEC") : header.GetDouble("CRVAL7");
        if (ra > 24) ra = ra * 12 / 180.0;
        if (header.GetString("CTYPE4") != "FREQ")
            throw new FitsFormatException(file.Name, $"CTYPE4 = '{header.GetString("CTYPE4")}'; expected 'FREQ' (the UVFITS frequency axis).");
        if (header.GetString("CTYPE3") != "STOKES")
            throw new FitsFormatException(file.Name, $"CTYPE3 = '{header.GetString("CTYPE3")}'; expected 'STOKES' (the UVFITS polarisation axis).");
        double crval3 = header.GetDouble("CRVAL3");
        bool circular = crval3 == -1;
        if (!circular && crval3 != 1)
            throw new FitsFormatException(file.Name, $"CRVAL3 = {crval3}; expected -1 (RR, LL, RL, LR) or 1 (I, Q, U, V).");
        long nchan = header.GetLong("NAXIS4");
        long nif = header.GetString("CTYPE5") == "IF" ? header.GetLong("NAXIS5") : 1;
        double bandwidth = header.GetDouble("CDELT4") * nchan * nif;

        // Array axes after NAXIS1 = 0: NAXIS2 = complex (re, im, weight), NAXIS3 = stokes, NAXIS4 = freq, NAXIS5 = IF, ...
        var axes = groups.ArrayAxes;
        if (axes.Length < 4 || axes[0] != 3)
            throw new FitsFormatException(file.Name, $"random-group arrays have axes [{string.Join(", ", axes)}]; expected NAXIS2 = 3 (re, im, weight), then STOKES, FREQ, IF.");
        long ncorr = axes[1], nfreq = axes[2], nifs = axes[3];
        int iU = FindParameter(groups, file.Name, "UU---SIN", "UU", "UU--");
        int iV = FindParameter(groups, file.Name, "VV---SIN", "VV", "VV--");
        int iBaseline = FindParameter(groups, file.Name, "BASELINE");
        int iDate1 = groups.IndexOf("DATE");
        int iDate2 = groups.IndexOf("DATE", 1);
        if (iDate1 < 0 || iDate2 < 0)
            throw new FitsFormatException(file.Name, "expected two random-group parameters called DATE (Julian day and fraction).");
        int iTint = groups.IndexOf("INTTIM");

        var rows = new List<(double Jd, double Tint, int T1, int T2, double U, double V, Complex Vis, double Sigma)>();
        float rfSingle = (float)rf;
        for (long g = 0; g < groups.GroupCount; g++)
        {
            // Weighted channel/IF average per correlation, in float32 as numpy does on float32 columns.
            var (rr, rrSig, rrOk) = Average(groups, g, 0, ncorr, nfreq, nifs);
            var (ll, llSig, llOk) = ncorr >= 2 ? Average(groups, g, 1, ncorr, nfreq, nifs) : (Complex.Zero, double.NaN, false);
            bool keep = circular ? rrOk || llOk : rrOk;
            if (!keep) continue;
            Complex vis;
            double sigma;
            if (!circular) { vis = rr; sigma = rrSig; }
            else if (rrOk && llOk) { vis = 0.5 * (rr + ll); sigma = 0.5 * Math.Sqrt(rrSig * rrSig + llSig * llSig); }
            else if (rrOk) { vis = rr; sigma = rrSig; }
            else { vis = ll; sigma = llSig; }

            double jd = Scaled(groups, g, iDate1) + Scaled(groups, g, iDate2);
            long baseline = (long)Scaled(groups, g, iBaseline);
            long a1 = baseline / 256, a2 = baseline - a1 * 256;
            int t1 = StationOf(numbers, a1 - 1, file.Name, g), t2 = StationOf(numbers, a2 - 1, file.Name, g);
            double u = ScaledSingle(groups, g, iU) * rfSingle;
            double v = ScaledSingle(groups, g, iV) * rfSingle;
            double tint = iTint >= 0 ? Scaled(groups, g, iTint) : 0.0;
            rows.Add((jd, tint, t1, t2, u, v, vis, sigma));
        }

        if (rows.Count == 0) throw new FitsFormatException(file.Name, "no unflagged visibilities (every weight is ≤ 0 or NaN).");
        int mjd = (int)(rows.Min(r => r.Jd) - 2400000.5);
        var visRows = rows.Select(r => new VisibilityRow((r.Jd - 2400000.5 - mjd) * 24.0, r.Tint, r.T1, r.T2, r.U, r.V, r.Vis, r.Sigma));
        return new EhtObservation(stations, visRows, ra, dec, rf, bandwidth, mjd, header.GetString("OBJECT") ?? string.Empty);
    }

    private static int FindParameter(FitsRandomGroups groups, string file, params string[] names)
    {
        foreach (string name in names)
        {
            int index = groups.IndexOf(name);
            if (index >= 0) return index;
        }

        throw new FitsFormatException(file, $"no random-group parameter {string.Join(" / ", names)} (parameters: {string.Join(", ", groups.ParameterNames)}).");
    }

    private static double Scaled(FitsRandomGroups groups, long g, int index)
    {
        double raw = groups.Raw(g, index);
        double scale = groups.ParameterScale[index], zero = groups.ParameterZero[index];
        // ehtim ignores PZERO of the DATE parameters (ignore_pzero_date=True); astropy applies PSCAL.
        if (groups.ParameterNames[index] == "DATE") zero = 0;
        return scale == 1.0 && zero == 0.0 ? raw : raw * scale + zero;
    }

    // float32 columns stay float32 in numpy when unscaled, so products with python floats round to float32.
    private static float ScaledSingle(FitsRandomGroups groups, long g, int index) => (float)Scaled(groups, g, index);

    private static int StationOf(long[] numbers, long number, string file, long group)
    {
        int index = Array.IndexOf(numbers, number);
        if (index < 0)
            throw new FitsFormatException(file, $"group {group} refers to antenna {number + 1}, which is not in the AIPS AN table (NOSTA {string.Join(", ", numbers.Select(n => n + 1))}).");
        return index;
    }

    private static (Complex Vis, double Sigma, bool Valid) Average(FitsRandomGroups groups, long g, long corr, long ncorr, long nfreq, long nifs)
    {
        // Array layout per group (NAXIS2 fastest): [IF][FREQ][STOKES][complex(re, im, w)]. ehtim 1.2.10 averages the
        // unflagged (w > 0) values: nanmean over channels, then over IFs (complex64), and
        // σ = sqrt(Σ 1/w)/n_valid with 1/w and the square root in float32 and the division in float64.
        long baseIndex = g * groups.ArrayLength;
        float meanRe = 0, meanIm = 0, inverseWeights = 0;
        int validIfs = 0, validValues = 0;
        for (long f = 0; f < nifs; f++)
        {
            float rowRe = 0, rowIm = 0;
            int count = 0;
            for (long c = 0; c < nfreq; c++)
            {
                long at = baseIndex + ((f * nfreq + c) * ncorr + corr) * 3;
                float re = (float)groups.Data[at], im = (float)groups.Data[at + 1], w = (float)groups.Data[at + 2];
                if (float.IsNaN(w) || !(w > 0)) continue;
                rowRe += re;
                rowIm += im;
                inverseWeights += 1f / w;
                count++;
            }

            if (count == 0) continue;
            meanRe += rowRe / count;
            meanIm += rowIm / count;
            validIfs++;
            validValues += count;
        }

        if (validValues == 0) return (Complex.Zero, double.NaN, false);
        double sigma = (double)MathF.Sqrt(inverseWeights) / validValues;
        return (new Complex(meanRe / validIfs, meanIm / validIfs), sigma, true);
    }
}
