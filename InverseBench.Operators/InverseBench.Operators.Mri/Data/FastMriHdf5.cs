using System.Runtime.InteropServices;
using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;
using static TorchSharp.torch;

namespace InverseBench.Operators.Mri.Data;

/// <summary>
/// Reads fastMRI-style HDF5 volumes with the managed PureHDF library: complex datasets stored as h5py writes them (a
/// compound of two floats, <c>r</c> then <c>i</c>; 8 bytes = complex64, 16 bytes = complex128), one slice at a time by
/// hyperslab. Used for <c>kspace</c> (fastMRI raw data, <c>[S, C, H0, W0]</c>) and <c>s_maps</c> (ESPIRiT maps of the
/// <c>*_sens_maps_espirit</c> files, <c>[S, C, H0, W0]</c>).
/// </summary>
public static class FastMriHdf5
{
    /// <summary>The first dimension (slice count) of <paramref name="key"/> in <paramref name="file"/>.</summary>
    /// <param name="file">HDF5 file.</param>
    /// <param name="key">Dataset name.</param>
    public static int SliceCount(string file, string key)
    {
        using var h5 = Open(file);
        return (int)Dims(Dataset(h5, file, key), file, key)[0];
    }

    /// <summary>Slice <paramref name="slice"/> of the complex dataset <paramref name="key"/>: <c>[C, H0, W0]</c> complex64 or complex128.</summary>
    /// <param name="file">HDF5 file.</param>
    /// <param name="key">Dataset name (<c>kspace</c>, <c>s_maps</c>).</param>
    /// <param name="slice">Slice index along the first axis.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="KeyNotFoundException">The dataset is missing.</exception>
    /// <exception cref="InvalidDataException">The file is not HDF5, or the dataset is not a 4-D complex array.</exception>
    public static Tensor ReadComplexSlice(string file, string key, int slice)
    {
        using var h5 = Open(file);
        var dataset = Dataset(h5, file, key);
        var dims = Dims(dataset, file, key);
        if (slice < 0 || (ulong)slice >= dims[0])
            throw new ArgumentOutOfRangeException(nameof(slice), slice, $"'{file}' dataset '{key}' has {dims[0]} slices.");
        var type = dataset.Type;
        if (type.Class != H5DataTypeClass.Compound || (type.Size != 8 && type.Size != 16))
        {
            throw new InvalidDataException(
                $"'{file}' dataset '{key}' has type {type.Class} of {type.Size} bytes; expected complex (an h5py compound of two float32 or float64, 8 or 16 bytes).");
        }

        var selection = new HyperslabSelection(4, [(ulong)slice, 0, 0, 0], [1, dims[1], dims[2], dims[3]]);
        long[] shape = [(long)dims[1], (long)dims[2], (long)dims[3]];
        ulong[] memoryDims = [dims[1] * dims[2] * dims[3]];
        try
        {
            if (type.Size == 8)
            {
                var values = dataset.Read<Complex64Value[]>(fileSelection: selection, memoryDims: memoryDims);
                var floats = MemoryMarshal.Cast<Complex64Value, float>(values).ToArray();
                using var real = tensor(floats).reshape([.. shape, 2]);
                return view_as_complex(real).clone();
            }
            else
            {
                var values = dataset.Read<Complex128Value[]>(fileSelection: selection, memoryDims: memoryDims);
                var doubles = MemoryMarshal.Cast<Complex128Value, double>(values).ToArray();
                using var real = tensor(doubles).reshape([.. shape, 2]);
                return view_as_complex(real).clone();
            }
        }
        catch (Exception ex) when (ex is not (InvalidDataException or ArgumentException or OutOfMemoryException))
        {
            throw new InvalidDataException($"Cannot read slice {slice} of dataset '{key}' in '{file}': {ex.Message}", ex);
        }
    }

    private static NativeFile Open(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"HDF5 file '{Path.GetFullPath(file)}' does not exist.", file);
        try
        {
            return H5File.OpenRead(file);
        }
        catch (Exception ex) when (ex is not (FileNotFoundException or OutOfMemoryException))
        {
            throw new InvalidDataException($"'{Path.GetFullPath(file)}' is not a readable HDF5 file: {ex.Message}", ex);
        }
    }

    private static IH5Dataset Dataset(NativeFile h5, string file, string key)
    {
        bool exists;
        try
        {
            exists = h5.LinkExists(key);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"'{Path.GetFullPath(file)}' is corrupt: cannot look up '{key}' ({ex.Message}).", ex);
        }

        if (!exists)
        {
            var present = h5.Children().Select(c => c.Name);
            throw new KeyNotFoundException($"HDF5 file '{Path.GetFullPath(file)}' has no dataset '{key}' (it holds: {string.Join(", ", present)}).");
        }

        return h5.Dataset(key);
    }

    private static ulong[] Dims(IH5Dataset dataset, string file, string key)
    {
        var dims = dataset.Space.Dimensions;
        if (dims.Length != 4)
            throw new InvalidDataException($"'{file}' dataset '{key}' has shape [{string.Join(", ", dims)}]; expected 4-D [slices, coils, H, W].");
        return dims;
    }

    [StructLayout(LayoutKind.Explicit, Size = 8)]
    private struct Complex64Value
    {
        [FieldOffset(0)]
        public float Real;

        [FieldOffset(4)]
        public float Imaginary;
    }

    [StructLayout(LayoutKind.Explicit, Size = 16)]
    private struct Complex128Value
    {
        [FieldOffset(0)]
        public double Real;

        [FieldOffset(8)]
        public double Imaginary;
    }
}
