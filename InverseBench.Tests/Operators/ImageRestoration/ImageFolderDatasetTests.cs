using InverseBench.Operators.ImageRestoration.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.ImageRestoration;

[TestFixture]
public sealed class ImageFolderDatasetTests
{
    private string _root = string.Empty;

    [SetUp]
    public void CreateFolder()
    {
        _root = Path.Combine(Path.GetTempPath(), "ib-imgfolder-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private string WriteRgb(string name, int width, int height, Func<int, int, Rgb24> pixel)
    {
        using var image = new Image<Rgb24>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) image[x, y] = pixel(x, y);
        string path = Path.Combine(_root, name);
        image.SaveAsPng(path);
        return path;
    }

    [Test]
    public void GetTarget_ScalesBytesTo_MinusOneToOne_InChannelMajorOrder()
    {
        WriteRgb("00000.png", 4, 4, (x, y) => new Rgb24((byte)(x * 60), (byte)(y * 60), 255));
        WriteRgb("00001.png", 4, 4, (_, _) => new Rgb24(0, 0, 0));
        var dataset = new ImageFolderDataset(new ImageFolderOptions { Root = _root, IdList = "0-1", Resolution = 4 });
        dataset.Count.Should().Be(2);
        dataset.GetId(1).Should().Be("1");
        using var scope = NewDisposeScope();
        var image = dataset.GetTarget(0);
        image.shape.Should().Equal(1, 3, 4, 4);
        image.dtype.Should().Be(ScalarType.Float32);
        image[0, 0, 2, 3].item<float>().Should().BeApproximately(180 / 127.5f - 1, 1e-6f); // red = x·60 at x = 3
        image[0, 1, 2, 3].item<float>().Should().BeApproximately(120 / 127.5f - 1, 1e-6f); // green = y·60 at y = 2
        image[0, 2].min().item<float>().Should().Be(1f);
        dataset.GetTarget(1).max().item<float>().Should().Be(-1f);
    }

    [Test]
    public void WithoutIdList_AllImagesBelowTheRootAreTakenInPathOrder()
    {
        WriteRgb("b.png", 2, 2, (_, _) => new Rgb24(255, 255, 255));
        WriteRgb("a.png", 2, 2, (_, _) => new Rgb24(0, 0, 0));
        var dataset = new ImageFolderDataset(new ImageFolderOptions { Root = _root, IdList = null, Resolution = 2 });
        dataset.Count.Should().Be(2);
        Path.GetFileName(dataset.PathOf(0)).Should().Be("a.png");
    }

    [Test]
    public void AWrongSizedImage_ThrowsNamingTheFile_UnlessResizeIsOn()
    {
        string path = WriteRgb("00000.png", 6, 6, (_, _) => new Rgb24(10, 20, 30));
        var dataset = new ImageFolderDataset(new ImageFolderOptions { Root = _root, IdList = "0", Resolution = 4 });
        var act = () => dataset.GetTarget(0);
        act.Should().Throw<InvalidDataException>().WithMessage($"*{Path.GetFullPath(path)}*6×6*expected 4×4*");
        var resized = new ImageFolderDataset(new ImageFolderOptions { Root = _root, IdList = "0", Resolution = 4, Resize = true });
        using var scope = NewDisposeScope();
        resized.GetTarget(0).shape.Should().Equal(1, 3, 4, 4);
    }

    [Test]
    public void AGreyscaleImage_WhenRgbIsExpected_ThrowsNamingTheFileAndTheChannels()
    {
        string path = Path.Combine(_root, "00000.png");
        using (var image = new Image<L8>(4, 4)) image.SaveAsPng(path);
        var dataset = new ImageFolderDataset(new ImageFolderOptions { Root = _root, IdList = "0", Resolution = 4 });
        var act = () => dataset.GetTarget(0);
        act.Should().Throw<InvalidDataException>().WithMessage($"*{Path.GetFullPath(path)}*1 channel(s)*num_channels = 3*");
        var grey = new ImageFolderDataset(new ImageFolderOptions { Root = _root, IdList = "0", Resolution = 4, Channels = 1 });
        using var scope = NewDisposeScope();
        grey.GetTarget(0).shape.Should().Equal(1, 1, 4, 4);
    }

    [Test]
    public void ACorruptFile_ThrowsNamingTheFile()
    {
        string path = Path.Combine(_root, "00000.png");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5]);
        var dataset = new ImageFolderDataset(new ImageFolderOptions { Root = _root, IdList = "0", Resolution = 4 });
        var act = () => dataset.GetTarget(0);
        act.Should().Throw<InvalidDataException>().WithMessage($"*{Path.GetFullPath(path)}*");
    }

    [Test]
    public void MissingFilesOrFolder_ThrowFileAndDirectoryNotFound()
    {
        var missingFile = () => new ImageFolderDataset(new ImageFolderOptions { Root = _root, IdList = "0-2", Resolution = 4 });
        missingFile.Should().Throw<FileNotFoundException>().WithMessage("*3 of 3*00000.png*");
        var missingFolder = () => new ImageFolderDataset(new ImageFolderOptions { Root = Path.Combine(_root, "nope") });
        missingFolder.Should().Throw<DirectoryNotFoundException>();
    }
}
