using System.Collections;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.Checkpoints;

/// <summary>A state dict read from a checkpoint file: ordered <c>key → tensor</c>. Disposing it disposes the tensors.</summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>, IDisposable
{
    private readonly List<KeyValuePair<string, Tensor>> _items;
    private readonly Dictionary<string, Tensor> _map;

    internal StateDict(string filePath, string source, List<KeyValuePair<string, Tensor>> items)
    {
        FilePath = filePath;
        Source = source;
        _items = items;
        _map = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var kv in items)
            if (!_map.TryAdd(kv.Key, kv.Value))
                throw new CheckpointException($"Checkpoint '{filePath}' holds the key '{kv.Key}' twice after prefix stripping.") { FilePath = filePath };
    }

    /// <summary>The file it was read from.</summary>
    public string FilePath { get; }

    /// <summary>Which entry was used: <c>ema</c>, <c>net</c> or <c>flat</c> (the file holds a bare state dict).</summary>
    public string Source { get; }

    /// <inheritdoc />
    public Tensor this[string key] => _map[key];

    /// <inheritdoc />
    public IEnumerable<string> Keys => _items.Select(kv => kv.Key);

    /// <inheritdoc />
    public IEnumerable<Tensor> Values => _items.Select(kv => kv.Value);

    /// <inheritdoc />
    public int Count => _items.Count;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _map.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) => _map.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var kv in _items) kv.Value.Dispose();
        _items.Clear();
        _map.Clear();
    }
}

/// <summary>
/// Reads and writes the reference's checkpoint files: <c>torch.save</c> zip archives holding
/// <c>{'ema': state_dict, 'net': …, 'optimizer': …}</c> (as written by <c>train.py</c>) or a flat state dict, and loads them
/// strictly into networks (reference <c>main.py</c>: <c>net.load_state_dict(ckpt['ema'] if 'ema' in ckpt else ckpt['net'])</c>).
/// </summary>
public static class Checkpoint
{
    private static readonly string[] WrapperPrefixes = ["module.", "_orig_mod."];

    /// <summary>
    /// Reads the state dict of a checkpoint: the <c>ema</c> entry when present, else <c>net</c>, else the file's flat state dict.
    /// <c>module.</c> and <c>_orig_mod.</c> prefixes (DDP / torch.compile) are stripped.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="CheckpointException">The file is not a readable torch checkpoint, or holds no state dict.</exception>
    public static StateDict ReadStateDict(string path)
    {
        Runtime.TorchRuntime.EnsureInitialized();
        var root = TorchPickleReader.Load(path);
        var keep = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        try
        {
            if (root is not PyDict top)
                throw new CheckpointException($"Checkpoint '{path}' holds a {Describe(root)}, not a dict.") { FilePath = path };
            string source;
            PyDict sd;
            if (top.TryGetValue("ema", out var ema) && ema is PyDict e) (source, sd) = ("ema", e);
            else if (top.TryGetValue("net", out var net) && net is PyDict n) (source, sd) = ("net", n);
            else (source, sd) = ("flat", top);
            var items = new List<KeyValuePair<string, Tensor>>();
            foreach (var k in sd.Keys)
                if (k is string key && sd[k] is Tensor t)
                {
                    items.Add(new(StripWrappers(key), t));
                    keep.Add(t);
                }
            if (items.Count == 0)
                throw new CheckpointException($"Checkpoint '{path}' holds no 'ema' or 'net' state dict and no tensors at its top level " +
                                              $"(top-level keys: {string.Join(", ", top.Keys.Take(20))}).") { FilePath = path };
            return new StateDict(path, source, items);
        }
        catch
        {
            keep.Clear();
            throw;
        }
        finally
        {
            DisposeTensors(root, keep, new HashSet<object>(ReferenceEqualityComparer.Instance));
        }
    }

    /// <summary>
    /// Loads a checkpoint into <paramref name="module"/>. Strict by default: one <see cref="CheckpointException"/> lists every
    /// missing, unexpected and shape-mismatched key (shape mismatches are refused even when not strict); NaN or Inf values in a
    /// loaded tensor are refused too. When the module's keys
    /// all start with <c>model.</c> and the file's do not (or the reverse), the prefix is added (removed).
    /// </summary>
    public static void Load(nn.Module module, string path, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var sd = ReadStateDict(path);
        Load(module, sd, strict);
    }

    /// <summary>Copies an already-read state dict into <paramref name="module"/> with the checks of <see cref="Load(nn.Module, string, bool)"/>.</summary>
    public static void Load(nn.Module module, StateDict stateDict, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(stateDict);
        var target = OrderedStateDict(module);
        var targetMap = target.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var source = Reconcile(stateDict.Select(kv => (kv.Key, kv.Value)).ToList(), target.Select(kv => kv.Key).ToList());

        var sourceKeys = new HashSet<string>(source.Select(s => s.Key), StringComparer.Ordinal);
        var missing = target.Where(kv => !sourceKeys.Contains(kv.Key)).Select(kv => kv.Key).ToList();
        var unexpected = source.Where(s => !targetMap.ContainsKey(s.Key)).Select(s => s.Key).ToList();
        var shapes = new List<string>();
        foreach (var (key, value) in source)
            if (targetMap.TryGetValue(key, out var dest) && !dest.shape.SequenceEqual(value.shape))
                shapes.Add($"{key}: checkpoint {Tensors.TensorGuard.Format(value.shape)} vs network {Tensors.TensorGuard.Format(dest.shape)}");
        if (shapes.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new CheckpointException(stateDict.FilePath, missing, unexpected, shapes);
        var nonFinite = source.Where(s => targetMap.ContainsKey(s.Key) && !AllFinite(s.Value)).Select(s => s.Key).ToList();
        if (nonFinite.Count > 0)
        {
            throw new CheckpointException(
                $"Checkpoint '{stateDict.FilePath}' holds NaN or Inf values in {nonFinite.Count} tensor(s): {string.Join(", ", nonFinite.Take(10))}" +
                (nonFinite.Count > 10 ? ", …" : "") + "; a network loaded from it would output NaN.") { FilePath = stateDict.FilePath };
        }

        using var noGrad = no_grad();
        foreach (var (key, value) in source)
            if (targetMap.TryGetValue(key, out var dest))
                dest.copy_(value);
    }

    private static bool AllFinite(Tensor t)
    {
        if (!t.is_floating_point() && !t.is_complex()) return true;
        using var scope = NewDisposeScope();
        return isfinite(t).all().item<bool>();
    }

    /// <summary>
    /// Saves the module's state dict as <c>torch.save({entry: state_dict}, path)</c> would (or a flat state dict when
    /// <paramref name="entry"/> is null), so that Python's <c>torch.load</c> and InverseBench's <c>main.py</c> read it.
    /// </summary>
    public static void Save(string path, nn.Module module, string? entry = "ema")
    {
        ArgumentNullException.ThrowIfNull(module);
        Save(path, OrderedStateDict(module).Select(kv => (kv.Key, kv.Value)).ToList(), entry);
    }

    /// <summary>Saves ordered <c>key → tensor</c> pairs as <c>torch.save({entry: OrderedDict(...)})</c> (flat when <paramref name="entry"/> is null).</summary>
    public static void Save(string path, IReadOnlyList<(string Key, Tensor Value)> stateDict, string? entry = "ema")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(stateDict);
        Runtime.TorchRuntime.EnsureInitialized();
        TorchPickleWriter.Write(path, stateDict, entry);
    }

    /// <summary>
    /// The module's parameters and persistent buffers in PyTorch's <c>state_dict()</c> order (own parameters, own buffers,
    /// then each child recursively). The tensors are the module's own (not copies).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, Tensor>> OrderedStateDict(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var result = new List<KeyValuePair<string, Tensor>>();
        Collect(module, "", result);
        return result;
    }

    private static void Collect(nn.Module module, string prefix, List<KeyValuePair<string, Tensor>> into)
    {
        foreach (var (name, p) in module.named_parameters(recurse: false)) into.Add(new(prefix + name, p));
        foreach (var (name, b) in module.named_buffers(recurse: false, include_nonpersistent: false)) into.Add(new(prefix + name, b));
        foreach (var (name, child) in module.named_children()) Collect(child, prefix + name + ".", into);
    }

    private static string StripWrappers(string key)
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var p in WrapperPrefixes)
                if (key.StartsWith(p, StringComparison.Ordinal)) { key = key[p.Length..]; changed = true; }
        }
        return key;
    }

    private static List<(string Key, Tensor Value)> Reconcile(List<(string Key, Tensor Value)> source, List<string> targetKeys)
    {
        const string model = "model.";
        bool targetPrefixed = targetKeys.Count > 0 && targetKeys.All(k => k.StartsWith(model, StringComparison.Ordinal));
        bool sourcePrefixed = source.Count > 0 && source.All(s => s.Key.StartsWith(model, StringComparison.Ordinal));
        if (targetPrefixed && !source.Any(s => s.Key.StartsWith(model, StringComparison.Ordinal)))
            return source.Select(s => (model + s.Key, s.Value)).ToList();
        if (sourcePrefixed && !targetKeys.Any(k => k.StartsWith(model, StringComparison.Ordinal)))
            return source.Select(s => (s.Key[model.Length..], s.Value)).ToList();
        return source;
    }

    private static string Describe(object? o) => o switch
    {
        null => "None",
        Tensor => "single tensor",
        PyOpaque op => op.Type.ToString(),
        _ => o.GetType().Name,
    };

    internal static void DisposeTensors(object? o, HashSet<Tensor> keep, HashSet<object> seen)
    {
        if (o is null || !seen.Add(o)) return;
        switch (o)
        {
            case Tensor t when !keep.Contains(t): t.Dispose(); break;
            case PyDict d: foreach (var k in d.Keys) DisposeTensors(d[k], keep, seen); break;
            case List<object?> l: foreach (var x in l) DisposeTensors(x, keep, seen); break;
            case object?[] a: foreach (var x in a) DisposeTensors(x, keep, seen); break;
            case PyOpaque op: DisposeTensors(op.Args, keep, seen); break;
        }
    }
}
