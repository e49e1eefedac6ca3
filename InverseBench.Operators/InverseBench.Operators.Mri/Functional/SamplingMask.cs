using System.Globalization;

namespace InverseBench.Operators.Mri.Functional;

/// <summary>
/// The 1-D phase-encode sampling masks of the reference's <c>MultiCoilMRI.get_mask</c>
/// (<c>inverse_problems/multi_coil_mri.py</c>): a centred block of auto-calibration (ACS) lines plus lines chosen at
/// random (legacy numpy generator, <see cref="LegacyMersenneTwister"/>) or equispaced among the rest.
/// </summary>
public static class SamplingMask
{
    /// <summary>
    /// The ACS line count the reference's constructor uses: <c>floor(0.08·total)</c> when <c>1 &lt; R ≤ 6</c>, else
    /// <c>floor(0.04·total)</c> (320 lines: 25 at R = 4, 12 at R = 8).
    /// </summary>
    /// <param name="totalLines">Number of phase-encode lines.</param>
    /// <param name="acceleration">Acceleration factor R.</param>
    public static int AutoCalibrationLines(int totalLines, double acceleration) =>
        (int)Math.Floor((acceleration > 1 && acceleration <= 6 ? 0.08 : 0.04) * totalLines);

    /// <summary>
    /// <c>get_mask(acs_lines, total_lines, R, pattern, seed)</c> as 0/1 values (the reference returns float64 0/1).
    /// </summary>
    /// <param name="acsLines">Size of the centred ACS block.</param>
    /// <param name="totalLines">Number of phase-encode lines.</param>
    /// <param name="acceleration">Acceleration factor R: <c>floor(total/R)</c> lines are sampled in all.</param>
    /// <param name="pattern">Random or equispaced outer lines.</param>
    /// <param name="seed">Seed of <c>np.random.seed</c> (random pattern only; the reference seeds for both).</param>
    /// <returns>One flag per line, true where sampled.</returns>
    public static bool[] Create(int acsLines, int totalLines, double acceleration, MaskPattern pattern, uint seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalLines, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(acsLines);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(acsLines, totalLines);
        if (!(acceleration >= 1) || !double.IsFinite(acceleration))
            throw new ArgumentOutOfRangeException(nameof(acceleration), acceleration, "The acceleration factor R must be finite and ≥ 1.");
        var rng = new LegacyMersenneTwister(seed);
        int sampled = (int)Math.Floor(totalLines / acceleration);
        int centreStart = (totalLines - acsLines) / 2, centreEnd = (totalLines + acsLines) / 2;
        var mask = new bool[totalLines];
        var outer = new List<long>(totalLines);
        for (int i = 0; i < totalLines; i++)
        {
            if (i >= centreStart && i < centreEnd) mask[i] = true;
            else outer.Add(i);
        }

        switch (pattern)
        {
            case MaskPattern.Random:
            {
                int extra = sampled - acsLines;
                if (extra < 0 || extra > outer.Count)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"A random mask of {totalLines} lines at R = {acceleration} samples {sampled} lines, which cannot hold {acsLines} ACS lines plus {extra} of the {outer.Count} outer lines."));
                }

                // np.random.choice(outer, extra, replace=False) == outer[permutation(len(outer))[:extra]]
                var permutation = rng.Permutation(outer.Count);
                for (int i = 0; i < extra; i++) mask[outer[(int)permutation[i]]] = true;
                break;
            }

            case MaskPattern.Equispaced:
            {
                int step = (int)acceleration;
                for (int i = 0; i < outer.Count; i += step) mask[outer[i]] = true;
                break;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(pattern), pattern, "Unknown mask pattern.");
        }

        return mask;
    }

    /// <summary>The reference constructor's mask: <see cref="AutoCalibrationLines"/> ACS lines, then <see cref="Create"/>.</summary>
    /// <param name="totalLines">Number of phase-encode lines.</param>
    /// <param name="acceleration">Acceleration factor R.</param>
    /// <param name="pattern">Random or equispaced.</param>
    /// <param name="seed">The <c>mask_seed</c>.</param>
    public static bool[] ForAcceleration(int totalLines, double acceleration, MaskPattern pattern, uint seed) =>
        Create(AutoCalibrationLines(totalLines, acceleration), totalLines, acceleration, pattern, seed);
}
