namespace InverseBench.Sweeps.Planning;

/// <summary>What a plan needs besides the sweep file.</summary>
public sealed record SweepPlanOptions
{
    /// <summary>Seed of random and bayes draws (default 0).</summary>
    public long Seed { get; init; }

    /// <summary>Number of trials of a random or bayes sweep (default: the file's <c>run_cap</c>); caps a grid when set.</summary>
    public int? Count { get; init; }

    /// <summary>Overrides added after the sweep file's command (e.g. a smaller problem for a smoke test); swept parameters still win.</summary>
    public IReadOnlyList<string> ExtraOverrides { get; init; } = [];

    /// <summary>The sweep file path recorded in the manifest.</summary>
    public string? Source { get; init; }

    /// <summary>The configs folder recorded in the manifest.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>The results store recorded in the manifest.</summary>
    public string? Results { get; init; }

    /// <summary>Finished trials of this sweep (bayes only), from the results store.</summary>
    public IReadOnlyList<ObservedTrial> History { get; init; } = [];
}

/// <summary>Expands a sweep file into a manifest of trials.</summary>
public interface ISweepPlanner
{
    /// <summary>Plans <paramref name="sweep"/>: grid = Cartesian product, random = seeded draws, bayes = <see cref="IBayesSuggester"/> over <see cref="SweepPlanOptions.History"/>.</summary>
    /// <exception cref="InvalidOperationException">A grid over a continuous parameter, or a random/bayes sweep without a count.</exception>
    SweepManifest Plan(SweepDefinition sweep, SweepPlanOptions options);
}

/// <summary>
/// The default planner. Trial overrides are, in order: the sweep file's command overrides, the extra overrides, one
/// <c>key=value</c> per swept parameter, and <c>exp_name=&lt;sweep&gt;-&lt;first 12 hex of the id&gt;</c> (so each trial has its
/// own experiment folder, where the run engine resumes per test sample). Trials that resolve to the same configuration
/// (same id) are planned once.
/// </summary>
public sealed class SweepPlanner(ITrialIdentity identity, IBayesSuggester suggester) : ISweepPlanner
{
    private const int MaxRandomAttemptsPerTrial = 50;

    /// <summary>A planner with <see cref="OverrideListIdentity"/> and <see cref="TpeSuggester"/>.</summary>
    public SweepPlanner()
        : this(new OverrideListIdentity(), new TpeSuggester())
    {
    }

    /// <inheritdoc />
    public SweepManifest Plan(SweepDefinition sweep, SweepPlanOptions options)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(options);
        var baseOverrides = sweep.FixedOverrides.Concat(options.ExtraOverrides).ToArray();
        var trials = new List<PlannedTrial>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        bool Add(IReadOnlyList<(string Key, object Value)> assignment)
        {
            var parameters = assignment.ToDictionary(a => a.Key, a => TrialHash.Format(a.Value), StringComparer.Ordinal);
            var overrides = baseOverrides.Concat(assignment.Select(a => a.Key + "=" + TrialHash.Format(a.Value))).ToList();
            string id = TrialHash.Of(identity.CanonicalConfiguration(overrides));
            if (!seen.Add(id)) return false;
            var trial = new PlannedTrial(trials.Count, id, parameters, overrides);
            trials.Add(trial with { Overrides = [.. overrides, "exp_name=" + ExperimentName(sweep.Name, trial.ShortId)] });
            return true;
        }

        switch (sweep.Method)
        {
            case SweepMethod.Grid:
                foreach (var combination in Grid(sweep.Parameters))
                {
                    if (options.Count is { } cap && trials.Count >= cap) break;
                    Add(combination);
                }

                break;
            case SweepMethod.Random:
            {
                int count = Count(sweep, options);
                var random = new Random(unchecked((int)options.Seed));
                for (int attempts = 0; trials.Count < count && attempts < count * MaxRandomAttemptsPerTrial; attempts++)
                    Add(sweep.Parameters.Select(p => (p.Key, ParameterSampler.Draw(p, random))).ToArray());
                break;
            }

            case SweepMethod.Bayes:
            {
                int count = Count(sweep, options);
                foreach (var s in suggester.Suggest(sweep, options.History, count, options.Seed))
                    Add(sweep.Parameters.Select(p => (p.Key, s[p.Key])).ToArray());
                break;
            }
        }

        return new SweepManifest
        {
            Sweep = sweep.Name,
            Source = options.Source,
            Method = sweep.Method,
            Metric = sweep.Metric,
            Seed = options.Seed,
            ConfigDirectory = options.ConfigDirectory,
            Results = options.Results,
            BaseOverrides = baseOverrides,
            Trials = trials,
        };
    }

    /// <summary>The experiment folder name of a trial: the sweep name (characters unsafe in folder names replaced) and the short id.</summary>
    public static string ExperimentName(string sweep, string shortId)
    {
        var invalid = Path.GetInvalidFileNameChars();
        return new string(sweep.Select(c => invalid.Contains(c) || char.IsWhiteSpace(c) ? '_' : c).ToArray()) + "-" + shortId;
    }

    private static int Count(SweepDefinition sweep, SweepPlanOptions options)
    {
        int count = options.Count ?? sweep.RunCap
            ?? throw new InvalidOperationException($"Sweep '{sweep.Name}' is a {sweep.Method.ToString().ToLowerInvariant()} sweep without run_cap: give the number of trials (--count N).");
        return count > 0 ? count : throw new InvalidOperationException($"The trial count must be positive; got {count}.");
    }

    private static IEnumerable<(string Key, object Value)[]> Grid(IReadOnlyList<SweepParameter> parameters)
    {
        var axes = parameters.Select(p => p.GridValues()).ToArray();
        var index = new int[axes.Length];
        while (true)
        {
            yield return parameters.Select((p, i) => (p.Key, axes[i][index[i]])).ToArray();
            int d = axes.Length - 1;
            while (d >= 0 && ++index[d] == axes[d].Count)
            {
                index[d] = 0;
                d--;
            }

            if (d < 0) yield break;
        }
    }
}
