namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>One telescope of an array (ehtim <c>DTARR</c> row): name, geocentric ECEF position and SEFDs.</summary>
/// <param name="Site">Station name (<c>ALMA</c>, <c>APEX</c>, ...).</param>
/// <param name="X">ECEF x in metres.</param>
/// <param name="Y">ECEF y in metres.</param>
/// <param name="Z">ECEF z in metres.</param>
/// <param name="SefdR">System-equivalent flux density of the right-hand feed, Jy.</param>
/// <param name="SefdL">System-equivalent flux density of the left-hand feed, Jy.</param>
public sealed record EhtStation(string Site, double X, double Y, double Z, double SefdR, double SefdL)
{
    /// <summary>ehtim's SEFD sort key <c>sqrt(sefdr² + sefdl²)</c> (<c>Obsdata.reorder_tarr_sefd</c>).</summary>
    public double SefdNorm => Math.Sqrt(SefdR * SefdR + SefdL * SefdL);
}
