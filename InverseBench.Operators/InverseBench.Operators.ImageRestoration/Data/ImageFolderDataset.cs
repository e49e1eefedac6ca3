using System.Globalization;
using InverseBench.Core.Abstractions;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Core.Runtime;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using TorchSharp;
using static TorchSharp.torch;

namespace InverseBench.Operators.ImageRestoration.Data;

/// <summary>
/// A folder of PNG/JPEG images — the reference's <c>training.dataset.ImageFolder</c>: image <c>id</c> is
/// <c>root/{id:05d}.png</c>, decoded (here with ImageSharp) to <c>[1, C, R, R]</c> float32 and scaled as
/// <c>v/127.5 − 1</c> to <c>[−1, 1]</c>. Every file is checked when read: an unreadable or corrupt file, a channel count
/// other than <see cref="ImageFolderOptions.Channels"/> or a size other than <c>R×R</c> (unless
/// <see cref="ImageFolderOptions.Resize"/>) raises <see cref="InvalidDataException"/> naming the file.
/// </summary>
public sealed class ImageFolderDataset : IProblemDataset
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg"];
    private readonly ImageFolderOptions _options;
    private readonly string[] _paths;
    private readonly string[] _ids;

    /// <summary>Indexes the folder; every listed file must exist.</summary>
    /// <exception cref="DirectoryNotFoundException">The root does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file named by <c>id_list</c> does not exist (the message names it).</exception>
    public ImageFolderDataset(ImageFolderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Resolution < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Resolution, "resolution must be at least 1.");
        if (options.Channels is not (1 or 3))
            throw new ArgumentOutOfRangeException(nameof(options), options.Channels, "num_channels must be 1 (greyscale) or 3 (RGB).");
        TorchRuntime.EnsureInitialized();
        _options = options;
        if (!Directory.Exists(options.Root)) throw new DirectoryNotFoundException($"The image folder '{Path.GetFullPath(options.Root)}' (data root) does not exist.");
        if (options.IdList is null)
        {
            _paths = Directory.EnumerateFiles(options.Root, "*", SearchOption.AllDirectories)
                .Where(p => Extensions.Contains(Path.GetExtension(p).ToLowerInvariant()))
                .OrderBy(p => p, StringComparer.Ordinal).ToArray();
            if (_paths.Length == 0) throw new FileNotFoundException($"No .png/.jpg/.jpeg image below '{Path.GetFullPath(options.Root)}'.");
            _ids = Enumerable.Range(0, _paths.Length).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            var ids = IdList.Parse(options.IdList);
            string ext = options.ImageExtension.TrimStart('.');
            _paths = ids.Select(id => Path.Combine(options.Root, $"{id.ToString("D5", CultureInfo.InvariantCulture)}.{ext}")).ToArray();
            _ids = ids.Select(id => id.ToString(CultureInfo.InvariantCulture)).ToArray();
            var missing = _paths.Where(p => !File.Exists(p)).ToArray();
            if (missing.Length > 0)
            {
                throw new FileNotFoundException(
                    $"{missing.Length} of {_paths.Length} images of id_list '{options.IdList}' are missing, e.g. '{Path.GetFullPath(missing[0])}'.", missing[0]);
            }
        }
    }

    /// <inheritdoc />
    public int Count => _paths.Length;

    /// <summary>The file of sample <paramref name="index"/>.</summary>
    public string PathOf(int index) => _paths[CheckIndex(index)];

    /// <inheritdoc />
    public string GetId(int index) => _ids[CheckIndex(index)];

    /// <summary>Sample <paramref name="index"/>: <c>[1, C, R, R]</c> float32 in <c>[−1, 1]</c>.</summary>
    /// <exception cref="InvalidDataException">The file is unreadable, has the wrong number of channels or the wrong size.</exception>
    public Tensor GetTarget(int index) => Read(PathOf(index), _options.Channels, _options.Resolution, _options.Resize);

    /// <summary>Decodes one image file to <c>[1, C, R, R]</c> float32 in <c>[−1, 1]</c> with the checks of this reader.</summary>
    public static Tensor Read(string path, int channels, int resolution, bool resize = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Image file '{Path.GetFullPath(path)}' does not exist.", path);
        int width, height;
        byte[] bytes;
        try
        {
            var info = Image.Identify(path)
                ?? throw new InvalidDataException($"Image file '{Path.GetFullPath(path)}' is not a PNG/JPEG (or other ImageSharp) image.");
            int fileChannels = ChannelsOf(info);
            if (fileChannels != channels)
            {
                throw new InvalidDataException(
                    $"Image file '{Path.GetFullPath(path)}' has {fileChannels} channel(s); expected num_channels = {channels} ({(channels == 3 ? "RGB" : "greyscale")}).");
            }

            width = info.Width;
            height = info.Height;
            if (!resize && (width != resolution || height != resolution))
            {
                throw new InvalidDataException(
                    $"Image file '{Path.GetFullPath(path)}' is {width}×{height}; expected {resolution}×{resolution} (set resize: true to resample it as the reference does).");
            }

            bytes = channels == 3 ? Pixels<Rgb24>(path, 3) : Pixels<L8>(path, 1);
        }
        catch (Exception ex) when (ex is UnknownImageFormatException or InvalidImageContentException or NotSupportedException or ImageFormatException)
        {
            throw new InvalidDataException($"Image file '{Path.GetFullPath(path)}' cannot be decoded: {ex.Message}", ex);
        }

        using var scope = NewDisposeScope();
        var hwc = tensor(bytes, dtype: ScalarType.Byte).reshape(height, width, channels);
        var image = (hwc.permute(2, 0, 1).to_type(ScalarType.Float32) / 127.5f - 1f).unsqueeze(0);
        if (width != resolution || height != resolution)
        {
            image = nn.functional.interpolate(image, size: [resolution, resolution], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        }

        return scope.MoveToOuter(image.contiguous());
    }

    /// <summary>
    /// Channels as PIL would report them: PNG colour type (greyscale 1, greyscale+alpha 2, RGB 3, RGBA 4; palette images
    /// are decoded to their colours, 3), otherwise bits per pixel / 8 (JPEG: 1 or 3).
    /// </summary>
    private static int ChannelsOf(IImageInfo info)
    {
        if (info.Metadata.GetPngMetadata() is { ColorType: { } colorType })
        {
            return colorType switch
            {
                PngColorType.Grayscale => 1,
                PngColorType.GrayscaleWithAlpha => 2,
                PngColorType.Rgb or PngColorType.Palette => 3,
                PngColorType.RgbWithAlpha => 4,
                _ => info.PixelType.BitsPerPixel / 8,
            };
        }

        return Math.Max(1, info.PixelType.BitsPerPixel / 8);
    }

    private static byte[] Pixels<TPixel>(string path, int channels)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        using var image = Image.Load<TPixel>(path);
        var bytes = new byte[image.Width * image.Height * channels];
        image.CopyPixelDataTo(bytes);
        return bytes;
    }

    private int CheckIndex(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return index;
    }
}
