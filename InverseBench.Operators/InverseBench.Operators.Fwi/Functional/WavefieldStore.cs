using static TorchSharp.torch;

namespace InverseBench.Operators.Fwi.Functional;

/// <summary>
/// The forward wavefield <c>u[n]</c>, n = 1 … nt−2, as the adjoint needs it (newest first). With interval 1 every field is
/// kept (memory <c>nt</c> snapshots); with interval k only the pairs (u[c−1], u[c]) at c = 1, 1+k, 1+2k, … are kept and each
/// k-step segment is recomputed by the solver when the adjoint first reaches it (memory <c>2·nt/k + k</c> snapshots, one
/// extra forward solve in total). Recomputation repeats the very same operations, so the results do not depend on k.
/// Owns its tensors.
/// </summary>
internal sealed class WavefieldStore : IDisposable
{
    private readonly int _interval;
    private readonly int _last;
    private readonly Dictionary<int, Tensor> _fields = [];
    private readonly Dictionary<int, (Tensor Previous, Tensor Current)> _checkpoints = [];

    /// <summary>Creates an empty store.</summary>
    /// <param name="interval">1 to keep every field, k &gt; 1 for checkpoints every k steps.</param>
    /// <param name="timeSteps">nt; fields 1 … nt−2 are stored.</param>
    public WavefieldStore(int interval, int timeSteps)
    {
        _interval = interval;
        _last = timeSteps - 2;
    }

    /// <summary>Keeps <c>u[n]</c> (interval 1); the store owns it.</summary>
    public void Keep(int n, Tensor field) => _fields[n] = field;

    /// <summary>Keeps the checkpoint pair (u[n−1], u[n]); the store owns them.</summary>
    public void Checkpoint(int n, Tensor previous, Tensor current) => _checkpoints[n] = (previous, current);

    /// <summary><c>u[n]</c>, recomputing its segment from the checkpoint when needed (the store owns the result).</summary>
    public Tensor Get(int n, AcousticWaveSolver solver)
    {
        if (_fields.TryGetValue(n, out var field)) return field;
        if (_interval == 1) throw new InvalidOperationException($"The forward wavefield at step {n} was not stored.");
        int first = 1 + (n - 1) / _interval * _interval;
        if (!_checkpoints.TryGetValue(first, out var pair))
            throw new InvalidOperationException($"No checkpoint at step {first} for step {n}.");
        int last = Math.Min(first + _interval - 1, _last);
        var recomputed = solver.Recompute(pair.Previous, pair.Current, first, last);
        for (int i = 0; i < recomputed.Count; i++) _fields[first + 1 + i] = recomputed[i];
        _checkpoints.Remove(first);
        _fields[first] = pair.Current;
        pair.Previous.Dispose();
        return _fields[n];
    }

    /// <summary>Frees <c>u[n]</c> once the adjoint has used it.</summary>
    public void Release(int n)
    {
        if (_fields.Remove(n, out var field)) field.Dispose();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var field in _fields.Values) field.Dispose();
        foreach (var (previous, current) in _checkpoints.Values)
        {
            previous.Dispose();
            current.Dispose();
        }

        _fields.Clear();
        _checkpoints.Clear();
    }
}
