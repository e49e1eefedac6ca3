using System.Text.Json;
using System.Text.Json.Serialization;

namespace InverseBench.Sweeps.Planning;

/// <summary>One planned trial: its position, its id (content hash of the resolved configuration) and the overrides that run it.</summary>
/// <param name="Index">Zero-based index in the manifest (the Slurm array / Kubernetes completion index).</param>
/// <param name="Id">SHA-256 (lower-case hex) of the trial's resolved configuration (see <see cref="ITrialIdentity"/>).</param>
/// <param name="Parameters">The swept parameters of this trial, key → value as written in the override.</param>
/// <param name="Overrides">The full override list of <c>inversebench run</c> for this trial, in order (later wins).</param>
public sealed record PlannedTrial(int Index, string Id, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Overrides)
{
    /// <summary>The first 12 hex digits of <see cref="Id"/> (experiment folder names, logs).</summary>
    [JsonIgnore]
    public string ShortId => Id.Length > 12 ? Id[..12] : Id;
}

/// <summary>
/// A deterministic list of trials (written by <c>inversebench sweep plan</c>, read by <c>sweep run</c> and <c>sweep emit</c>):
/// the same sweep file, seed, count, overrides and (for bayes) store contents give the same manifest, byte for byte.
/// </summary>
public sealed record SweepManifest
{
    /// <summary>The format tag written in every manifest.</summary>
    public const string CurrentFormat = "inversebench-sweep-manifest/1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // overrides keep their quotes readable: id_list="0-2"
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>Format tag, <see cref="CurrentFormat"/>.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>The sweep's name (trials are grouped by it in the results store).</summary>
    public required string Sweep { get; init; }

    /// <summary>The sweep file it was planned from, as given.</summary>
    public string? Source { get; init; }

    /// <summary>grid, random or bayes.</summary>
    public required SweepMethod Method { get; init; }

    /// <summary>The optimised metric.</summary>
    public required SweepMetric Metric { get; init; }

    /// <summary>The planning seed (random and bayes draws).</summary>
    public long Seed { get; init; }

    /// <summary>The configs folder the trials' overrides refer to, or null for the runner's default.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary>The results store every trial records into (<c>sqlite:///path</c> or <c>postgres://...</c>), or null for the runner's default.</summary>
    public string? Results { get; init; }

    /// <summary>The overrides shared by every trial (the sweep file's command plus the planner's extra overrides).</summary>
    public IReadOnlyList<string> BaseOverrides { get; init; } = [];

    /// <summary>The trials, index i at position i.</summary>
    public required IReadOnlyList<PlannedTrial> Trials { get; init; }

    /// <summary>The manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes the manifest to <paramref name="path"/> (atomically: a temporary file, then a rename).</summary>
    public void Save(string path)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp-" + Environment.ProcessId;
        File.WriteAllText(temp, ToJson());
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Reads a manifest.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="FormatException">Not a manifest of this format, or trials out of order.</exception>
    public static SweepManifest Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Sweep manifest '{path}' does not exist (write one with 'inversebench sweep plan').", path);
        SweepManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<SweepManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"'{path}' is not a sweep manifest: {ex.Message}", ex);
        }

        if (manifest is null || manifest.Format != CurrentFormat)
            throw new FormatException($"'{path}' is not a sweep manifest of format {CurrentFormat} (format '{manifest?.Format}').");
        for (int i = 0; i < manifest.Trials.Count; i++)
        {
            var t = manifest.Trials[i];
            if (t.Index != i || string.IsNullOrEmpty(t.Id))
                throw new FormatException($"'{path}': trial at position {i} has index {t.Index} and id '{t.Id}'; expected index {i} and a non-empty id.");
        }

        return manifest;
    }

    /// <summary>The trial at <paramref name="index"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Outside [0, trial count).</exception>
    public PlannedTrial Trial(int index) => index >= 0 && index < Trials.Count
        ? Trials[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"Sweep '{Sweep}' has {Trials.Count} trial(s): the index must be in 0..{Trials.Count - 1}.");
}
