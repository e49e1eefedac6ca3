using System.Globalization;
using System.Runtime.InteropServices;
using InverseBench.Core.Abstractions;
using InverseBench.Core.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Core.IO.Lmdb;

/// <summary>Settings of <see cref="LmdbDataset"/> (reference <c>training.dataset.LMDBData</c> keyword arguments in brackets).</summary>
public sealed class LmdbDatasetOptions
{
    /// <summary>
    /// Reads a <c>data</c> section with the reference's <c>LMDBData</c> keys (<c>root, resolution, raw_resolution,
    /// num_channels, norm, mean, std, id_list</c>; <c>_target_</c> is accepted and ignored). Missing keys take the values
    /// of <paramref name="defaults"/>; <c>id_list</c> may be a string such as <c>0-9</c> or <c>1,3,5</c>, an integer, or a list.
    /// </summary>
    public static LmdbDatasetOptions FromConfig(InverseBench.Core.Configuration.ConfigSection data, LmdbDatasetOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(defaults);
        data.Raw("_target_");
        object? ids = data.Has("id_list") ? data.Raw("id_list") : defaults.IdList;
        return new LmdbDatasetOptions
        {
            Root = data.Get("root", defaults.Root),
            Resolution = data.Get("resolution", defaults.Resolution),
            RawResolution = data.Get("raw_resolution", defaults.RawResolution),
            Channels = data.Get("num_channels", defaults.Channels),
            Normalize = data.Get("norm", defaults.Normalize),
            Mean = data.Get("mean", defaults.Mean),
            Std = data.Get("std", defaults.Std),
            IdList = ids switch
            {
                null => null,
                string text => text,
                System.Collections.IEnumerable list => string.Join(",", list.Cast<object?>()
                    .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture))),
                var single => Convert.ToString(single, System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    /// <summary>The LMDB environment directory (<c>root</c>).</summary>
    public string Root { get; set; } = string.Empty;

    /// <summary>Side length of the returned targets (<c>resolution</c>); resized when it differs from the stored one.</summary>
    /// <value>The default is 128 (LMDBData default).</value>
    public int Resolution { get; set; } = 128;

    /// <summary>
    /// Side length of the stored arrays (<c>raw_resolution</c>); null infers it from the value size
    /// (<c>bytes / 4 / channels</c> must be a square). When set, every value must have exactly that size.
    /// </summary>
    /// <value>The default is null (inferred; the reference's default is 128).</value>
    public int? RawResolution { get; set; }

    /// <summary>Channels per stored array (<c>num_channels</c>).</summary>
    /// <value>The default is 1.</value>
    public int Channels { get; set; } = 1;

    /// <summary>Apply <c>(x − Mean)/(2·Std)</c> (<c>norm</c>).</summary>
    /// <value>The default is true.</value>
    public bool Normalize { get; set; } = true;

    /// <summary>Normalisation mean (<c>mean</c>).</summary>
    /// <value>The default is 0.</value>
    public double Mean { get; set; }

    /// <summary>Normalisation standard deviation (<c>std</c>); targets are divided by <c>2·Std</c>.</summary>
    /// <value>The default is 5 (LMDBData default).</value>
    public double Std { get; set; } = 5.0;

    /// <summary>Which entries, as the reference's <c>id_list</c> string (<c>0-9</c>, <c>1,3,5</c>; see <see cref="IdList.Parse"/>); null = all entries 0..n−1.</summary>
    public string? IdList { get; set; }

    /// <summary>Adds a message to <paramref name="errors"/> for every invalid setting.</summary>
    public void Validate(List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(Root)) errors.Add("Root (root) must name the LMDB directory");
        if (Resolution < 1) errors.Add($"Resolution (resolution) must be ≥ 1; got {Resolution}");
        if (RawResolution is < 1) errors.Add($"RawResolution (raw_resolution) must be ≥ 1; got {RawResolution}");
        if (Channels < 1) errors.Add($"Channels (num_channels) must be ≥ 1; got {Channels}");
        if (!double.IsFinite(Mean)) errors.Add($"Mean (mean) must be finite; got {Mean}");
        if (!double.IsFinite(Std) || Std == 0) errors.Add($"Std (std) must be finite and non-zero; got {Std}");
    }

    /// <summary>Throws an <see cref="ArgumentException"/> listing every invalid setting of <paramref name="options"/>.</summary>
    public static void ThrowIfInvalid(LmdbDatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        options.Validate(errors);
        if (errors.Count > 0) throw new ArgumentException($"Invalid {nameof(LmdbDatasetOptions)}: {string.Join("; ", errors)}.", nameof(options));
    }
}

/// <summary>
/// A test set stored in LMDB, with the reference's <c>training.dataset.LMDBData</c> semantics (shared by Navier–Stokes,
/// inverse scattering and FWI): key = the decimal id as UTF-8 (<c>"0"</c>, <c>"1"</c>, …, not zero-padded), value = raw
/// little-endian float32 <c>[C, r, r]</c> in C order; an antialiased bilinear resize when the requested resolution differs
/// from the stored one; then <c>(x − mean)/(2·std)</c>. Targets come back as <c>[1, C, R, R]</c> float32.
/// </summary>
/// <remarks>Files are read by the managed <see cref="LmdbReader"/> (no native liblmdb needed). The database stays open
/// until <see cref="Dispose"/>; ids are checked lazily, so a missing key fails on access with its id and the file.</remarks>
public sealed class LmdbDataset : IProblemDataset, IDisposable
{
    private readonly LmdbReader _reader;
    private readonly IReadOnlyList<int> _ids;

    /// <summary>Opens the database.</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">It holds no <c>data.mdb</c>.</exception>
    /// <exception cref="LmdbFormatException">The file is not a readable LMDB database.</exception>
    public LmdbDataset(LmdbDatasetOptions options)
    {
        LmdbDatasetOptions.ThrowIfInvalid(options);
        TorchRuntime.EnsureInitialized();
        Options = options;
        _reader = LmdbReader.Open(options.Root);
        _ids = options.IdList is null
            ? Enumerable.Range(0, checked((int)_reader.Count)).ToArray()
            : Lmdb.IdList.Parse(options.IdList);
    }

    /// <summary>The settings.</summary>
    public LmdbDatasetOptions Options { get; }

    /// <summary>The ids of the samples, in order (reference <c>id_list</c>).</summary>
    public IReadOnlyList<int> Ids => _ids;

    /// <summary>Number of entries stored in the database.</summary>
    public long StoredEntries => _reader.Count;

    /// <inheritdoc />
    public int Count => _ids.Count;

    /// <inheritdoc />
    public string GetId(int index) => Id(index).ToString(CultureInfo.InvariantCulture);

    /// <summary>The stored array of sample <paramref name="index"/>, un-normalised and not resized: <c>[C, r, r]</c> float32.</summary>
    /// <exception cref="KeyNotFoundException">The id is not in the database.</exception>
    /// <exception cref="InvalidDataException">The value size does not fit <c>[C, r, r]</c> float32.</exception>
    public Tensor GetRaw(int index)
    {
        int id = Id(index);
        var bytes = _reader.Get(id.ToString(CultureInfo.InvariantCulture));
        int c = Options.Channels;
        if (bytes.Length % (4 * c) != 0)
            throw new InvalidDataException($"LMDB '{_reader.FilePath}': value of key '{id}' has {bytes.Length} bytes, not a whole number of float32 [{c}, r, r] arrays.");
        long perChannel = bytes.Length / 4 / c;
        int raw = (int)Math.Round(Math.Sqrt(perChannel));
        if ((long)raw * raw != perChannel || (Options.RawResolution is { } expected && expected != raw))
        {
            string want = Options.RawResolution is { } e ? $"[{c}, {e}, {e}] ({4L * c * e * e} bytes)" : $"[{c}, r, r]";
            throw new InvalidDataException($"LMDB '{_reader.FilePath}': value of key '{id}' has {bytes.Length} bytes; expected float32 {want}.");
        }

        var floats = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            for (int i = 0; i < floats.Length; i++)
                floats[i] = BitConverter.Int32BitsToSingle(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(floats[i])));
        }

        return tensor(floats, [c, raw, raw]);
    }

    /// <inheritdoc />
    public Tensor GetTarget(int index)
    {
        using var scope = NewDisposeScope();
        var img = GetRaw(index).unsqueeze(0);
        int r = Options.Resolution;
        if (img.shape[2] != r)
        {
            img = nn.functional.interpolate(img, size: [r, r], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        }

        if (Options.Normalize) img = (img - Options.Mean) / (2 * Options.Std);
        return scope.MoveToOuter(img.to(ScalarType.Float32).contiguous());
    }

    /// <summary>Maps a normalised target back to stored units: <c>x·2·std + mean</c>.</summary>
    public Tensor Unnormalize(Tensor normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        using var scope = NewDisposeScope();
        return scope.MoveToOuter(normalized * (2 * Options.Std) + Options.Mean);
    }

    private int Id(int index)
    {
        if ((uint)index >= (uint)_ids.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The dataset has {_ids.Count} samples.");
        return _ids[index];
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
