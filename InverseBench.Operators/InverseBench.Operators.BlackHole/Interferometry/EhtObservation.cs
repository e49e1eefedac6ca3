using System.Numerics;

namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>One Stokes-I visibility row (ehtim <c>DTPOL_STOKES</c>, the fields the benchmark uses).</summary>
/// <param name="Time">UTC time in hours since 0h of <see cref="EhtObservation.Mjd"/>.</param>
/// <param name="IntegrationTime">Integration time in seconds (<c>tint</c>).</param>
/// <param name="Station1">Index of the first station into <see cref="EhtObservation.Stations"/>.</param>
/// <param name="Station2">Index of the second station.</param>
/// <param name="U">u in wavelengths.</param>
/// <param name="V">v in wavelengths.</param>
/// <param name="Visibility">Stokes-I visibility in Jy.</param>
/// <param name="Sigma">Thermal noise standard deviation in Jy.</param>
public readonly record struct VisibilityRow(double Time, double IntegrationTime, int Station1, int Station2, double U, double V,
    Complex Visibility, double Sigma);

/// <summary>
/// A VLBI observation in ehtim's canonical form (the <c>Obsdata</c> constructor): stations sorted by SEFD (stable, when
/// any SEFD is non-zero), each baseline stored once per time with station 1 before station 2 in that order (u, v negated and
/// the visibility conjugated when swapped), rows sorted by time, then station-1 name, integration time and station-2 name
/// (ordinal), as numpy's structured sort on <c>order=['time', 't1']</c> does.
/// </summary>
public sealed class EhtObservation
{
    private readonly VisibilityRow[] _rows;

    /// <summary>Builds the canonical observation from rows in any order.</summary>
    /// <param name="stations">The array table (any order; it is SEFD-sorted here as ehtim does).</param>
    /// <param name="rows">Visibility rows whose station indices refer to <paramref name="stations"/>.</param>
    /// <param name="rightAscensionHours">Source right ascension, hours.</param>
    /// <param name="declinationDegrees">Source declination, degrees.</param>
    /// <param name="frequency">Observing frequency, Hz.</param>
    /// <param name="bandwidth">Bandwidth, Hz.</param>
    /// <param name="mjd">Integer MJD of the observation day.</param>
    /// <param name="source">Source name.</param>
    public EhtObservation(IReadOnlyList<EhtStation> stations, IEnumerable<VisibilityRow> rows, double rightAscensionHours,
        double declinationDegrees, double frequency, double bandwidth, int mjd, string source = "")
    {
        ArgumentNullException.ThrowIfNull(stations);
        ArgumentNullException.ThrowIfNull(rows);
        if (stations.Count < 2) throw new ArgumentException($"An observation needs at least 2 stations; got {stations.Count}.", nameof(stations));
        if (stations.Select(s => s.Site).Distinct(StringComparer.Ordinal).Count() != stations.Count)
            throw new ArgumentException("Station names must be unique.", nameof(stations));
        var input = rows.ToArray();
        if (input.Length == 0) throw new ArgumentException("An observation needs at least one visibility row.", nameof(rows));
        foreach (var r in input)
        {
            if ((uint)r.Station1 >= stations.Count || (uint)r.Station2 >= stations.Count || r.Station1 == r.Station2)
                throw new ArgumentException($"Row at time {r.Time} h has invalid station indices ({r.Station1}, {r.Station2}) for {stations.Count} stations.", nameof(rows));
        }

        // Obsdata.__init__: reorder_tarr_sefd when any SEFD is non-zero (Python's sorted is stable).
        int[] order = Enumerable.Range(0, stations.Count).ToArray();
        if (stations.Any(s => s.SefdR != 0 || s.SefdL != 0))
            order = order.OrderBy(i => stations[i].SefdNorm).ToArray();
        var rank = new int[stations.Count];
        for (int k = 0; k < order.Length; k++) rank[order[k]] = k;
        Stations = order.Select(i => stations[i]).ToArray();

        // reorder_baselines: per run of equal time, drop repeated baselines, orient t1 before t2 in station order.
        var canonical = new List<VisibilityRow>(input.Length);
        int start = 0;
        while (start < input.Length)
        {
            int end = start;
            while (end < input.Length && input[end].Time == input[start].Time) end++;
            var seen = new HashSet<(int, int)>();
            for (int i = start; i < end; i++)
            {
                var r = input[i] with { Station1 = rank[input[i].Station1], Station2 = rank[input[i].Station2] };
                var key = (Math.Min(r.Station1, r.Station2), Math.Max(r.Station1, r.Station2));
                if (!seen.Add(key)) continue;
                if (r.Station2 < r.Station1)
                    r = r with { Station1 = r.Station2, Station2 = r.Station1, U = -r.U, V = -r.V, Visibility = Complex.Conjugate(r.Visibility) };
                canonical.Add(r);
            }

            start = end;
        }

        var names = Stations.Select(s => s.Site).ToArray();
        _rows = canonical
            .OrderBy(r => r.Time)
            .ThenBy(r => names[r.Station1], StringComparer.Ordinal)
            .ThenBy(r => r.IntegrationTime)
            .ThenBy(r => names[r.Station2], StringComparer.Ordinal)
            .ToArray();
        RightAscensionHours = rightAscensionHours;
        DeclinationDegrees = declinationDegrees;
        Frequency = frequency;
        Bandwidth = bandwidth;
        Mjd = mjd;
        Source = source;
    }

    /// <summary>The array table in ehtim's order (SEFD-sorted); this order picks the closure reference station.</summary>
    public IReadOnlyList<EhtStation> Stations { get; }

    /// <summary>The rows in canonical order.</summary>
    public IReadOnlyList<VisibilityRow> Rows => _rows;

    /// <summary>Number of visibility rows.</summary>
    public int Count => _rows.Length;

    /// <summary>Source right ascension, hours.</summary>
    public double RightAscensionHours { get; }

    /// <summary>Source declination, degrees.</summary>
    public double DeclinationDegrees { get; }

    /// <summary>Observing frequency, Hz.</summary>
    public double Frequency { get; }

    /// <summary>Bandwidth, Hz.</summary>
    public double Bandwidth { get; }

    /// <summary>Integer MJD of the observation day.</summary>
    public int Mjd { get; }

    /// <summary>Source name.</summary>
    public string Source { get; }

    /// <summary>The distinct times in ascending order (hours).</summary>
    public double[] Times() => _rows.Select(r => r.Time).Distinct().Order().ToArray();

    /// <summary>Index of a station by name, or −1.</summary>
    public int StationIndex(string site)
    {
        for (int i = 0; i < Stations.Count; i++)
        {
            if (Stations[i].Site == site) return i;
        }

        return -1;
    }

    /// <summary>
    /// The reference's <c>observation_time_ratio</c> subset (<c>process_obs</c>): keeps the rows whose time is among the first
    /// <c>int(n_times·ratio)</c> sorted unique times, in row order.
    /// </summary>
    /// <param name="ratio">Fraction of time stamps to keep, in (0, 1].</param>
    public EhtObservation SubsetByTimeRatio(double ratio)
    {
        if (!(ratio > 0 && ratio <= 1)) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "observation_time_ratio must be in (0, 1].");
        var times = Times();
        int keep = (int)(times.Length * ratio);
        if (keep == times.Length) return this;
        if (keep == 0) throw new ArgumentOutOfRangeException(nameof(ratio), ratio, $"observation_time_ratio {ratio} keeps none of the {times.Length} time stamps.");
        var kept = new HashSet<double>(times.Take(keep));
        return new EhtObservation(Stations, _rows.Where(r => kept.Contains(r.Time)), RightAscensionHours, DeclinationDegrees, Frequency, Bandwidth, Mjd, Source);
    }
}
