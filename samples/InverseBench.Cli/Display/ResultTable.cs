using System.Globalization;
using InverseBench.Cli.Running;
using Spectre.Console;

namespace InverseBench.Cli.Display;

/// <summary>The final metrics table (mean ± population std over the test samples).</summary>
public static class ResultTable
{
    /// <summary>Writes the table and where the results are.</summary>
    public static void Write(IAnsiConsole console, RunOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(outcome);
        var table = new Table().Title("Final metrics").AddColumn("metric").AddColumn(new TableColumn("mean").RightAligned())
            .AddColumn(new TableColumn("std").RightAligned()).AddColumn(new TableColumn("samples").RightAligned());
        foreach (var (name, s) in outcome.Aggregate)
        {
            table.AddRow(Markup.Escape(name), s.Mean.ToString("G6", CultureInfo.InvariantCulture),
                s.Std.ToString("G6", CultureInfo.InvariantCulture), s.Count.ToString(CultureInfo.InvariantCulture));
        }

        if (outcome.Aggregate.Count == 0) table.AddRow("(no metrics)", "", "", outcome.Samples.Count.ToString(CultureInfo.InvariantCulture));
        console.Write(table);
        string skipped = outcome.Skipped.Count > 0 ? $" ({outcome.Skipped.Count} reused from earlier runs)" : string.Empty;
        console.WriteLine($"{outcome.Samples.Count} test sample(s){skipped}; results in {outcome.ExperimentDirectory}");
    }
}
