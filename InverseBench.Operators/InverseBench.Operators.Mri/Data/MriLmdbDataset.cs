using System.Globalization;
using System.Runtime.InteropServices;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Data;

/// <summary>
/// The reference's <c>training/dataset.py</c> <c>MultiCoilMRILMDBData</c>: three LMDB environments under
/// <see cref="MriDataOptions.Root"/> — <c>mvue</c> (<c>[1, H, W]</c>), <c>s_maps</c> and <c>kspace</c> (<c>[C, H, W]</c>,
/// already cropped) — each value raw little-endian complex64 under the key <c>str(id)</c>. Read with the shared
/// <see cref="LmdbReader"/>; MVUE and k-space are divided by the 99th percentile of <c>|mvue|</c>.
/// </summary>
public sealed class MriLmdbDataset : MriDatasetBase
{
    /// <summary>Sub-environment of the MVUE images.</summary>
    public const string MvueEnvironment = "mvue";

    /// <summary>Sub-environment of the sensitivity maps.</summary>
    public const string MapsEnvironment = "s_maps";

    /// <summary>Sub-environment of the k-space.</summary>
    public const string KSpaceEnvironment = "kspace";

    private readonly MriDataOptions _options;
    private readonly LmdbReader _mvue;
    private readonly LmdbReader _maps;
    private readonly LmdbReader? _kspace;
    private readonly int[] _ids;

    /// <summary>Opens the three environments.</summary>
    /// <param name="options">Root, size, ids, simulated k-space (slice range is not used).</param>
    /// <param name="bindTo">Operator that receives each sample's maps and k-space when its target is read (null: none).</param>
    /// <exception cref="DirectoryNotFoundException">An environment is missing.</exception>
    public MriLmdbDataset(MriDataOptions options, MultiCoilMriOperator? bindTo = null)
        : base(bindTo)
    {
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.EnsureInitialized();
        _options = options;
        if (!Directory.Exists(options.Root)) throw new DirectoryNotFoundException($"MRI LMDB root '{Path.GetFullPath(options.Root)}' does not exist.");
        _mvue = LmdbReader.Open(Path.Combine(options.Root, MvueEnvironment));
        try
        {
            _maps = LmdbReader.Open(Path.Combine(options.Root, MapsEnvironment));
            _kspace = options.SimulatedKSpace ? null : LmdbReader.Open(Path.Combine(options.Root, KSpaceEnvironment));
        }
        catch
        {
            _mvue.Dispose();
            _maps?.Dispose();
            throw;
        }

        _ids = options.IdList is null ? Enumerable.Range(0, checked((int)_mvue.Count)).ToArray() : IdList.Parse(options.IdList).ToArray();
    }

    /// <inheritdoc />
    public override int Count => _ids.Length;

    /// <inheritdoc />
    public override IReadOnlyList<int> Ids => _ids;

    /// <inheritdoc />
    public override MriSample GetSample(int index)
    {
        CheckIndex(index);
        string key = _ids[index].ToString(CultureInfo.InvariantCulture);
        using var scope = NewDisposeScope();
        var mvue = Complex(_mvue, MvueEnvironment, key, 1)[0];
        var maps = Complex(_maps, MapsEnvironment, key, -1);
        var kspace = _kspace is null ? null : Complex(_kspace, KSpaceEnvironment, key, -1);
        if (kspace is not null && !kspace.shape.SequenceEqual(maps.shape))
        {
            throw new InvalidDataException(
                $"Sample '{key}': kspace [{string.Join(", ", kspace.shape)}] and s_maps [{string.Join(", ", maps.shape)}] in '{_options.Root}' differ in shape.");
        }

        return Scaled(mvue, maps, kspace, _options.SimulatedKSpace);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (!disposing) return;
        _mvue.Dispose();
        _maps.Dispose();
        _kspace?.Dispose();
    }

    private Tensor Complex(LmdbReader reader, string environment, string key, int leading)
    {
        if (!reader.TryGet(System.Text.Encoding.UTF8.GetBytes(key), out var bytes))
            throw new KeyNotFoundException($"Key '{key}' is missing from LMDB environment '{Path.Combine(_options.Root, environment)}'.");
        long plane = (long)_options.Height * _options.Width;
        if (bytes.Length % (8 * plane) != 0 || bytes.Length == 0 || (leading > 0 && bytes.Length != 8 * plane * leading))
        {
            throw new InvalidDataException(
                $"Value '{key}' of '{Path.Combine(_options.Root, environment)}' has {bytes.Length} bytes; expected complex64 " +
                $"[{(leading > 0 ? leading.ToString(CultureInfo.InvariantCulture) : "C")}, {_options.Height}, {_options.Width}] (a multiple of {8 * plane} bytes; check image_size).");
        }

        var floats = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        using var real = tensor(floats).reshape(-1, _options.Height, _options.Width, 2);
        return view_as_complex(real).clone();
    }
}
