using System.Globalization;
using System.Text.RegularExpressions;
using InverseBench.Core.Checkpoints;
using InverseBench.Training.Optimization;
using static TorchSharp.torch;

namespace InverseBench.Training.Checkpoints;

/// <summary>
/// Training checkpoints in the layout of the reference's <c>train.py</c>:
/// <c>torch.save({'net': state_dict, 'ema': state_dict, 'optimizer': Adam.state_dict(), 'scheduler': LambdaLR.state_dict(),
/// 'training_steps': N}, 'ckpts/ckpt_N.pt')</c>. Python's <c>torch.load</c> reads the files, the reference's <c>main.py</c>
/// loads their <c>'ema'</c> entry, its <c>train.py</c> can resume from them, and <see cref="Checkpoint.Load(TorchSharp.torch.nn.Module, string, bool)"/>
/// loads them as priors. <c>training_steps</c> (the number of completed optimizer steps) is the port's addition; without it
/// the step comes from the file name as in the reference.
/// </summary>
public static partial class TrainingCheckpoint
{
    /// <summary>The file name of the checkpoint after <paramref name="step"/> completed steps: <c>ckpt_&lt;step&gt;.pt</c>.</summary>
    public static string FileName(long step) => $"ckpt_{step.ToString(CultureInfo.InvariantCulture)}.pt";

    /// <summary>The newest <c>ckpt_&lt;N&gt;.pt</c> in <paramref name="directory"/> (largest N), or null when there is none.</summary>
    public static string? Latest(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory)) return null;
        return Directory.EnumerateFiles(directory, "ckpt_*.pt")
            .Select(f => (File: f, Step: StepFromFileName(f)))
            .Where(x => x.Step is not null)
            .OrderByDescending(x => x.Step)
            .Select(x => x.File)
            .FirstOrDefault();
    }

    /// <summary>The step in a <c>ckpt_&lt;N&gt;.pt</c> file name (reference: <c>int(basename.split('.')[0].split('_')[-1])</c>), or null.</summary>
    public static long? StepFromFileName(string path)
    {
        var m = StepPattern().Match(Path.GetFileName(path));
        return m.Success && long.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? step : null;
    }

    /// <summary>Writes the checkpoint of a trainer state.</summary>
    /// <param name="path">The file to write (replaced atomically).</param>
    /// <param name="network">The trained network (<c>'net'</c>).</param>
    /// <param name="ema">The EMA network (<c>'ema'</c>).</param>
    /// <param name="optimizer">The Adam state (<c>'optimizer'</c>); its parameters are the network's, in order.</param>
    /// <param name="warmupSteps">The warm-up length (for the scheduler's <c>_last_lr</c>).</param>
    /// <param name="step">Completed optimizer steps.</param>
    public static void Save(string path, nn.Module network, nn.Module ema, AdamOptimizer optimizer, long warmupSteps, long step)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(ema);
        ArgumentNullException.ThrowIfNull(optimizer);
        using var scope = NewDisposeScope();
        var state = new Dictionary<object, object?>();
        for (int i = 0; i < optimizer.Parameters.Count; i++)
        {
            if (optimizer.ExpAvg(i) is not { } m || optimizer.ExpAvgSq(i) is not { } v) continue;
            state[(long)i] = new Dictionary<object, object?>
            {
                ["step"] = tensor((float)optimizer.StepCount),
                ["exp_avg"] = m,
                ["exp_avg_sq"] = v,
            };
        }

        double lr = optimizer.InitialLearningRate;
        double lastLr = TrainingSchedules.WarmupLearningRate(lr, step, warmupSteps);
        var group = new Dictionary<object, object?>
        {
            ["lr"] = lastLr, ["betas"] = new object?[] { optimizer.Beta1, optimizer.Beta2 }, ["eps"] = optimizer.Epsilon, ["weight_decay"] = 0L,
            ["amsgrad"] = false, ["maximize"] = false, ["foreach"] = null, ["capturable"] = false, ["differentiable"] = false, ["fused"] = null,
            ["initial_lr"] = lr, ["params"] = Enumerable.Range(0, optimizer.Parameters.Count).Select(i => (object?)(long)i).ToList(),
        };
        var root = new Dictionary<object, object?>
        {
            ["net"] = Checkpoint.OrderedStateDict(network),
            ["ema"] = Checkpoint.OrderedStateDict(ema),
            ["optimizer"] = new Dictionary<object, object?> { ["state"] = state, ["param_groups"] = new List<object?> { group } },
            ["scheduler"] = new Dictionary<object, object?>
            {
                ["base_lrs"] = new List<object?> { lr }, ["last_epoch"] = step, ["verbose"] = false, ["_step_count"] = step + 1,
                ["_get_lr_called_within_step"] = false, ["_last_lr"] = new List<object?> { lastLr }, ["lr_lambdas"] = new List<object?> { null },
            },
            ["training_steps"] = step,
        };
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        TorchPickleWriter.WriteObject(path, root);
    }

    /// <summary>
    /// Restores a trainer state from <paramref name="path"/>: <c>'net'</c> and <c>'ema'</c> strictly into the two networks,
    /// the Adam moments and step count into <paramref name="optimizer"/>; returns the number of completed steps.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointException">The file lacks an entry, or an entry does not fit the networks.</exception>
    public static long Load(string path, nn.Module network, nn.Module ema, AdamOptimizer optimizer)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(ema);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!File.Exists(path)) throw new FileNotFoundException($"The training checkpoint '{path}' does not exist.", path);
        Core.Runtime.TorchRuntime.EnsureInitialized();
        var root = TorchPickleReader.Load(path);
        try
        {
            if (root is not PyDict top) throw Fail(path, "does not hold a dict");
            LoadStateDict(path, top, "net", network);
            LoadStateDict(path, top, "ema", ema);
            long step = top.TryGetValue("training_steps", out var s) && s is long ls ? ls
                : StepFromFileName(path) ?? throw Fail(path, "has no 'training_steps' entry and its name is not ckpt_<N>.pt");
            if (!top.TryGetValue("optimizer", out var o) || o is not PyDict opt || !opt.TryGetValue("state", out var st) || st is not PyDict state)
                throw Fail(path, "has no 'optimizer' entry with a 'state' dict (it is not a training checkpoint)");
            var moments = new (Tensor, Tensor)?[optimizer.Parameters.Count];
            long stepCount = 0;
            foreach (var key in state.Keys)
            {
                int index = key is long k && k >= 0 && k < moments.Length ? (int)k
                    : throw Fail(path, $"holds optimizer state for parameter {key}, but the network has {moments.Length} parameters");
                if (state[key] is not PyDict entry || entry.TryGetValue("exp_avg", out var m) is false || m is not Tensor mt
                    || entry.TryGetValue("exp_avg_sq", out var v) is false || v is not Tensor vt || entry.TryGetValue("step", out var stp) is false)
                    throw Fail(path, $"optimizer state {index} lacks 'step', 'exp_avg' or 'exp_avg_sq'");
                stepCount = stp switch
                {
                    Tensor t => (long)t.to(ScalarType.Float64).item<double>(),
                    long l => l,
                    double d => (long)d,
                    _ => throw Fail(path, $"optimizer state {index} has a 'step' of type {stp?.GetType().Name ?? "None"}"),
                };
                moments[index] = (mt, vt);
            }

            try
            {
                optimizer.Restore(stepCount, moments);
            }
            catch (ArgumentException ex)
            {
                throw new CheckpointException($"Training checkpoint '{path}': {ex.Message}", ex) { FilePath = path };
            }

            return step;
        }
        finally
        {
            Checkpoint.DisposeTensors(root, new HashSet<Tensor>(ReferenceEqualityComparer.Instance), new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
    }

    private static void LoadStateDict(string path, PyDict top, string entry, nn.Module into)
    {
        if (!top.TryGetValue(entry, out var value) || value is not PyDict sd)
            throw Fail(path, $"has no '{entry}' state dict (top-level keys: {string.Join(", ", top.Keys)})");
        var items = new List<KeyValuePair<string, Tensor>>();
        foreach (var k in sd.Keys)
            if (k is string key && sd[k] is Tensor t) items.Add(new(key, t));
        // The StateDict only wraps the tensors: they belong to the pickle tree, which the caller disposes.
        var stateDict = new StateDict(path, entry, items);
        Checkpoint.Load(into, stateDict, strict: true);
    }

    private static CheckpointException Fail(string path, string what) =>
        new($"Training checkpoint '{path}' {what}.") { FilePath = path };

    [GeneratedRegex(@"^ckpt_(\d+)\.pt$", RegexOptions.CultureInvariant)]
    private static partial Regex StepPattern();
}
