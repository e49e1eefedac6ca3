namespace InverseBench.Core.Evaluation;

/// <summary>Mean and population standard deviation (ddof = 0, as the reference's <c>np.std</c>) of one metric over test samples.</summary>
/// <param name="Mean">The mean.</param>
/// <param name="Std">The population standard deviation.</param>
/// <param name="Count">Number of test samples.</param>
public sealed record MetricSummary(double Mean, double Std, int Count);

/// <summary>Aggregates per-sample metric dictionaries (reference <c>evaluator.compute()</c>).</summary>
public static class MetricAggregate
{
    /// <summary>Mean and std per metric, over every dictionary that has it, in first-seen key order.</summary>
    public static IReadOnlyDictionary<string, MetricSummary> From(IEnumerable<IReadOnlyDictionary<string, double>> perSample)
    {
        ArgumentNullException.ThrowIfNull(perSample);
        var values = new Dictionary<string, List<double>>();
        var order = new List<string>();
        foreach (var sample in perSample)
        {
            foreach (var (key, value) in sample)
            {
                if (!values.TryGetValue(key, out var list))
                {
                    values[key] = list = [];
                    order.Add(key);
                }

                list.Add(value);
            }
        }

        var result = new Dictionary<string, MetricSummary>();
        foreach (var key in order)
        {
            var list = values[key];
            double mean = list.Average();
            double variance = list.Sum(v => (v - mean) * (v - mean)) / list.Count;
            result[key] = new MetricSummary(mean, Math.Sqrt(variance), list.Count);
        }

        return result;
    }
}
