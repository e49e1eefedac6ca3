using System.Globalization;
using System.Runtime.InteropServices;
using InverseBench.Core.Abstractions;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.BlackHole.Data;

/// <summary>
/// The reference's black-hole image set (<c>training/dataset.py</c> <c>BlackHole</c>): LMDB entries keyed <c>str(id)</c>
/// holding float64 <c>[1, r, r]</c> images. Each target is resized to the resolution (bilinear, antialiased) — or, with
/// <see cref="BlackHoleDatasetOptions.ZoomInOut"/>, resized to <c>int(res·U(zoom_range))</c> then centre-cropped or padded
/// (left/top get the odd pixel) — normalised as <c>2·img/max(img) − 1</c>, and with
/// <see cref="BlackHoleDatasetOptions.RandomFlip"/> flipped left-right and up-down with probability ½ each. Augmentation
/// draws come from a generator seeded from (<see cref="BlackHoleDatasetOptions.AugmentationSeed"/>, index), so a sample is
/// reproducible. Targets are <c>[1, 1, res, res]</c> float32.
/// </summary>
public sealed class BlackHoleDataset : IProblemDataset, IDisposable
{
    private readonly LmdbReader _reader;
    private readonly IReadOnlyList<int> _ids;

    /// <summary>Opens the database.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">It holds no <c>data.mdb</c>.</exception>
    public BlackHoleDataset(BlackHoleDatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Resolution < 2 || options.OriginalResolution < 2)
            throw new ArgumentException($"resolution ({options.Resolution}) and original_resolution ({options.OriginalResolution}) must be at least 2.", nameof(options));
        if (options.ZoomRange.Count != 2 || !(options.ZoomRange[0] > 0) || options.ZoomRange[1] < options.ZoomRange[0])
            throw new ArgumentException($"zoom_range must be [low, high] with 0 < low ≤ high; got [{string.Join(", ", options.ZoomRange)}].", nameof(options));
        TorchRuntime.EnsureInitialized();
        Options = options;
        _reader = LmdbReader.Open(options.Root);
        _ids = options.IdList is null ? Enumerable.Range(0, checked((int)_reader.Count)).ToArray() : IdList.Parse(options.IdList);
    }

    /// <summary>The settings.</summary>
    public BlackHoleDatasetOptions Options { get; }

    /// <inheritdoc />
    public int Count => _ids.Count;

    /// <inheritdoc />
    public string GetId(int index) => Key(index);

    /// <summary>The stored image of sample <paramref name="index"/>, <c>[1, r, r]</c> float64.</summary>
    /// <exception cref="InvalidDataException">The value is not <c>r·r</c> float64 values.</exception>
    public Tensor GetRaw(int index)
    {
        string key = Key(index);
        var bytes = _reader.Get(key);
        int r = Options.OriginalResolution;
        if (bytes.Length != 8L * r * r)
            throw new InvalidDataException($"LMDB '{_reader.FilePath}': value of key '{key}' has {bytes.Length} bytes; expected float64 [1, {r}, {r}] ({8L * r * r} bytes).");
        var values = MemoryMarshal.Cast<byte, double>(bytes).ToArray();
        return tensor(values, [1, r, r], ScalarType.Float64);
    }

    /// <inheritdoc />
    public Tensor GetTarget(int index)
    {
        using var scope = NewDisposeScope();
        var img = GetRaw(index).unsqueeze(0);
        int res = Options.Resolution;
        var generator = new Generator(unchecked((ulong)Options.AugmentationSeed * 1_000_003UL + (ulong)index));
        if (Options.ZoomInOut)
        {
            double scale = Options.ZoomRange[0] + (Options.ZoomRange[1] - Options.ZoomRange[0]) * rand(1, ScalarType.Float64, generator: generator).item<double>();
            int zoom = (int)(res * scale);
            img = Resize(img, zoom);
            if (zoom > res)
            {
                int top = (int)Math.Round((zoom - res) / 2.0, MidpointRounding.ToEven);
                img = img.narrow(2, top, res).narrow(3, top, res);
            }
            else if (zoom < res)
            {
                int diff = res - zoom;
                int before = diff / 2 + diff % 2, after = diff / 2;
                img = nn.functional.pad(img, [before, after, before, after]);
            }
        }
        else
        {
            img = Resize(img, res);
        }

        img = img / img.max();
        img = 2 * img - 1;
        if (Options.RandomFlip && rand(1, ScalarType.Float64, generator: generator).item<double>() < 0.5) img = img.flip(3);
        if (Options.RandomFlip && rand(1, ScalarType.Float64, generator: generator).item<double>() < 0.5) img = img.flip(2);
        return scope.MoveToOuter(img.to_type(ScalarType.Float32).contiguous());
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    private static Tensor Resize(Tensor img, int size) =>
        img.shape[2] == size && img.shape[3] == size
            ? img
            : nn.functional.interpolate(img, size: [size, size], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);

    private string Key(int index)
    {
        if ((uint)index >= (uint)_ids.Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {_ids.Count} samples.");
        return (Options.ReferenceIgnoresIdList ? index : _ids[index]).ToString(CultureInfo.InvariantCulture);
    }
}
