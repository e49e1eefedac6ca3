using InverseBench.Core.IO.Lmdb;
using InverseBench.Core.Runtime;
using InverseBench.Operators.Mri.Functional;
using InverseBench.Operators.Mri.Internal;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Data;

/// <summary>
/// The reference's <c>training/dataset.py</c> <c>MultiCoilMRIData</c>: fastMRI multi-coil volumes with precomputed
/// ESPIRiT maps. <see cref="MriDataOptions.Root"/> holds the <c>*_sens_maps_espirit</c> files (dataset <c>s_maps</c>,
/// <c>[S, C, H0, W0]</c>); the raw k-space (dataset <c>kspace</c>) is read from the same path with
/// <c>_sens_maps_espirit</c> removed.
/// </summary>
/// <remarks>
/// <para>Index: files in ordinal order; a path containing <c>brain</c> but not <c>T2</c> is skipped; every slice in
/// <c>[slice_range[0], S + slice_range[1])</c> is one sample; brain indexing stops once more than 500 slices are
/// listed. <c>id_list</c> picks samples from that index.</para>
/// <para>Per sample: k-space is cropped to W columns, inverse-transformed along the readout axis, cropped to H rows and
/// transformed back; the maps are taken to k-space, cropped the same way and brought back; then the MVUE, its 99th
/// percentile of magnitude, and the scaled target and k-space (or simulated k-space) are formed — all as the reference.</para>
/// </remarks>
public sealed class FastMriDataset : MriDatasetBase
{
    /// <summary>The dataset of ESPIRiT sensitivity maps.</summary>
    public const string MapsKey = "s_maps";

    /// <summary>The dataset of raw multi-coil k-space.</summary>
    public const string KSpaceKey = "kspace";

    private readonly MriDataOptions _options;
    private readonly List<(string File, int Slice)> _index = [];
    private readonly int[] _ids;

    /// <summary>Indexes the volumes of <see cref="MriDataOptions.Root"/>.</summary>
    /// <param name="options">Root, size, slice range, ids, simulated k-space.</param>
    /// <param name="bindTo">Operator that receives each sample's maps and k-space when its target is read (null: none).</param>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="FileNotFoundException">The root holds no HDF5 file.</exception>
    public FastMriDataset(MriDataOptions options, MultiCoilMriOperator? bindTo = null)
        : base(bindTo)
    {
        ArgumentNullException.ThrowIfNull(options);
        TorchRuntime.EnsureInitialized();
        _options = options;
        if (!Directory.Exists(options.Root)) throw new DirectoryNotFoundException($"fastMRI data root '{Path.GetFullPath(options.Root)}' does not exist.");
        var files = Directory.EnumerateFiles(options.Root).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new FileNotFoundException($"fastMRI data root '{Path.GetFullPath(options.Root)}' holds no files.");
        foreach (var file in files)
        {
            bool brain = file.Contains("brain", StringComparison.Ordinal);
            if (brain && !file.Contains("T2", StringComparison.Ordinal)) continue;
            int slices = FastMriHdf5.SliceCount(file, MapsKey);
            int end = Math.Min(slices, slices + options.SliceEnd);          // range(start, len + slice_range[1]), kept inside the volume
            for (int s = options.SliceStart; s < end; s++) _index.Add((file, s));
            if (brain && _index.Count > MriDefaults.BrainSliceLimit) break;
        }

        _ids = options.IdList is null ? Enumerable.Range(0, _index.Count).ToArray() : IdList.Parse(options.IdList).ToArray();
        foreach (int id in _ids)
        {
            if (id < 0 || id >= _index.Count)
                throw new ArgumentException($"id_list entry {id} is outside the {_index.Count} slices indexed under '{Path.GetFullPath(options.Root)}'.", nameof(options));
        }
    }

    /// <inheritdoc />
    public override int Count => _ids.Length;

    /// <inheritdoc />
    public override IReadOnlyList<int> Ids => _ids;

    /// <summary>The (file, slice) of every indexed sample, in index order (reference <c>self.data</c>).</summary>
    public IReadOnlyList<(string File, int Slice)> Index => _index;

    /// <summary>The raw k-space file of a maps file: the path with <c>_sens_maps_espirit</c> removed (as the reference).</summary>
    /// <param name="mapsFile">A file of the root.</param>
    public static string KSpaceFile(string mapsFile) => (mapsFile ?? throw new ArgumentNullException(nameof(mapsFile))).Replace("_sens_maps_espirit", string.Empty, StringComparison.Ordinal);

    /// <inheritdoc />
    public override MriSample GetSample(int index)
    {
        CheckIndex(index);
        var (file, slice) = _index[_ids[index]];
        using var scope = NewDisposeScope();
        var maps = FastMriHdf5.ReadComplexSlice(file, MapsKey, slice);
        // The MVUE needs the measured k-space even when the observation is simulated.
        var kspace = FastMriHdf5.ReadComplexSlice(KSpaceFile(file), KSpaceKey, slice);

        var (k, m) = Crop(kspace, maps, _options.Height, _options.Width);
        var mvue = CoilCombination.Mvue(k.unsqueeze(0), m.unsqueeze(0))[0];
        var sample = Scaled(mvue, m, k, _options.SimulatedKSpace);
        return sample;
    }

    /// <summary>
    /// The reference's field-of-view reduction of one slice: k-space and maps <c>[C, H0, W0]</c> → <c>[C, H, W]</c>
    /// (complex128), cropping phase-encode columns in k-space and readout rows in the image domain.
    /// </summary>
    /// <param name="kspace">Raw k-space of one slice.</param>
    /// <param name="maps">ESPIRiT maps of the slice (image domain).</param>
    /// <param name="height">Output H.</param>
    /// <param name="width">Output W.</param>
    public static (Tensor KSpace, Tensor Maps) Crop(Tensor kspace, Tensor maps, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(kspace);
        ArgumentNullException.ThrowIfNull(maps);
        if (kspace.dim() != 3 || maps.dim() != 3 || kspace.shape[0] != maps.shape[0])
        {
            throw new InvalidDataException(
                $"kspace [{string.Join(", ", kspace.shape)}] and s_maps [{string.Join(", ", maps.shape)}] must both be [C, H, W] with the same coil count.");
        }

        using var scope = NewDisposeScope();
        var k = kspace.to_type(ScalarType.ComplexFloat64);
        k = CenteredResize.Apply(k, k.shape[1], width);
        k = CenteredFft.Inverse1D(k, -2);
        k = CenteredResize.Apply(k, height, width);
        k = CenteredFft.Forward1D(k, -2);

        var m = maps.to_type(ScalarType.ComplexFloat64);
        m = CenteredFft.Forward1D(CenteredFft.Forward1D(m, -1), -2);
        m = CenteredResize.Apply(m, m.shape[1], width);
        m = CenteredFft.Inverse1D(m, -2);
        m = CenteredResize.Apply(m, height, width);
        m = CenteredFft.Forward1D(m, -2);
        m = CenteredFft.Inverse1D(CenteredFft.Inverse1D(m, -1), -2);
        return (scope.MoveToOuter(k), scope.MoveToOuter(m));
    }
}
