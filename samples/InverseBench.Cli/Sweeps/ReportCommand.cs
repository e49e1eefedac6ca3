using InverseBench.Sweeps.Reports;
using Spectre.Console;

namespace InverseBench.Cli.Sweeps;

/// <summary>
/// <c>inversebench report [--results URI] [--sweep NAME] [--metric NAME] [--out DIR]</c>: prints the paper-style table of the
/// results store (Markdown) and writes <c>report.md</c>, <c>report.csv</c>, <c>report.tex</c> and the PNG figures into the
/// output folder (default: <c>reports/</c> beside the store file, or in the current folder for PostgreSQL).
/// </summary>
public static class ReportCommand
{
    /// <summary>Runs <c>report</c> with the arguments after the verb; returns the exit code.</summary>
    public static int Run(IReadOnlyList<string> args, IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var rest = args.ToList();
        if (rest.Any(a => a is "-h" or "--help"))
        {
            HelpText.WriteReport(console);
            return ExitCodes.Success;
        }

        string? results = CliResults.Take(rest);
        string? sweep = Take(rest, "--sweep");
        string? metric = Take(rest, "--metric");
        string? output = Take(rest, "--out");
        if (rest.Count > 0) throw new CliUsageException($"Unknown report argument(s): {string.Join(" ", rest)} (options: --results, --sweep, --metric, --out).");
        string location = results ?? Path.Combine(Directory.GetCurrentDirectory(), InverseBench.Sweeps.Results.ResultStoreLocation.DefaultFileName);
        if (!InverseBench.Sweeps.Results.ResultStoreLocation.IsPostgres(location) && !File.Exists(InverseBench.Sweeps.Results.ResultStoreLocation.SqlitePath(location)))
            throw new CliUsageException($"No results store at '{location}': run something first, or pass --results sqlite:///path/results.db or postgres://...");
        using var store = CliResults.Open(location);
        var report = new SweepReportBuilder().Build(store, new ReportOptions { Sweep = sweep, RankMetric = metric });
        string folder = Path.GetFullPath(output ?? (InverseBench.Sweeps.Results.ResultStoreLocation.IsPostgres(location)
            ? "reports"
            : Path.Combine(Path.GetDirectoryName(InverseBench.Sweeps.Results.ResultStoreLocation.SqlitePath(location))!, "reports")));
        Directory.CreateDirectory(folder);
        string markdown = ReportTables.Markdown(report);
        File.WriteAllText(Path.Combine(folder, "report.md"), markdown);
        File.WriteAllText(Path.Combine(folder, "report.csv"), ReportTables.Csv(report));
        File.WriteAllText(Path.Combine(folder, "report.tex"), ReportTables.Latex(report));
        var figures = ReportFigures.Write(report, Path.Combine(folder, "figures"));
        console.Profile.Out.Writer.Write(markdown);
        console.WriteLine($"Results store: {store.Location}; best trial by {report.RankMetric}. Wrote report.md, report.csv, report.tex and {figures.Count} figure(s) to {folder}");
        return ExitCodes.Success;
    }

    private static string? Take(List<string> args, string name)
    {
        int i = args.IndexOf(name);
        if (i < 0) return null;
        if (i + 1 >= args.Count) throw new CliUsageException($"{name} needs a value.");
        string value = args[i + 1];
        args.RemoveRange(i, 2);
        return value;
    }
}
