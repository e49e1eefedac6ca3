using System.Globalization;
using System.Text;

namespace InverseBench.Sweeps.Reports;

/// <summary>
/// The report as tables: Markdown, CSV and LaTeX. Metric cells are <c>mean ± std</c> over the best trial's test samples,
/// the best value per problem and metric in bold; the counts columns say how many trials finished, failed, or are missing.
/// </summary>
public static class ReportTables
{
    private static readonly string[] CountColumns = ["time/sample (s)", "NFE", "forward evals", "finished", "failed", "missing"];

    /// <summary>The results table and the sweep summary in Markdown.</summary>
    public static string Markdown(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = new StringBuilder();
        string[] header = ["problem", "algorithm", .. report.Metrics, .. CountColumns];
        s.Append("| ").AppendJoin(" | ", header).Append(" |\n");
        s.Append('|').AppendJoin('|', header.Select(_ => "---")).Append("|\n");
        foreach (var row in report.Rows)
        {
            var cells = new List<string> { row.Problem, row.Algorithm };
            cells.AddRange(report.Metrics.Select(m => Cell(report, row, m) is { } c && report.IsBest(row, m) ? "**" + c + "**" : Cell(report, row, m) ?? "–"));
            cells.AddRange(Counts(row));
            s.Append("| ").AppendJoin(" | ", cells).Append(" |\n");
        }

        if (report.Sweeps.Count > 0)
        {
            s.Append('\n').Append(CultureInfo.InvariantCulture, $"| sweep | trials | finished | failed | running | pending | best trial | best {report.RankMetric} | parameters |\n");
            s.Append("|---|---|---|---|---|---|---|---|---|\n");
            foreach (var w in report.Sweeps)
            {
                s.Append(CultureInfo.InvariantCulture,
                    $"| {w.Sweep} | {w.Planned} | {w.Finished} | {w.Failed} | {w.Running} | {w.Pending} | {Short(w.BestTrialId)} | {Number(w.BestValue)} | {Parameters(w.BestParameters)} |\n");
            }
        }

        return s.ToString();
    }

    /// <summary>The results table as CSV (RFC 4180): separate mean and std columns per metric, then the counts.</summary>
    public static string Csv(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = new StringBuilder();
        var header = new List<string> { "problem", "algorithm", "best_trial" };
        foreach (string m in report.Metrics) header.AddRange([m + "_mean", m + "_std"]);
        header.AddRange(["sample_seconds", "nfe", "forward_evals", "finished", "failed", "missing"]);
        s.AppendJoin(',', header.Select(Csv)).Append('\n');
        foreach (var row in report.Rows)
        {
            var cells = new List<string> { row.Problem, row.Algorithm, row.BestTrialId ?? string.Empty };
            foreach (string m in report.Metrics)
            {
                var stat = row.Metrics.GetValueOrDefault(m);
                cells.AddRange([Raw(stat?.Mean ?? double.NaN), Raw(stat?.Std ?? double.NaN)]);
            }

            cells.AddRange([Raw(row.SampleWallSeconds), Raw(row.NetworkCalls), Raw(row.ForwardItems), Int(row.Finished), Int(row.Failed), Int(row.Missing)]);
            s.AppendJoin(',', cells.Select(Csv)).Append('\n');
        }

        return s.ToString();
    }

    /// <summary>The results table as a LaTeX <c>tabular</c> (booktabs), best values in <c>\textbf</c>.</summary>
    public static string Latex(SweepReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var s = new StringBuilder();
        string[] header = ["Problem", "Algorithm", .. report.Metrics.Select(m => m.ToUpperInvariant()), "Time/sample (s)", "NFE", "Forward evals", "Finished", "Failed", "Missing"];
        s.Append("\\begin{tabular}{ll").Append('r', header.Length - 2).Append("}\n\\toprule\n");
        s.AppendJoin(" & ", header.Select(Tex)).Append(" \\\\\n\\midrule\n");
        foreach (var row in report.Rows)
        {
            var cells = new List<string> { Tex(row.Problem), Tex(row.Algorithm) };
            foreach (string m in report.Metrics)
            {
                string? c = Cell(report, row, m)?.Replace("±", "$\\pm$", StringComparison.Ordinal);
                cells.Add(c is null ? "--" : report.IsBest(row, m) ? "\\textbf{" + c + "}" : c);
            }

            cells.AddRange(Counts(row));
            s.AppendJoin(" & ", cells).Append(" \\\\\n");
        }

        s.Append("\\bottomrule\n\\end{tabular}\n");
        return s.ToString();
    }

    private static string? Cell(SweepReport report, ResultRow row, string metric) =>
        row.Metrics.TryGetValue(metric, out var stat) && double.IsFinite(stat.Mean) ? $"{Number(stat.Mean)} ± {Number(stat.Std)}" : null;

    private static IEnumerable<string> Counts(ResultRow row) =>
        [Number(row.SampleWallSeconds), Number(row.NetworkCalls), Number(row.ForwardItems), Int(row.Finished), Int(row.Failed), Int(row.Missing)];

    private static string Number(double v) => double.IsFinite(v) ? v.ToString(Math.Abs(v) >= 1e4 || (v != 0 && Math.Abs(v) < 1e-3) ? "0.###e+0" : "0.###", CultureInfo.InvariantCulture) : "–";

    private static string Raw(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Short(string? id) => id is null ? "–" : id[..Math.Min(12, id.Length)];

    private static string Parameters(IReadOnlyDictionary<string, string> p) => p.Count == 0 ? "–" : string.Join(", ", p.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    private static string Csv(string cell) => cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    private static string Tex(string text)
    {
        var s = new StringBuilder();
        foreach (char c in text)
        {
            s.Append(c switch
            {
                '\\' => "\\textbackslash{}",
                '&' or '%' or '$' or '#' or '_' or '{' or '}' => "\\" + c,
                '~' => "\\textasciitilde{}",
                '^' => "\\textasciicircum{}",
                _ => c.ToString(),
            });
        }

        return s.ToString();
    }
}
