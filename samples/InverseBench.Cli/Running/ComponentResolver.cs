using InverseBench.Cli.Configuration;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using System.Globalization;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Priors;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Cli.Running;

/// <summary>
/// Finds the registered factories for the selected config groups and builds the components from their YAML sections,
/// turning configuration mistakes (unknown keys, wrong types, invalid options, unregistered names) into
/// <see cref="CliUsageException"/>s that list the valid choices.
/// </summary>
public sealed class ComponentResolver(IEnumerable<ProblemFactory> problems, IEnumerable<SolverFactory> solvers, IEnumerable<PriorFactory> priors)
{
    /// <summary>The name of the analytic prior used when no checkpoint is available.</summary>
    public const string AnalyticPriorName = "gaussian-field";

    private readonly ProblemFactory[] _problems = problems.ToArray();
    private readonly SolverFactory[] _solvers = solvers.ToArray();
    private readonly PriorFactory[] _priors = priors.ToArray();

    /// <summary>Names of the registered problems, sorted.</summary>
    public IReadOnlyList<string> ProblemNames => _problems.Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Names of the registered solvers, sorted.</summary>
    public IReadOnlyList<string> SolverNames => _solvers.Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>Names of the registered priors, sorted.</summary>
    public IReadOnlyList<string> PriorNames => _priors.Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The problem factory of the selected <c>problem</c> config (by file name, else by its <c>name</c> key).</summary>
    public ProblemFactory Problem(string selection, string? configName)
    {
        var f = _problems.FirstOrDefault(p => p.Name == selection) ?? _problems.FirstOrDefault(p => p.Name == configName);
        return f ?? throw new CliUsageException(
            $"Problem '{selection}' is not available: registered problems are {List(ProblemNames)}.");
    }

    /// <summary>The solver factory of the selected <c>algorithm</c> config.</summary>
    public SolverFactory Solver(string selection, string? configName)
    {
        var f = _solvers.FirstOrDefault(s => s.Name == selection)
            ?? _solvers.FirstOrDefault(s => string.Equals(s.Name, configName, StringComparison.OrdinalIgnoreCase));
        return f ?? throw new CliUsageException(
            $"Algorithm '{selection}' is not available: registered solvers are {List(SolverNames)}.");
    }

    /// <summary>The prior factory named <paramref name="name"/>, or null.</summary>
    public PriorFactory? Prior(string name) => _priors.FirstOrDefault(p => p.Name == name);

    /// <summary>The analytic Gaussian-random-field prior factory.</summary>
    public PriorFactory AnalyticPrior() => Prior(AnalyticPriorName) ?? throw new CliUsageException(
        $"No checkpoint is available and the analytic prior '{AnalyticPriorName}' is not registered (registered priors: {List(PriorNames)}). " +
        "Add InverseBench.Core.Priors' AddAnalyticPriors() or provide a checkpoint (problem.prior=<path>).");

    /// <summary>
    /// Runs <paramref name="create"/> on <paramref name="section"/>, then reports keys it did not read (besides
    /// <paramref name="ignored"/>); converts option/format errors to <see cref="CliUsageException"/>.
    /// </summary>
    public static T Build<T>(string what, ConfigSection section, Func<ConfigSection, T> create, params string[] ignored)
    {
        try
        {
            var result = create(section);
            foreach (string key in ignored) section.Has(key);
            section.ThrowIfUnknownKeys();
            return result;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new CliUsageException($"Invalid {what} configuration: {ex.Message}", ex);
        }
    }

    /// <summary>Checks that a config level has only the given keys.</summary>
    public static void RequireKeys(string path, ConfigMap map, params string[] valid)
    {
        var unknown = map.Keys.Where(k => !valid.Contains(k)).ToList();
        if (unknown.Count == 0) return;
        throw new CliUsageException(
            $"Unknown configuration key(s): {string.Join(", ", unknown.Select(k => path + "." + k))}. Valid keys: {string.Join(", ", valid.Select(k => path + "." + k))}.");
    }

    /// <summary>The section of a key of a config level (empty when absent); a scalar there is an error.</summary>
    public static ConfigSection Section(ConfigMap map, string key, string path)
    {
        return map.GetValueOrDefault(key) switch
        {
            null => new ConfigSection(new ConfigMap(), path + "." + key),
            ConfigMap m => new ConfigSection(m, path + "." + key),
            var other => throw new CliUsageException($"Configuration key '{path}.{key}' must be a mapping; got '{ConfigNode.Format(other)}'."),
        };
    }

    /// <summary>
    /// Builds the analytic prior at the operator's channels/resolution. When <paramref name="trainingDraws"/> are given
    /// (synthetic samples from the problem's generator, never the test samples) and the prior is the Gaussian-field
    /// prior, it is replaced by <see cref="GaussianFieldPrior.FitIsotropic"/> of the draws: their pixel mean and ring-averaged
    /// power spectrum (an empirical-Bayes fit).
    /// </summary>
    /// <returns>The prior and a description of the fit (null when none was made).</returns>
    public (IDiffusionPrior Prior, string? Fit) CreateAnalyticPrior(IForwardOperator forwardOperator, Device device, Tensor? trainingDraws = null)
    {
        var shape = forwardOperator.SignalShape;
        if (shape.Count != 3 || shape[1] != shape[2])
            throw new CliUsageException($"The analytic prior needs square image signals [C, R, R]; problem '{forwardOperator.Name}' has [{string.Join(", ", shape)}].");
        var factory = AnalyticPrior();
        var section = new ConfigMap { ["channels"] = shape[0], ["resolution"] = shape[1] };
        var prior = factory.Create(new ConfigSection(section, "pretrain.model"), null, device);
        if (trainingDraws is null || prior is not GaussianFieldPrior) return (prior, null);

        // Fit the field prior to the draws: pixel mean and the ring-averaged power spectrum (stationary, isotropic).
        GaussianFieldPrior fitted;
        try
        {
            fitted = GaussianFieldPrior.FitIsotropic(trainingDraws, device);
        }
        catch (ArgumentException)
        {
            return (prior, null); // constant or non-finite draws: keep the unfitted prior
        }

        if (prior is IDisposable d) d.Dispose();
        return (fitted, string.Create(CultureInfo.InvariantCulture,
            $"mean {fitted.Mean:G4}, pixel std {Math.Sqrt(fitted.PixelVariance):G4} and isotropic power spectrum fitted to {trainingDraws.shape[0]} synthetic training draws"));
    }

    private static string List(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
