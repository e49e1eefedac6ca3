using InverseBench.Cli.Configuration;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Priors;
using InverseBench.Core.Running;
using static TorchSharp.torch;

namespace InverseBench.Cli.Running;

/// <summary>
/// Creates the run's components from the composed configuration sections through the registered factories, turning
/// configuration mistakes (unknown keys, wrong types, invalid options, unregistered names) into
/// <see cref="CliUsageException"/>s that list the valid choices. The data and prior rules (synthetic and analytic
/// fallbacks) are the library's <see cref="ComponentSetup"/>, shared with dependency injection.
/// </summary>
public sealed class ConfigComponents(IInverseBenchRegistry registry)
{
    private static readonly string[] ProblemKeys = ["name", "prior", "model", "data", "evaluator", "exp_dir"];
    private static readonly string[] AlgorithmKeys = ["name", "method", "wandb", "project"];

    /// <summary>The registry the components come from.</summary>
    public IInverseBenchRegistry Registry { get; } = registry;

    /// <summary>The problem factory of the selected <c>problem</c> config (by file name, else by its <c>name</c> key).</summary>
    public ProblemFactory Problem(string selection, string? configName)
    {
        var names = Registry.Names(ComponentKind.Problem);
        string? name = names.Contains(selection) ? selection : configName is not null && names.Contains(configName) ? configName : null;
        return name is not null
            ? Registry.Problem(name)
            : throw new CliUsageException($"Problem '{selection}' is not available{Suggest.DidYouMean(selection, names)}: registered problems are {List(names)}.");
    }

    /// <summary>The solver factory of the selected <c>algorithm</c> config (by file name, else by its <c>name</c> key).</summary>
    public SolverFactory Solver(string selection, string? configName)
    {
        var names = Registry.Names(ComponentKind.Solver);
        string? name = names.Contains(selection) ? selection
            : names.FirstOrDefault(n => string.Equals(n, configName, StringComparison.OrdinalIgnoreCase));
        return name is not null
            ? Registry.Solver(name)
            : throw new CliUsageException($"Algorithm '{selection}' is not available{Suggest.DidYouMean(selection, names)}: registered solvers are {List(names)}.");
    }

    /// <summary>Checks the keys of the <c>problem</c> and <c>algorithm</c> sections.</summary>
    public static void CheckSections(ConfigMap problem, ConfigMap algorithm)
    {
        RequireKeys("problem", problem, ProblemKeys);
        RequireKeys("algorithm", algorithm, AlgorithmKeys);
    }

    /// <summary>The operator from <c>problem.model</c>.</summary>
    public static IForwardOperator Operator(ProblemFactory factory, ConfigMap problem, Device device) =>
        Build("problem.model", Section(problem, "model", "problem"), s => factory.CreateOperator(s, device), "_target_");

    /// <summary>The evaluator (its <c>problem.evaluator</c> section may only name its <c>_target_</c>).</summary>
    public static IEvaluator? Evaluator(ProblemFactory factory, ConfigMap problem, IForwardOperator op)
    {
        Build("problem.evaluator", Section(problem, "evaluator", "problem"), _ => 0, "_target_");
        return factory.CreateEvaluator?.Invoke(op);
    }

    /// <summary>
    /// The test data from <c>problem.data</c>: every key is read (and checked) first; when the data are absent, synthetic
    /// samples with the <c>id_list</c> ids (default 0) drawn per id from <paramref name="seed"/>.
    /// </summary>
    public static DataSource Data(ProblemFactory factory, ConfigMap problem, IForwardOperator op, long seed)
    {
        var data = Section(problem, "data", "problem");
        var ids = Read(() => ConfigComposer.ParseIntList(data.Raw("id_list"), data.Path + ".id_list"));
        string? root = Read(() => data.Get<string?>("root", null));
        var open = factory.CreateDataset is { } create
            ? () => Build("problem.data", data, s => create(s, op), "_target_")
            : new Func<IProblemDataset>(() => throw new DirectoryNotFoundException($"problem '{factory.Name}' has no dataset reader"));
        try
        {
            var syntheticIds = ids.Count > 0 ? ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray() : ComponentSetup.Ids(1);
            var source = ComponentSetup.OpenData(factory, open, root, op, seed, syntheticIds);
            // The reader read (and so checked) every key before it found the data absent; report keys it did not know.
            if (source.Fallback is not null) Build("problem.data", data, _ => 0);
            return source;
        }
        catch (FileNotFoundException ex)
        {
            throw new CliUsageException(ex.Message + " Set problem.data.root=<folder>.", ex);
        }
    }

    /// <summary>
    /// The solver from <c>algorithm.method</c>. With <paramref name="referenceCompatible"/> (the top-level
    /// <c>reference_compatible</c>) the section gets <c>reference_compatible: true</c> unless it sets the key itself, which
    /// turns on every reference quirk of the solver (<see cref="InverseBench.Algorithms.Common.ReferenceCompatibility"/>).
    /// The key is accepted by every solver: one without quirks ignores it.
    /// </summary>
    public static ISolver CreateSolver(SolverFactory factory, ConfigMap algorithm, bool referenceCompatible = false)
    {
        string key = InverseBench.Algorithms.Common.ReferenceCompatibility.Key;
        var section = Section(algorithm, "method", "algorithm");
        if (referenceCompatible && !section.Has(key))
        {
            var method = algorithm.GetValueOrDefault("method") is ConfigMap m ? m.DeepClone() : new ConfigMap();
            method[key] = true;
            section = new ConfigSection(method, "algorithm.method");
        }

        return Build("algorithm.method", section, factory.Create, "_target_", key);
    }

    /// <summary>
    /// The reference quirks of problems (problem name, <c>problem</c> sub-section, key, reference value) that the top-level
    /// <c>reference_compatible=true</c> turns on unless the key is given.
    /// </summary>
    public static IReadOnlyList<(string Problem, string Section, string Key, object Value)> ProblemQuirkKeys { get; } =
    [
        ("blackhole", "data", "reference_ignores_id_list", true),
    ];

    /// <summary>
    /// <paramref name="problem"/> with every reference quirk of <paramref name="problemName"/> (<see cref="ProblemQuirkKeys"/>)
    /// turned on where its key is absent; the map itself when the problem has none.
    /// </summary>
    public static ConfigMap WithReferenceProblemQuirks(string problemName, ConfigMap problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var quirks = ProblemQuirkKeys.Where(q => q.Problem == problemName).ToList();
        if (quirks.Count == 0) return problem;
        var result = problem.DeepClone();
        foreach (var (_, sectionName, key, value) in quirks)
        {
            if (result.GetValueOrDefault(sectionName) is not ConfigMap section) result[sectionName] = section = new ConfigMap();
            if (!section.ContainsKey(key)) section[key] = value;
        }

        return result;
    }

    /// <summary>
    /// The prior: the checkpoint <c>problem.prior</c> through the <c>pretrain</c> preset when the file exists, else the
    /// analytic prior (<see cref="ComponentSetup.AnalyticPrior"/>).
    /// </summary>
    public PriorSource Prior(string? checkpoint, string pretrain, ConfigMap pretrainSection, ProblemFactory problem, IForwardOperator op,
        Device device, long seed)
    {
        if (checkpoint is { Length: > 0 } && File.Exists(checkpoint))
        {
            string path = Path.GetFullPath(checkpoint);
            IDiffusionPrior prior;
            if (Registry.Names(ComponentKind.Prior).Contains(pretrain))
            {
                var factory = Registry.Prior(pretrain);
                prior = Build("pretrain.model", Section(pretrainSection, "model", "pretrain"), s => factory.Create(s, path, device), "_target_");
            }
            else
            {
                try
                {
                    prior = Priors.FromCheckpoint(path, pretrain, device);
                }
                catch (KeyNotFoundException ex)
                {
                    throw new CliUsageException($"pretrain '{pretrain}' has no network preset: {ex.Message}", ex);
                }
            }

            return new PriorSource(prior, ProvenanceText.Of("checkpoint", path) + $" (pretrain '{pretrain}')");
        }

        string why = checkpoint == Training.ShippedPriors.AnalyticKey ? $"problem.prior={Training.ShippedPriors.AnalyticKey}"
            : checkpoint is { Length: > 0 } ? $"the checkpoint '{Path.GetFullPath(checkpoint)}' does not exist" : "problem.prior is not set";
        if (checkpoint != Training.ShippedPriors.AnalyticKey && Training.ShippedPriors.TryLoad(problem.Name, op, device, why) is { } shipped) return shipped;
        var names = Registry.Names(ComponentKind.Prior);
        if (!names.Contains(AnalyticPriorRegistration.GaussianFieldName))
        {
            throw new CliUsageException(
                $"No checkpoint is available ({why}) and the analytic prior '{AnalyticPriorRegistration.GaussianFieldName}' is not registered " +
                $"(registered priors: {List(names)}). Register AddAnalyticPriors() or provide a checkpoint (problem.prior=<path>).");
        }

        try
        {
            var source = ComponentSetup.AnalyticPrior(Registry.Prior(AnalyticPriorRegistration.GaussianFieldName), problem, op, device, seed);
            return source with { Provenance = source.Provenance + $"; used because {why}" };
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }

    /// <summary>
    /// Runs <paramref name="create"/> on <paramref name="section"/>, then reports keys it did not read (besides
    /// <paramref name="ignored"/>); converts option/format errors to <see cref="CliUsageException"/>.
    /// </summary>
    public static T Build<T>(string what, ConfigSection section, Func<ConfigSection, T> create, params string[] ignored)
    {
        try
        {
            foreach (string key in ignored) section.Raw(key);
            var result = create(section);
            section.ThrowIfUnknownKeys();
            return result;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new CliUsageException($"Invalid {what} configuration: {ex.Message}", ex);
        }
    }

    /// <summary>Checks that a config level has only the given keys (with a "did you mean").</summary>
    public static void RequireKeys(string path, ConfigMap map, params string[] valid)
    {
        var unknown = map.Keys.Where(k => !valid.Contains(k)).ToList();
        if (unknown.Count == 0) return;
        throw new CliUsageException(
            $"Unknown configuration key(s): {string.Join(", ", unknown.Select(k => path + "." + k + Suggest.DidYouMean(k, valid)))}. " +
            $"Valid keys: {string.Join(", ", valid.Select(k => path + "." + k))}.");
    }

    /// <summary>The section of a key of a config level (empty when absent); a scalar there is an error.</summary>
    public static ConfigSection Section(ConfigMap map, string key, string path) => map.GetValueOrDefault(key) switch
    {
        null => new ConfigSection(new ConfigMap(), path + "." + key),
        ConfigMap m => new ConfigSection(m, path + "." + key),
        var other => throw new CliUsageException($"Configuration key '{path}.{key}' must be a mapping; got '{ConfigNode.Format(other)}'."),
    };

    /// <summary>Runs a read, turning <see cref="FormatException"/> into <see cref="CliUsageException"/>.</summary>
    public static T Read<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FormatException ex)
        {
            throw new CliUsageException(ex.Message, ex);
        }
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
