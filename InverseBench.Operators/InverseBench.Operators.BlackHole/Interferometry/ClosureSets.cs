namespace InverseBench.Operators.BlackHole.Interferometry;

/// <summary>
/// The minimal closure sets of an observation and the reference's index tables (<c>get_index_matrix</c>), built as ehtim
/// 1.2.10 <c>Obsdata.bispectra(count='min')</c> / <c>c_amplitudes(count='min')</c> select them: per time stamp, the sites
/// present ordered as in <see cref="EhtObservation.Stations"/>, reference = first site;
/// triangles <c>(ref, s_a, s_b)</c> for a &lt; b (<c>obs_helpers.tri_minimal_set</c>) kept when all three baselines exist;
/// quadrangles <c>(ref, s_i, s_j, s_k)</c> for i = 3..n−1, j = 1..i−1, k = 1 if j = i−1 else j+1
/// (<c>quad_minimal_set</c>) kept when (12), (34), (23) and (14) exist.
/// </summary>
public sealed class ClosureSets
{
    private ClosureSets(long[,] cpIndex, long[,] cpConj, long[,] cpStations, double[] cpTime,
        long[,] campIndex, long[,] campConj, long[,] campStations, double[] campTime)
    {
        PhaseIndex = cpIndex;
        PhaseConjugate = cpConj;
        PhaseStations = cpStations;
        PhaseTimes = cpTime;
        AmplitudeIndex = campIndex;
        AmplitudeConjugate = campConj;
        AmplitudeStations = campStations;
        AmplitudeTimes = campTime;
    }

    /// <summary><c>[Ncp, 3]</c>: rows of the baselines (t1,t2), (t2,t3), (t3,t1) of each triangle (reference <c>cp_index</c>).</summary>
    public long[,] PhaseIndex { get; }

    /// <summary><c>[Ncp, 3]</c>: 1 where the baseline is stored reversed (use the conjugate visibility).</summary>
    public long[,] PhaseConjugate { get; }

    /// <summary><c>[Ncp, 3]</c>: station indices (t1, t2, t3).</summary>
    public long[,] PhaseStations { get; }

    /// <summary>Time (hours) of each triangle.</summary>
    public double[] PhaseTimes { get; }

    /// <summary><c>[Ncamp, 4]</c>: rows of (t1,t2), (t3,t4), (t1,t4), (t2,t3) (reference <c>camp_index</c>); logcamp = log|V12| + log|V34| − log|V14| − log|V23|.</summary>
    public long[,] AmplitudeIndex { get; }

    /// <summary><c>[Ncamp, 4]</c> conjugation flags.</summary>
    public long[,] AmplitudeConjugate { get; }

    /// <summary><c>[Ncamp, 4]</c>: station indices (t1, t2, t3, t4).</summary>
    public long[,] AmplitudeStations { get; }

    /// <summary>Time (hours) of each quadrangle.</summary>
    public double[] AmplitudeTimes { get; }

    /// <summary>Number of closure phases.</summary>
    public int PhaseCount => PhaseTimes.Length;

    /// <summary>Number of log closure amplitudes.</summary>
    public int AmplitudeCount => AmplitudeTimes.Length;

    /// <summary>Builds the minimal closure sets of <paramref name="observation"/>.</summary>
    public static ClosureSets Build(EhtObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var cp = new List<(double Time, int[] Sites, long[] Index, long[] Conj)>();
        var ca = new List<(double Time, int[] Sites, long[] Index, long[] Conj)>();
        var rows = observation.Rows;
        int start = 0;
        while (start < rows.Count)
        {
            int end = start;
            double time = rows[start].Time;
            while (end < rows.Count && rows[end].Time == time) end++;
            var baselines = new Dictionary<(int, int), int>();
            for (int i = start; i < end; i++) baselines[(rows[i].Station1, rows[i].Station2)] = i;
            var sites = baselines.Keys.SelectMany(k => new[] { k.Item1, k.Item2 }).Distinct().Order().ToArray();

            bool Find(int a, int b, out long row, out long conj)
            {
                if (baselines.TryGetValue((a, b), out int r)) { row = r; conj = 0; return true; }
                if (baselines.TryGetValue((b, a), out r)) { row = r; conj = 1; return true; }
                row = -1;
                conj = 0;
                return false;
            }

            int reference = sites[0];
            for (int a = 1; a < sites.Length; a++)
            {
                for (int b = a + 1; b < sites.Length; b++)
                {
                    int s1 = reference, s2 = sites[a], s3 = sites[b];
                    if (Find(s1, s2, out long r12, out long c12) && Find(s2, s3, out long r23, out long c23) && Find(s3, s1, out long r31, out long c31))
                        cp.Add((time, [s1, s2, s3], [r12, r23, r31], [c12, c23, c31]));
                }
            }

            for (int i = 3; i < sites.Length; i++)
            {
                for (int j = 1; j < i; j++)
                {
                    int k = j == i - 1 ? 1 : j + 1;
                    int q0 = reference, q1 = sites[i], q2 = sites[j], q3 = sites[k];
                    if (Find(q0, q1, out long r01, out long c01) && Find(q2, q3, out long r23, out long c23)
                        && Find(q1, q2, out long r12, out long c12) && Find(q0, q3, out long r03, out long c03))
                        ca.Add((time, [q0, q1, q2, q3], [r01, r23, r03, r12], [c01, c23, c03, c12]));
                }
            }

            start = end;
        }

        return new ClosureSets(
            ToMatrix(cp, 3, e => e.Index), ToMatrix(cp, 3, e => e.Conj), ToMatrix(cp, 3, e => e.Sites.Select(s => (long)s).ToArray()), cp.Select(e => e.Time).ToArray(),
            ToMatrix(ca, 4, e => e.Index), ToMatrix(ca, 4, e => e.Conj), ToMatrix(ca, 4, e => e.Sites.Select(s => (long)s).ToArray()), ca.Select(e => e.Time).ToArray());
    }

    private static long[,] ToMatrix<T>(List<T> items, int width, Func<T, long[]> select)
    {
        var matrix = new long[items.Count, width];
        for (int i = 0; i < items.Count; i++)
        {
            var values = select(items[i]);
            for (int j = 0; j < width; j++) matrix[i, j] = values[j];
        }

        return matrix;
    }
}
