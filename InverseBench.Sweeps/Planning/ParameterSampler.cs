namespace InverseBench.Sweeps.Planning;

/// <summary>
/// Draws parameter values from their sweep distributions with a caller-owned, seeded <see cref="Random"/> (a seeded
/// <see cref="Random"/> gives the same sequence on every platform and .NET version, so plans are reproducible).
/// </summary>
public static class ParameterSampler
{
    /// <summary>One draw of <paramref name="parameter"/>: long for integer distributions, double for real ones, the listed value for categorical ones.</summary>
    public static object Draw(SweepParameter parameter, Random random)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(random);
        return parameter.Distribution switch
        {
            ParameterDistribution.Constant => parameter.Values[0],
            ParameterDistribution.Categorical => parameter.Values[random.Next(parameter.Values.Count)],
            ParameterDistribution.IntUniform => random.NextInt64((long)parameter.Min, (long)parameter.Max + 1),
            _ => FromLatent(parameter, LatentDraw(parameter, random)),
        };
    }

    /// <summary>
    /// The latent (search-space) coordinate of a real distribution: the value itself for uniform/normal, its natural log for
    /// the log distributions.
    /// </summary>
    public static double ToLatent(SweepParameter p, double value) => p.Distribution switch
    {
        ParameterDistribution.LogUniformValues or ParameterDistribution.QLogUniformValues or ParameterDistribution.LogUniform or ParameterDistribution.LogNormal
            => Math.Log(Math.Max(value, double.Epsilon)),
        _ => value,
    };

    /// <summary>The bounds of the latent coordinate (normal distributions: mu ± 5 sigma).</summary>
    public static (double Low, double High) LatentBounds(SweepParameter p) => p.Distribution switch
    {
        ParameterDistribution.LogUniformValues or ParameterDistribution.QLogUniformValues => (Math.Log(p.Min), Math.Log(p.Max)),
        ParameterDistribution.Normal or ParameterDistribution.LogNormal => (p.Mu - 5 * p.Sigma, p.Mu + 5 * p.Sigma),
        _ => (p.Min, p.Max),
    };

    /// <summary>The value of a latent coordinate: exponentiated for log distributions, quantised for <c>q_</c> ones, rounded for integers.</summary>
    public static object FromLatent(SweepParameter p, double latent)
    {
        var (low, high) = LatentBounds(p);
        latent = Math.Clamp(latent, low, high);
        switch (p.Distribution)
        {
            case ParameterDistribution.IntUniform:
                return (long)Math.Round(latent, MidpointRounding.ToEven);
            case ParameterDistribution.Uniform or ParameterDistribution.Normal:
                return latent;
            case ParameterDistribution.LogUniformValues or ParameterDistribution.LogUniform or ParameterDistribution.LogNormal:
                return Math.Exp(latent);
            case ParameterDistribution.QUniform:
                return Quantise(latent, p.Q);
            case ParameterDistribution.QLogUniformValues:
                return Quantise(Math.Exp(latent), p.Q);
            default:
                throw new InvalidOperationException($"Parameter '{p.Key}' ({SweepFile.DistributionName(p.Distribution)}) has no latent coordinate.");
        }
    }

    private static double LatentDraw(SweepParameter p, Random random)
    {
        if (p.Distribution is ParameterDistribution.Normal or ParameterDistribution.LogNormal) return p.Mu + p.Sigma * StandardNormal(random);
        var (low, high) = LatentBounds(p);
        return low + (high - low) * random.NextDouble();
    }

    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double StandardNormal(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static double Quantise(double value, double q)
    {
        double r = Math.Round(value / q, MidpointRounding.ToEven) * q;
        return q == Math.Floor(q) ? Math.Round(r) : r;
    }
}
