using InverseBench.Core.Configuration;
using InverseBench.Operators.BlackHole.Internal;

namespace InverseBench.Operators.BlackHole.Data;

/// <summary>Settings of the reference's <c>training.dataset.BlackHole</c> (keys of blackhole.yaml's <c>data</c> block in each summary).</summary>
public sealed class BlackHoleDatasetOptions
{
    /// <summary>LMDB folder (<c>root</c>).</summary>
    /// <value>The default is <c>../data/blackhole/test</c> (blackhole.yaml).</value>
    public string Root { get; set; } = BlackHoleDefaults.DataRoot;

    /// <summary>Output side (<c>resolution</c>).</summary>
    /// <value>The default is 64.</value>
    public int Resolution { get; set; } = BlackHoleDefaults.DataResolution;

    /// <summary>Stored side of the float64 <c>[1, r, r]</c> values (<c>original_resolution</c>).</summary>
    /// <value>The default is 64 (blackhole.yaml; the class default is 400).</value>
    public int OriginalResolution { get; set; } = BlackHoleDefaults.DataOriginalResolution;

    /// <summary>50 % left-right and 50 % up-down flips (<c>random_flip</c>; training augmentation).</summary>
    /// <value>The default is false (blackhole.yaml).</value>
    public bool RandomFlip { get; set; }

    /// <summary>Random zoom by <c>U(zoom_range)</c> with centre crop / pad (<c>zoom_in_out</c>; training augmentation).</summary>
    /// <value>The default is false (blackhole.yaml).</value>
    public bool ZoomInOut { get; set; }

    /// <summary>Zoom factor range (<c>zoom_range</c>).</summary>
    /// <value>The default is [0.833, 1.145] (class default).</value>
    public IReadOnlyList<double> ZoomRange { get; set; } = BlackHoleDefaults.ZoomRange;

    /// <summary>Sample ids (<c>id_list</c>, e.g. <c>0-99</c>); null = every entry.</summary>
    /// <value>The default is <c>0-99</c> (blackhole.yaml).</value>
    public string? IdList { get; set; } = BlackHoleDefaults.DataIdList;

    /// <summary>
    /// Reproduces the reference quirk of reading key <c>str(index)</c> instead of <c>str(id_list[index])</c> (spec §11 item 9).
    /// </summary>
    /// <value>The default is false (read the listed ids).</value>
    public bool ReferenceIgnoresIdList { get; set; }

    /// <summary>Seed of the augmentation generator (flips, zoom).</summary>
    /// <value>The default is 0.</value>
    public long AugmentationSeed { get; set; }

    /// <summary>Reads the options from a <c>data</c> section with the reference's keys (missing keys keep the defaults).</summary>
    public static BlackHoleDatasetOptions FromConfig(ConfigSection data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var d = new BlackHoleDatasetOptions();
        return new BlackHoleDatasetOptions
        {
            Root = data.Get("root", d.Root),
            Resolution = data.Get("resolution", d.Resolution),
            OriginalResolution = data.Get("original_resolution", d.OriginalResolution),
            RandomFlip = data.Get("random_flip", d.RandomFlip),
            ZoomInOut = data.Get("zoom_in_out", d.ZoomInOut),
            ZoomRange = data.Get("zoom_range", d.ZoomRange.ToArray()),
            IdList = data.Get<string?>("id_list", d.IdList),
            ReferenceIgnoresIdList = data.Get("reference_ignores_id_list", d.ReferenceIgnoresIdList),
            AugmentationSeed = data.Get("augmentation_seed", d.AugmentationSeed),
        };
    }
}
