using System.Globalization;

namespace InverseBench.Sweeps.Planning;

/// <summary>A finished trial as the Bayesian suggester sees it: its swept parameter values (override text) and its metric value.</summary>
/// <param name="Parameters">Key → value as written in the trial's override.</param>
/// <param name="Value">The sweep metric (aggregate mean over the trial's test samples).</param>
public sealed record ObservedTrial(IReadOnlyDictionary<string, string> Parameters, double Value);

/// <summary>Suggests the next trials of a <see cref="SweepMethod.Bayes"/> sweep from the finished ones.</summary>
public interface IBayesSuggester
{
    /// <summary><paramref name="count"/> parameter assignments (key → value), reproducible from <paramref name="seed"/> and <paramref name="history"/>.</summary>
    IReadOnlyList<IReadOnlyDictionary<string, object>> Suggest(SweepDefinition sweep, IReadOnlyList<ObservedTrial> history, int count, long seed);
}

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al., NeurIPS 2011, as in Hyperopt/Optuna): no .NET optimiser library is served
/// on NuGet here, so this is a small documented implementation. With fewer than <see cref="StartupTrials"/> finished trials it
/// draws from the priors (like a random sweep). Otherwise, per parameter independently: the finished trials are split into the
/// best fraction <see cref="Gamma"/> (by the sweep's goal) and the rest; each part becomes a Parzen density in the latent
/// coordinate (log for log distributions) — truncated Gaussians at the observations (bandwidth by Scott's rule over their spread, within [(high − low)/50, high − low]) plus
/// one uniform prior component — or, for categorical values, smoothed frequencies; <see cref="Candidates"/> values are drawn
/// from the good density and the one maximising good/rest density is taken. Several suggestions per call use a "constant
/// liar": each is added to the rest before the next one, so a batch spreads out. History is sorted before use, so the result
/// depends only on the seed and the set of finished trials, not on the store's row order.
/// </summary>
public sealed class TpeSuggester : IBayesSuggester
{
    /// <summary>Finished trials needed before the model is used (default 5).</summary>
    public int StartupTrials { get; init; } = 5;

    /// <summary>Fraction of finished trials counted as good (default 0.25).</summary>
    public double Gamma { get; init; } = 0.25;

    /// <summary>Candidates drawn from the good density per parameter (default 24).</summary>
    public int Candidates { get; init; } = 24;

    /// <inheritdoc />
    public IReadOnlyList<IReadOnlyDictionary<string, object>> Suggest(SweepDefinition sweep, IReadOnlyList<ObservedTrial> history, int count, long seed)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var finished = history.Where(h => double.IsFinite(h.Value))
            .OrderBy(h => h.Value).ThenBy(h => Key(h.Parameters), StringComparer.Ordinal).ToList();
        if (sweep.Metric.Goal == MetricGoal.Maximize) finished.Reverse();
        var random = new Random(unchecked((int)(seed * 1_000_003 + finished.Count * 7919 + 17)));
        var result = new List<IReadOnlyDictionary<string, object>>();
        if (finished.Count < StartupTrials)
        {
            for (int i = 0; i < count; i++) result.Add(sweep.Parameters.ToDictionary(p => p.Key, p => ParameterSampler.Draw(p, random)));
            return result;
        }

        int nGood = Math.Max(1, (int)Math.Ceiling(Gamma * finished.Count));
        var good = finished.Take(nGood).ToList();
        var rest = finished.Skip(nGood).Select(h => h.Parameters).ToList();
        for (int i = 0; i < count; i++)
        {
            var suggestion = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var p in sweep.Parameters)
                suggestion[p.Key] = SuggestOne(p, good.Select(g => g.Parameters).ToList(), rest, random);
            result.Add(suggestion);
            rest.Add(suggestion.ToDictionary(kv => kv.Key, kv => TrialHash.Format(kv.Value))); // constant liar
        }

        return result;
    }

    private object SuggestOne(SweepParameter p, List<IReadOnlyDictionary<string, string>> good, List<IReadOnlyDictionary<string, string>> rest, Random random)
    {
        if (p.Distribution == ParameterDistribution.Constant) return p.Values[0];
        if (p.Distribution == ParameterDistribution.Categorical)
        {
            var labels = p.Values.Select(TrialHash.Format).ToArray();
            double[] lw = Frequencies(labels, good, p.Key);
            double[] gw = Frequencies(labels, rest, p.Key);
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (int c = 0; c < Candidates; c++)
            {
                int k = Pick(lw, random);
                double score = Math.Log(lw[k]) - Math.Log(gw[k]);
                if (score > bestScore) (best, bestScore) = (k, score);
            }

            return p.Values[best];
        }

        var (low, high) = ParameterSampler.LatentBounds(p);
        double[] l = Latents(p, good);
        double[] g = Latents(p, rest);
        double bestX = double.NaN, bestS = double.NegativeInfinity;
        for (int c = 0; c < Candidates; c++)
        {
            double x = SampleParzen(l, low, high, random);
            double s = LogParzen(x, l, low, high) - LogParzen(x, g, low, high);
            if (s > bestS) (bestX, bestS) = (x, s);
        }

        return ParameterSampler.FromLatent(p, bestX);
    }

    private static double[] Frequencies(string[] labels, List<IReadOnlyDictionary<string, string>> trials, string key)
    {
        var w = labels.Select(_ => 1.0).ToArray();
        foreach (var t in trials)
        {
            int k = t.TryGetValue(key, out var v) ? Array.IndexOf(labels, v) : -1;
            if (k >= 0) w[k] += 1;
        }

        double sum = w.Sum();
        return w.Select(x => x / sum).ToArray();
    }

    private static int Pick(double[] weights, Random random)
    {
        double u = random.NextDouble(), acc = 0;
        for (int k = 0; k < weights.Length; k++)
        {
            acc += weights[k];
            if (u < acc) return k;
        }

        return weights.Length - 1;
    }

    private static double[] Latents(SweepParameter p, List<IReadOnlyDictionary<string, string>> trials) =>
        trials.Select(t => t.TryGetValue(p.Key, out var v) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? ParameterSampler.ToLatent(p, d) : double.NaN)
            .Where(double.IsFinite).ToArray();

    /// <summary>
    /// Scott's rule, 1.06·σ·n^(−1/5) over the points' spread σ, kept within [(high − low)/50, high − low]; one point gets the
    /// whole range. (A bandwidth from the range alone is so wide for a handful of points that the good/rest ratio is decided
    /// by the truncation at the bounds, and TPE proposes the edge farthest from the rest.)
    /// </summary>
    private static double Bandwidth(double[] points, double low, double high)
    {
        double range = Math.Max(high - low, 1e-12);
        if (points.Length < 2) return range;
        double mean = points.Average();
        double sd = Math.Sqrt(points.Sum(x => (x - mean) * (x - mean)) / (points.Length - 1));
        return Math.Clamp(1.06 * sd * Math.Pow(points.Length, -0.2), range / 50, range);
    }

    private static double SampleParzen(double[] points, double low, double high, Random random)
    {
        int component = random.Next(points.Length + 1);
        if (component == points.Length || high <= low) return low + (high - low) * random.NextDouble();
        double h = Bandwidth(points, low, high);
        for (int attempt = 0; attempt < 100; attempt++)
        {
            double x = points[component] + h * ParameterSampler.StandardNormal(random);
            if (x >= low && x <= high) return x;
        }

        return Math.Clamp(points[component], low, high);
    }

    private static double LogParzen(double x, double[] points, double low, double high)
    {
        double width = Math.Max(high - low, 1e-12);
        double density = 1.0 / width; // the prior component
        double h = Bandwidth(points, low, high);
        foreach (double m in points)
        {
            double mass = Phi((high - m) / h) - Phi((low - m) / h);
            double z = (x - m) / h;
            density += Math.Exp(-0.5 * z * z) / (h * Math.Sqrt(2 * Math.PI) * Math.Max(mass, 1e-12));
        }

        return Math.Log(density / (points.Length + 1));
    }

    /// <summary>Standard normal CDF (Abramowitz–Stegun 7.1.26 erf, |error| &lt; 1.5e-7).</summary>
    private static double Phi(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    private static string Key(IReadOnlyDictionary<string, string> parameters) =>
        string.Join("\n", parameters.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Key + "=" + kv.Value));
}
