using System.Globalization;
using InverseBench.Core.Configuration;
using InverseBench.Operators.ImageRestoration.Internal;

namespace InverseBench.Operators.ImageRestoration.Data;

/// <summary>Settings of <see cref="ImageFolderDataset"/>: the reference's <c>training.dataset.ImageFolder</c> keys.</summary>
public sealed class ImageFolderOptions
{
    /// <summary>The image folder (<c>root</c>).</summary>
    /// <value>The default is <c>../data/ffhq256</c> (ffhq256_*.yaml).</value>
    public string Root { get; set; } = ImageRestorationDefaults.DataRoot;

    /// <summary>
    /// Which images (<c>id_list</c>, e.g. <c>0-9</c> or <c>1,3,5</c>): image <c>id</c> is <c>root/{id:05d}.{ext}</c>. Null
    /// takes every <c>.png/.jpg/.jpeg</c> below <see cref="Root"/> (recursively, sorted by path), numbered from 0.
    /// </summary>
    /// <value>The default is <c>0-9</c> (ffhq256_*.yaml).</value>
    public string? IdList { get; set; } = ImageRestorationDefaults.DataIdList;

    /// <summary>Required image side (<c>resolution</c>).</summary>
    /// <value>The default is 256.</value>
    public int Resolution { get; set; } = ImageRestorationDefaults.Resolution;

    /// <summary>Required number of channels of every file (<c>num_channels</c>): 3 for RGB, 1 for greyscale.</summary>
    /// <value>The default is 3.</value>
    public int Channels { get; set; } = ImageRestorationDefaults.Channels;

    /// <summary>File extension of the <c>id_list</c> names (<c>img_ext</c>).</summary>
    /// <value>The default is <c>png</c>.</value>
    public string ImageExtension { get; set; } = ImageRestorationDefaults.ImageExtension;

    /// <summary>
    /// What to do with an image whose size is not <see cref="Resolution"/>: false (default) throws an exception naming the
    /// file; true resizes it to <c>R×R</c> with antialiased bilinear interpolation as the reference's
    /// <c>transforms.Resize((R, R))</c> (C# key <c>resize</c>).
    /// </summary>
    /// <value>The default is false.</value>
    public bool Resize { get; set; }

    /// <summary>
    /// Reads a <c>data</c> section (<c>root, id_list, resolution, num_channels, img_ext, resize</c>; <c>_target_</c> is
    /// accepted and ignored); missing keys keep the ffhq256 defaults. <c>id_list</c> may be a string, an integer or a list.
    /// </summary>
    public static ImageFolderOptions FromConfig(ConfigSection data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.Raw("_target_");
        var d = new ImageFolderOptions();
        object? ids = data.Has("id_list") ? data.Raw("id_list") : d.IdList;
        return new ImageFolderOptions
        {
            Root = data.Get("root", d.Root),
            IdList = ids switch
            {
                null => null,
                string text => text,
                System.Collections.IEnumerable list => string.Join(",", list.Cast<object?>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
                var single => Convert.ToString(single, CultureInfo.InvariantCulture),
            },
            Resolution = data.Get("resolution", d.Resolution),
            Channels = data.Get("num_channels", d.Channels),
            ImageExtension = data.Get("img_ext", d.ImageExtension),
            Resize = data.Get("resize", d.Resize),
        };
    }
}
