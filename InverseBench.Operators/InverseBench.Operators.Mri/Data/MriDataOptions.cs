using InverseBench.Core.Configuration;
using InverseBench.Operators.Mri.Internal;

namespace InverseBench.Operators.Mri.Data;

/// <summary>
/// Settings of the MRI test sets, with the keys of the reference's <c>MultiCoilMRIData</c> / <c>MultiCoilMRILMDBData</c>
/// (<c>root, image_size, mvue_only, slice_range, id_list, simulated_kspace</c>).
/// </summary>
public sealed class MriDataOptions
{
    /// <summary>Folder of the <c>*_sens_maps_espirit</c> HDF5 files (HDF5) or of the <c>kspace</c>/<c>s_maps</c>/<c>mvue</c> environments (LMDB) (<c>root</c>).</summary>
    public string Root { get; set; } = string.Empty;

    /// <summary>Output height (<c>image_size[0]</c>).</summary>
    /// <value>The default is 320.</value>
    public int Height { get; set; } = MriDefaults.Height;

    /// <summary>Output width (<c>image_size[1]</c>).</summary>
    /// <value>The default is 320.</value>
    public int Width { get; set; } = MriDefaults.Width;

    /// <summary>First slice of each volume (<c>slice_range[0]</c>).</summary>
    /// <value>The default is 5.</value>
    public int SliceStart { get; set; } = MriDefaults.SliceStart;

    /// <summary>End of the slice range, added to the slice count as the reference does (<c>slice_range[1]</c>; the range is clipped to the volume).</summary>
    /// <value>The default is −5.</value>
    public int SliceEnd { get; set; } = MriDefaults.SliceEnd;

    /// <summary>Ids of the samples to use (<c>id_list</c>, e.g. <c>0-9</c>); null uses every indexed slice.</summary>
    public string? IdList { get; set; }

    /// <summary>Replace the measured k-space by <c>F(S·mvue_scaled)</c> (<c>simulated_kspace</c>).</summary>
    /// <value>The default is false.</value>
    public bool SimulatedKSpace { get; set; }

    /// <summary>
    /// Reads a <c>data</c> section (<c>_target_</c> and <c>mvue_only</c> are accepted; <c>mvue_only</c> only matters for
    /// training, where the reference returns the bare image).
    /// </summary>
    /// <param name="data">The <c>data</c> section.</param>
    /// <param name="defaultRoot">The root when the key is absent.</param>
    public static MriDataOptions FromConfig(ConfigSection data, string defaultRoot)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.Raw("_target_");
        data.Get("mvue_only", false);
        int[] size = data.Get("image_size", new[] { MriDefaults.Height, MriDefaults.Width });
        int[] range = data.Get("slice_range", new[] { MriDefaults.SliceStart, MriDefaults.SliceEnd });
        if (size.Length != 2) throw new FormatException($"Configuration key '{data.Path}.image_size' must be [H, W]; got {size.Length} values.");
        if (range.Length != 2) throw new FormatException($"Configuration key '{data.Path}.slice_range' must be [start, end]; got {range.Length} values.");
        object? ids = data.Raw("id_list");
        return new MriDataOptions
        {
            Root = data.Get("root", defaultRoot),
            Height = size[0],
            Width = size[1],
            SliceStart = range[0],
            SliceEnd = range[1],
            SimulatedKSpace = data.Get("simulated_kspace", false),
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
}
