using System.Runtime.InteropServices;
using InverseBench.Operators.Mri.Data;
using InverseBench.Operators.Mri.Functional;
using PureHDF;
using static TorchSharp.torch;

namespace InverseBench.Tests.Operators.Mri;

/// <summary>Writes small fastMRI-style HDF5 volumes (h5py's complex64 layout) with PureHDF, for the reader and CLI tests.</summary>
internal static class MriTestVolumes
{
    /// <summary>A smooth complex phantom, analytic maps and their full k-space at the raw size.</summary>
    public static (Tensor Mvue, Tensor Maps, Tensor KSpace) Slice(int seed, int coils, int height, int width)
    {
        var image = SyntheticBrainPhantomDataset.Phantom(height, width, new Generator((ulong)seed + 1));
        var maps = CoilMaps.Analytic(coils, height, width);
        var kspace = CenteredFft.Forward(maps * image.unsqueeze(0));
        return (image, maps, kspace);
    }

    /// <summary>
    /// Writes <c>root/folder/name</c> (<c>s_maps</c>) and the matching raw-k-space file (<c>kspace</c>) in the folder without
    /// <c>_sens_maps_espirit</c>; returns the maps file.
    /// </summary>
    public static string Write(string root, string folder, string name, int slices, int coils, int height, int width)
    {
        using var scope = NewDisposeScope();
        string mapsDir = Path.Combine(root, folder);
        string kspaceDir = Path.Combine(root, folder.Replace("_sens_maps_espirit", string.Empty, StringComparison.Ordinal));
        Directory.CreateDirectory(mapsDir);
        Directory.CreateDirectory(kspaceDir);
        var maps = new List<Tensor>();
        var kspace = new List<Tensor>();
        for (int s = 0; s < slices; s++)
        {
            var (_, m, k) = Slice(s, coils, height, width);
            maps.Add(m);
            kspace.Add(k);
        }

        ulong[] dims = [(ulong)slices, (ulong)coils, (ulong)height, (ulong)width];
        new H5File { ["s_maps"] = new H5Dataset(Pairs(stack(maps)), fileDims: dims) }.Write(Path.Combine(mapsDir, name));
        new H5File { ["kspace"] = new H5Dataset(Pairs(stack(kspace)), fileDims: dims) }.Write(Path.Combine(kspaceDir, name));
        return Path.Combine(mapsDir, name);
    }

    /// <summary>h5py's complex64 layout: a compound of float32 <c>r</c> and <c>i</c>.</summary>
    private static H5Complex64[] Pairs(Tensor complexValues)
    {
        var floats = view_as_real(complexValues.to_type(ScalarType.ComplexFloat32)).contiguous().data<float>().ToArray();
        var result = new H5Complex64[floats.Length / 2];
        for (int i = 0; i < result.Length; i++) result[i] = new H5Complex64 { r = floats[2 * i], i = floats[2 * i + 1] };
        return result;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct H5Complex64
    {
#pragma warning disable SA1307, IDE1006 // h5py's member names
        public float r;
        public float i;
#pragma warning restore SA1307, IDE1006
    }
}
