using System.Globalization;
using InverseBench.Cli.Configuration;
using InverseBench.Cli.Running;
using InverseBench.Core.IO;
using Spectre.Console;
using static TorchSharp.torch;

namespace InverseBench.Cli.Training;

/// <summary>
/// Simple baselines printed beside a Navier–Stokes run's metric, on the same test samples (read back from the experiment
/// folder's <c>result_&lt;id&gt;_{target,observation}.npy</c>): the zero field (also the data mean: vorticity on the torus
/// has zero mean) and the observation interpolated to the full grid (nearest neighbour from the every-k-th pixel, in the
/// normalised space: <c>(y − unnorm_shift)/unnorm_scale</c>), each scored by relative L2 like the evaluator.
/// </summary>
internal static class BaselineTable
{
    /// <summary>Writes the table when the run's problem is Navier–Stokes and its result files exist; otherwise nothing.</summary>
    public static void Write(IAnsiConsole console, RunOutcome outcome, ConfigMap config)
    {
        if (config.GetValueOrDefault("problem") is not ConfigMap problem || problem.GetValueOrDefault("model") is not ConfigMap model
            || !Convert.ToString(model.GetValueOrDefault("_target_"), CultureInfo.InvariantCulture)!.Contains("navier_stokes", StringComparison.Ordinal))
            return;
        double scale = Convert.ToDouble(model.GetValueOrDefault("unnorm_scale") ?? 10.0, CultureInfo.InvariantCulture);
        double shift = Convert.ToDouble(model.GetValueOrDefault("unnorm_shift") ?? 0.0, CultureInfo.InvariantCulture);
        int k = Convert.ToInt32(model.GetValueOrDefault("downsample_factor") ?? 2, CultureInfo.InvariantCulture);
        var zero = new List<double>();
        var interpolated = new List<double>();
        foreach (var (id, _) in outcome.Samples)
        {
            string target = Path.Combine(outcome.ExperimentDirectory, $"result_{id}_target.npy");
            string observation = Path.Combine(outcome.ExperimentDirectory, $"result_{id}_observation.npy");
            if (!File.Exists(target) || !File.Exists(observation)) return;
            using var scope = NewDisposeScope();
            var x = Npy.Read(target).to(ScalarType.Float64);
            var y = Npy.Read(observation).to(ScalarType.Float64).sub(shift).div(scale);
            long h = x.shape[^2], w = x.shape[^1];
            var up = y.repeat_interleave(k, dim: -2).repeat_interleave(k, dim: -1);
            up = up.narrow(-2, 0, h).narrow(-1, 0, w).reshape(x.shape);
            double norm = x.norm().item<double>();
            zero.Add(1.0);
            interpolated.Add(up.sub(x).norm().item<double>() / norm);
        }

        if (zero.Count == 0) return;
        var table = new Table().AddColumn("baseline (same samples)").AddColumn("relative l2 (mean ± std)");
        table.AddRow("zero field = data mean", Summary(zero));
        table.AddRow($"observation interpolated (nearest, ×{k})", Summary(interpolated));
        console.Write(table);
    }

    private static string Summary(List<double> v)
    {
        double mean = v.Average();
        double std = v.Count > 1 ? Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / v.Count) : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{mean:F4} ± {std:F4}");
    }
}
