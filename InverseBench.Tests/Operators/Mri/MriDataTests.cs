using System.Runtime.InteropServices;
using InverseBench.Core.IO.Lmdb;
using InverseBench.Operators.Mri;
using InverseBench.Operators.Mri.Data;
using InverseBench.Operators.Mri.Functional;
using PureHDF;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>The fastMRI HDF5 and LMDB readers, on small files written by the tests.</summary>
[TestFixture]
public sealed class MriDataTests
{
    private const int Slices = 12, Coils = 2, RawHeight = 24, RawWidth = 20, Size = 16;
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("ib-mri-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public void FastMriDataset_IndexesTheSliceRange_AndFindsTheKSpaceBesideTheMaps()
    {
        string maps = WriteVolume("knee_sens_maps_espirit", "file1.h5");
        using var data = new FastMriDataset(Options(Path.GetDirectoryName(maps)!));
        data.Count.Should().Be(Slices - 10);                        // slice_range [5, -5]
        data.Index.Select(e => e.Slice).Should().Equal(5, 6);
        FastMriDataset.KSpaceFile(maps).Should().Be(Path.Combine(_root, "knee", "file1.h5"));
    }

    [Test]
    public void FastMriDataset_Sample_IsCroppedScaledAndSelfConsistent()
    {
        using var scope = NewDisposeScope();
        string maps = WriteVolume("knee_sens_maps_espirit", "file1.h5");
        using var data = new FastMriDataset(Options(Path.GetDirectoryName(maps)!));
        using var sample = data.GetSample(1);
        sample.Target.shape.Should().Equal(1, 2, Size, Size);
        sample.Maps.shape.Should().Equal(Coils, Size, Size);
        sample.KSpace!.shape.Should().Equal(Coils, Size, Size);
        var target = MultiCoilMriOperator.ToComplex(sample.Target);
        CoilCombination.Quantile(target.abs(), 0.99).Should().BeApproximately(1, 1e-5);
        // The target is the MVUE of the sample's own (scaled) k-space and maps.
        var mvue = CoilCombination.Mvue(sample.KSpace.unsqueeze(0).to_type(ScalarType.ComplexFloat64), sample.Maps.unsqueeze(0).to_type(ScalarType.ComplexFloat64));
        MriFixture.RelativeMaxError(mvue, target).Should().BeLessThan(1e-5);
    }

    [Test]
    public void FastMriDataset_SimulatedKSpace_IsTheForwardModelOfTheTarget()
    {
        using var scope = NewDisposeScope();
        string maps = WriteVolume("knee_sens_maps_espirit", "file1.h5");
        var options = Options(Path.GetDirectoryName(maps)!);
        options.SimulatedKSpace = true;
        using var data = new FastMriDataset(options);
        using var sample = data.GetSample(0);
        var expected = CenteredFft.Forward(sample.Maps.to_type(ScalarType.ComplexFloat64) * MultiCoilMriOperator.ToComplex(sample.Target));
        MriFixture.RelativeMaxError(sample.KSpace!, expected).Should().BeLessThan(1e-5);
    }

    [Test]
    public void FastMriDataset_SkipsBrainVolumesThatAreNotT2()
    {
        WriteVolume("brain_sens_maps_espirit", "file_brain_AXT1_1.h5");
        string t2 = WriteVolume("brain_sens_maps_espirit", "file_brain_AXT2_1.h5");
        using var data = new FastMriDataset(Options(Path.GetDirectoryName(t2)!));
        data.Index.Select(e => e.File).Distinct().Should().Equal(t2);
    }

    [Test]
    public void FastMriDataset_BindsTheSampleIntoTheOperator_SoTheObservationIsTheMeasuredKSpace()
    {
        using var scope = NewDisposeScope();
        string maps = WriteVolume("knee_sens_maps_espirit", "file1.h5");
        using var op = new MultiCoilMriOperator(new MultiCoilMriOptions { Height = Size, Width = Size, TotalLines = Size, Coils = Coils });
        using var data = new FastMriDataset(Options(Path.GetDirectoryName(maps)!), op);
        var target = data.GetTarget(0);
        using var sample = data.GetSample(0);
        var observation = op.Observe(target, new Generator(0));
        (observation - op.ObserveKSpace(sample.KSpace!.unsqueeze(0))).abs().max().item<double>().Should().Be(0);
    }

    [Test]
    public void FastMriDataset_WithAMissingDatasetKey_NamesTheFileAndKey()
    {
        string dir = Path.Combine(_root, "knee_sens_maps_espirit");
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, "file1.h5");
        new H5File { ["maps"] = new H5Dataset(new float[] { 1, 2 }) }.Write(file);
        var act = () => new FastMriDataset(Options(dir));
        act.Should().Throw<KeyNotFoundException>().WithMessage($"*{file}*'s_maps'*");
    }

    [Test]
    public void FastMriDataset_WithACorruptFile_SaysItIsNotHdf5()
    {
        string dir = Path.Combine(_root, "knee_sens_maps_espirit");
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, "file1.h5");
        File.WriteAllBytes(file, Enumerable.Range(0, 512).Select(i => (byte)(i * 37)).ToArray());
        var act = () => new FastMriDataset(Options(dir));
        act.Should().Throw<InvalidDataException>().WithMessage($"*{file}*not a readable HDF5 file*");
    }

    [Test]
    public void FastMriDataset_WithARealDataset_AsksForComplex()
    {
        string dir = Path.Combine(_root, "knee_sens_maps_espirit");
        Directory.CreateDirectory(dir);
        string file = Path.Combine(dir, "file1.h5");
        new H5File { ["s_maps"] = new H5Dataset(new float[Slices * Coils * 4], fileDims: [Slices, Coils, 2, 2]) }.Write(file);
        using var data = new FastMriDataset(Options(dir));
        data.Invoking(d => d.GetSample(0)).Should().Throw<InvalidDataException>().WithMessage("*'s_maps'*expected complex*");
    }

    [Test]
    public void FastMriDataset_WithoutTheKSpaceFile_NamesTheMissingFile()
    {
        string maps = WriteVolume("knee_sens_maps_espirit", "file1.h5");
        File.Delete(FastMriDataset.KSpaceFile(maps));
        using var data = new FastMriDataset(Options(Path.GetDirectoryName(maps)!));
        data.Invoking(d => d.GetSample(0)).Should().Throw<FileNotFoundException>().WithMessage("*knee*file1.h5*");
    }

    [Test]
    public void CenteredResize_CropsAndPadsAroundTheCentre_AsSigpy()
    {
        using var scope = NewDisposeScope();
        var x = arange(5, dtype: ScalarType.Float64);
        CenteredResize.Apply(x, 3).data<double>().ToArray().Should().Equal(1, 2, 3);           // ishift = 5//2 − 3//2 = 1
        CenteredResize.Apply(x[..3], 6).data<double>().ToArray().Should().Equal(0, 0, 0, 1, 2, 0); // oshift = 6//2 − 3//2 = 2
    }

    [Test]
    public void LmdbDataset_ReadsTheThreeEnvironments_AndScales()
    {
        using var scope = NewDisposeScope();
        var (mvue, maps, kspace) = Slice(0);
        var croppedMvue = CenteredResize.Apply(mvue, Size, Size);
        var croppedMaps = CenteredResize.Apply(maps, Size, Size);
        var croppedK = CenteredResize.Apply(kspace, Size, Size);
        WriteLmdb("mvue", croppedMvue.unsqueeze(0));
        WriteLmdb("s_maps", croppedMaps);
        WriteLmdb("kspace", croppedK);
        using var data = new MriLmdbDataset(Options(_root));
        data.Count.Should().Be(1);
        using var sample = data.GetSample(0);
        double scale = CoilCombination.Quantile(croppedMvue.abs(), 0.99);
        sample.Scale.Should().BeApproximately(scale, 1e-6 * scale);
        MriFixture.RelativeMaxError(MultiCoilMriOperator.ToComplex(sample.Target), croppedMvue.unsqueeze(0) / scale).Should().BeLessThan(1e-6);
        MriFixture.RelativeMaxError(sample.KSpace!, croppedK / scale).Should().BeLessThan(1e-6);
    }

    [Test]
    public void LmdbDataset_WithTheWrongImageSize_NamesTheExpectedByteCount()
    {
        using var scope = NewDisposeScope();
        var (mvue, maps, kspace) = Slice(0);
        WriteLmdb("mvue", CenteredResize.Apply(mvue, Size, Size).unsqueeze(0));
        WriteLmdb("s_maps", CenteredResize.Apply(maps, Size, Size));
        WriteLmdb("kspace", CenteredResize.Apply(kspace, Size, Size));
        var options = Options(_root);
        options.Height = options.Width = 8;
        using var data = new MriLmdbDataset(options);
        data.Invoking(d => d.GetSample(0)).Should().Throw<InvalidDataException>().WithMessage("*complex64 [1, 8, 8]*image_size*");
    }

    [Test]
    public void LmdbDataset_WithAMissingEnvironment_Throws()
    {
        Directory.CreateDirectory(Path.Combine(_root, "mvue"));
        var act = () => new MriLmdbDataset(Options(_root));
        act.Should().Throw<FileNotFoundException>().WithMessage("*mvue*data.mdb*");
    }

    private static MriDataOptions Options(string root) => new() { Root = root, Height = Size, Width = Size };

    private static (Tensor Mvue, Tensor Maps, Tensor KSpace) Slice(int seed) => MriTestVolumes.Slice(seed, Coils, RawHeight, RawWidth);

    private string WriteVolume(string folder, string name) => MriTestVolumes.Write(_root, folder, name, Slices, Coils, RawHeight, RawWidth);

    private void WriteLmdb(string environment, Tensor values)
    {
        var bytes = MemoryMarshal.AsBytes(view_as_real(values.to_type(ScalarType.ComplexFloat32)).contiguous().data<float>().ToArray().AsSpan()).ToArray();
        LmdbWriter.Write(Path.Combine(_root, environment), [new KeyValuePair<byte[], byte[]>("0"u8.ToArray(), bytes)]);
    }
}
