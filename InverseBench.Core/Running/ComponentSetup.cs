using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Configuration;
using InverseBench.Core.DependencyInjection;
using InverseBench.Core.Priors;
using static TorchSharp.torch;

namespace InverseBench.Core.Running;

/// <summary>Test data of a run and where they came from.</summary>
/// <param name="Dataset">The dataset (owned by whoever opened it).</param>
/// <param name="Provenance">Where the data came from (file + hash, or the synthetic generator and its seed).</param>
/// <param name="Fallback">Why synthetic samples were drawn instead of reading the data (the open call's message without its final
/// full stop, so it reads inside a sentence), or null.</param>
public sealed record DataSource(IProblemDataset Dataset, string Provenance, string? Fallback);

/// <summary>A prior and where it came from.</summary>
/// <param name="Prior">The prior (owned by whoever created it).</param>
/// <param name="Provenance">Checkpoint file + hash, or the analytic prior and what it was fitted to.</param>
public sealed record PriorSource(IDiffusionPrior Prior, string Provenance);

/// <summary>
/// The setup rules every entry point shares (CLI, dependency injection, tools): how test data are opened (with the
/// synthetic fallback) and how the analytic prior is fitted when no checkpoint is present. Keeping them here means the
/// CLI and <see cref="IRunFactory"/> cannot drift apart.
/// </summary>
public static class ComponentSetup
{
    /// <summary>Synthetic draws the analytic Gaussian-field prior is fitted to (never the test samples).</summary>
    public const int AnalyticFitDraws = 2;

    /// <summary>Offset of the seed of those draws from the run seed (disjoint from the test samples' stream).</summary>
    public const long TrainingSeedOffset = 1_000_003;

    /// <summary>
    /// Opens the problem's test data through <paramref name="open"/>; when it reports the data absent
    /// (<see cref="FileNotFoundException"/>/<see cref="DirectoryNotFoundException"/>) and <paramref name="allowSynthetic"/> is
    /// set, draws synthetic samples with the ids <paramref name="syntheticIds"/> instead (see <see cref="SyntheticData"/>).
    /// </summary>
    /// <exception cref="FileNotFoundException">The data are absent and no synthetic fallback is allowed or available.</exception>
    public static DataSource OpenData(ProblemFactory problem, Func<IProblemDataset> open, string? location, IForwardOperator forwardOperator,
        long seed, IReadOnlyList<string> syntheticIds, bool allowSynthetic = true)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(forwardOperator);
        ArgumentNullException.ThrowIfNull(syntheticIds);
        if (syntheticIds.Count == 0) throw new ArgumentException("At least one synthetic sample id is needed.", nameof(syntheticIds));
        string why;
        try
        {
            var dataset = open();
            string provenance = location is not null && (File.Exists(location) || Directory.Exists(location))
                ? ProvenanceText.Of("data", location)
                : $"dataset {dataset.GetType().Name} ({dataset.Count} samples)";
            return new DataSource(dataset, provenance, null);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            why = ex.Message.TrimEnd('.', ' ');
        }

        if (!allowSynthetic || problem.CreateSyntheticDataset is null)
        {
            throw new FileNotFoundException(allowSynthetic
                ? $"No test data for problem '{problem.Name}' ({why}), and the problem cannot draw synthetic samples."
                : $"No test data for problem '{problem.Name}' ({why}); synthetic data are not allowed.");
        }

        var synthetic = SyntheticData(problem, forwardOperator, seed, syntheticIds);
        return new DataSource(synthetic, $"synthetic {problem.Name} (per-sample seeds from seed {seed}; {why})", why);
    }

    /// <summary>
    /// Synthetic test samples of <paramref name="problem"/> with the given ids: sample <c>id</c> is the single draw of the
    /// problem's generator seeded with <see cref="SampleSeed.Derive"/>(<paramref name="seed"/> + <see cref="SyntheticSeedOffset"/>, id),
    /// so it is the same whichever other ids are asked for (like a file-backed test set), drawn when first read.
    /// </summary>
    /// <exception cref="ArgumentException">The problem has no synthetic generator.</exception>
    public static IProblemDataset SyntheticData(ProblemFactory problem, IForwardOperator forwardOperator, long seed, IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(forwardOperator);
        ArgumentNullException.ThrowIfNull(ids);
        var create = problem.CreateSyntheticDataset ?? throw new ArgumentException($"Problem '{problem.Name}' has no synthetic generator.", nameof(problem));
        return new PerIdSyntheticDataset(ids, id => create(forwardOperator, (long)SampleSeed.Derive(unchecked(seed + SyntheticSeedOffset), id), 1));
    }

    /// <summary>Offset of the synthetic test samples' seeds from the run seed (so they differ from the samples' solver streams).</summary>
    public const long SyntheticSeedOffset = 7_919;

    /// <summary>The sample ids <c>0 … count−1</c>.</summary>
    public static IReadOnlyList<string> Ids(int count) =>
        Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    private sealed class PerIdSyntheticDataset(IReadOnlyList<string> ids, Func<string, IProblemDataset> create) : IProblemDataset
    {
        public int Count => ids.Count;

        public string GetId(int index) => ids[index];

        public Tensor GetTarget(int index)
        {
            var single = create(ids[index]);
            try
            {
                return single.GetTarget(0);
            }
            finally
            {
                (single as IDisposable)?.Dispose();
            }
        }
    }

    /// <summary>
    /// The analytic prior of <paramref name="factory"/> shaped to the operator's signals (<c>channels</c> and
    /// <c>resolution</c> from <see cref="IForwardOperator.SignalShape"/>). When it is a <see cref="GaussianFieldPrior"/> and the
    /// problem has a synthetic generator, the prior is replaced by <see cref="GaussianFieldPrior.FitIsotropic"/> of
    /// <see cref="AnalyticFitDraws"/> synthetic draws seeded with <c>seed + </c><see cref="TrainingSeedOffset"/>: their pixel
    /// mean and ring-averaged power spectrum (an empirical-Bayes fit, never on the test samples).
    /// </summary>
    /// <exception cref="ArgumentException">The operator's signals are not square images <c>[C, R, R]</c>.</exception>
    public static PriorSource AnalyticPrior(PriorFactory factory, ProblemFactory? problem, IForwardOperator forwardOperator, Device device, long seed)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(forwardOperator);
        var shape = forwardOperator.SignalShape;
        if (shape.Count != 3 || shape[1] != shape[2])
            throw new ArgumentException($"The analytic prior needs square image signals [C, R, R]; problem '{forwardOperator.Name}' has [{string.Join(", ", shape)}].");
        var prior = factory.CreateForOperator?.Invoke(forwardOperator, device)
            ?? factory.Create(new ConfigSection(new Dictionary<string, object?> { ["channels"] = shape[0], ["resolution"] = shape[1] }, "pretrain.model"), null, device);
        string basic = $"analytic {prior.Name} at {prior.Channels}×{prior.Resolution}×{prior.Resolution} (no checkpoint, defaults)";
        if (prior is not GaussianFieldPrior || problem?.CreateSyntheticDataset is null) return new PriorSource(prior, basic);

        long fitSeed = unchecked(seed + TrainingSeedOffset);
        using var scope = NewDisposeScope();
        var training = problem.CreateSyntheticDataset(forwardOperator, fitSeed, AnalyticFitDraws);
        try
        {
            var draws = cat(Enumerable.Range(0, training.Count).Select(training.GetTarget).ToArray(), 0);
            var fitted = GaussianFieldPrior.FitIsotropic(draws, device);
            prior.Dispose();
            return new PriorSource(fitted, string.Create(CultureInfo.InvariantCulture,
                $"analytic {fitted.Name} at {fitted.Channels}×{fitted.Resolution}×{fitted.Resolution}: mean {fitted.Mean:G4}, pixel std {Math.Sqrt(fitted.PixelVariance):G4} and isotropic power spectrum fitted to {draws.shape[0]} synthetic training draws of {problem.Name} (seed {fitSeed})"));
        }
        catch (ArgumentException)
        {
            return new PriorSource(prior, basic + " (the fit to synthetic draws failed: constant or non-finite draws)");
        }
        finally
        {
            (training as IDisposable)?.Dispose();
        }
    }
}
