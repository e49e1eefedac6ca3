using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using InverseBench.Core.Runtime;
using static TorchSharp.torch;

namespace InverseBench.Core.IO;

/// <summary>Element types an <c>.npy</c> file may hold here.</summary>
public enum NpyElementType
{
    /// <summary><c>bool</c> (<c>|b1</c>).</summary>
    Bool,

    /// <summary><c>uint8</c> (<c>|u1</c>).</summary>
    UInt8,

    /// <summary><c>int8</c> (<c>|i1</c>).</summary>
    Int8,

    /// <summary><c>int16</c> (<c>i2</c>).</summary>
    Int16,

    /// <summary><c>int32</c> (<c>i4</c>).</summary>
    Int32,

    /// <summary><c>int64</c> (<c>i8</c>).</summary>
    Int64,

    /// <summary><c>float32</c> (<c>f4</c>).</summary>
    Float32,

    /// <summary><c>float64</c> (<c>f8</c>).</summary>
    Float64,

    /// <summary><c>complex64</c> (<c>c8</c>).</summary>
    Complex64,

    /// <summary><c>complex128</c> (<c>c16</c>).</summary>
    Complex128,
}

/// <summary>An <c>.npy</c> array held in memory: element type, shape and little-endian C-order bytes.</summary>
/// <param name="ElementType">The element type.</param>
/// <param name="Shape">The shape (empty for a 0-d array).</param>
/// <param name="Data">The elements, little-endian, in C (row-major) order.</param>
public sealed record NpyArray(NpyElementType ElementType, long[] Shape, byte[] Data)
{
    /// <summary>Number of elements.</summary>
    public long Length => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The elements as float64 (real types only; complex types are refused).</summary>
    public double[] ToDoubleArray()
    {
        return ElementType switch
        {
            NpyElementType.Float64 => MemoryMarshal.Cast<byte, double>(Data).ToArray(),
            NpyElementType.Float32 => MemoryMarshal.Cast<byte, float>(Data).ToArray().Select(v => (double)v).ToArray(),
            NpyElementType.Int64 => MemoryMarshal.Cast<byte, long>(Data).ToArray().Select(v => (double)v).ToArray(),
            NpyElementType.Int32 => MemoryMarshal.Cast<byte, int>(Data).ToArray().Select(v => (double)v).ToArray(),
            NpyElementType.Int16 => MemoryMarshal.Cast<byte, short>(Data).ToArray().Select(v => (double)v).ToArray(),
            NpyElementType.Int8 => Data.Select(v => (double)(sbyte)v).ToArray(),
            NpyElementType.UInt8 or NpyElementType.Bool => Data.Select(v => (double)v).ToArray(),
            _ => throw new InvalidOperationException($"A {ElementType} array cannot be converted to real float64 values."),
        };
    }
}

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0; C and Fortran order; either byte order;
/// bool, uint8, int8, int16, int32, int64, float32, float64, complex64, complex128) to and from arrays and tensors.
/// Truncated or corrupt files give an <see cref="InvalidDataException"/> naming the file and the problem.
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads an <c>.npy</c> file into memory.</summary>
    public static NpyArray ReadArray(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"NPY file '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        return ReadArray(stream, path);
    }

    /// <summary>Reads an <c>.npy</c> array from a stream; <paramref name="name"/> is used in error messages.</summary>
    public static NpyArray ReadArray(Stream stream, string name = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = ReadExactly(stream, 8, name, "the magic string and version");
        if (!prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"'{name}' is not an NPY file (missing the \\x93NUMPY magic string).");
        int major = prefix[6];
        int headerLength = major switch
        {
            1 => BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, name, "the header length")),
            2 or 3 => checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, name, "the header length"))),
            _ => throw new InvalidDataException($"'{name}' has NPY format version {major}.{prefix[7]}; versions 1, 2 and 3 are supported."),
        };
        var headerBytes = ReadExactly(stream, headerLength, name, "the header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        var (descr, fortran, shape) = ParseHeader(header, name);
        var (type, size, bigEndian) = ParseDescr(descr, name);
        long count = shape.Aggregate(1L, (a, b) => checked(a * b));
        long byteCount = checked(count * size);
        if (byteCount > Array.MaxLength)
            throw new InvalidDataException($"'{name}' holds {byteCount} bytes of data, more than one array can hold.");
        var data = ReadExactly(stream, (int)byteCount, name, $"the data ({count} elements of {descr})");
        if (bigEndian) SwapBytes(data, type == NpyElementType.Complex64 ? 4 : type == NpyElementType.Complex128 ? 8 : size);
        if (fortran && shape.Length > 1) data = FortranToC(data, shape, size);
        return new NpyArray(type, shape, data);
    }

    /// <summary>Reads an <c>.npy</c> file into a new CPU tensor of the file's dtype.</summary>
    public static Tensor Read(string path) => ToTensor(ReadArray(path));

    /// <summary>Converts an in-memory array into a new CPU tensor.</summary>
    public static Tensor ToTensor(NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        TorchRuntime.EnsureInitialized();
        long[] shape = array.Shape;
        var data = array.Data;
        switch (array.ElementType)
        {
            case NpyElementType.Bool:
                return tensor(data.Select(b => b != 0).ToArray(), shape);
            case NpyElementType.UInt8:
                return tensor(data, shape);
            case NpyElementType.Int8:
                return tensor(MemoryMarshal.Cast<byte, sbyte>(data).ToArray(), shape);
            case NpyElementType.Int16:
                return tensor(MemoryMarshal.Cast<byte, short>(data).ToArray(), shape);
            case NpyElementType.Int32:
                return tensor(MemoryMarshal.Cast<byte, int>(data).ToArray(), shape);
            case NpyElementType.Int64:
                return tensor(MemoryMarshal.Cast<byte, long>(data).ToArray(), shape);
            case NpyElementType.Float32:
                return tensor(MemoryMarshal.Cast<byte, float>(data).ToArray(), shape);
            case NpyElementType.Float64:
                return tensor(MemoryMarshal.Cast<byte, double>(data).ToArray(), shape);
            case NpyElementType.Complex64:
            {
                // A pinned managed array is only 8-byte aligned; libtorch's vectorised complex kernels need 16, so
                // copy into a libtorch-owned (aligned) buffer before viewing it as complex.
                using var real = tensor(MemoryMarshal.Cast<byte, float>(data).ToArray(), [.. shape, 2]);
                using var aligned = real.clone();
                return view_as_complex(aligned);
            }

            case NpyElementType.Complex128:
            {
                // A pinned managed array is only 8-byte aligned; libtorch's vectorised complex kernels need 16, so
                // copy into a libtorch-owned (aligned) buffer before viewing it as complex.
                using var real = tensor(MemoryMarshal.Cast<byte, double>(data).ToArray(), [.. shape, 2]);
                using var aligned = real.clone();
                return view_as_complex(aligned);
            }

            default:
                throw new NotSupportedException($"NPY element type {array.ElementType} is not supported.");
        }
    }

    /// <summary>Writes a tensor to an <c>.npy</c> file (format 1.0, or 2.0 when the header needs it; C order).</summary>
    public static void Write(string path, Tensor value)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var array = FromTensor(value);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        WriteArray(stream, array);
    }

    /// <summary>Copies a tensor (any device) into an in-memory array.</summary>
    public static NpyArray FromTensor(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var scope = NewDisposeScope();
        var t = value.detach().cpu().contiguous();
        long[] shape = t.shape;
        (NpyElementType type, byte[] data) = t.dtype switch
        {
            ScalarType.Bool => (NpyElementType.Bool, t.data<bool>().ToArray().Select(b => b ? (byte)1 : (byte)0).ToArray()),
            ScalarType.Byte => (NpyElementType.UInt8, t.data<byte>().ToArray()),
            ScalarType.Int8 => (NpyElementType.Int8, Bytes(t.data<sbyte>().ToArray())),
            ScalarType.Int16 => (NpyElementType.Int16, Bytes(t.data<short>().ToArray())),
            ScalarType.Int32 => (NpyElementType.Int32, Bytes(t.data<int>().ToArray())),
            ScalarType.Int64 => (NpyElementType.Int64, Bytes(t.data<long>().ToArray())),
            ScalarType.Float32 => (NpyElementType.Float32, Bytes(t.data<float>().ToArray())),
            ScalarType.Float64 => (NpyElementType.Float64, Bytes(t.data<double>().ToArray())),
            ScalarType.ComplexFloat32 => (NpyElementType.Complex64, Bytes(view_as_real(t).contiguous().data<float>().ToArray())),
            ScalarType.ComplexFloat64 => (NpyElementType.Complex128, Bytes(view_as_real(t).contiguous().data<double>().ToArray())),
            _ => throw new NotSupportedException($"Tensors of dtype {t.dtype} cannot be written as NPY here; convert to a supported dtype first."),
        };
        return new NpyArray(type, shape, data);
    }

    /// <summary>Writes an in-memory array to a stream in NPY format.</summary>
    public static void WriteArray(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        string shape = array.Shape.Length switch
        {
            0 => "()",
            1 => $"({array.Shape[0]},)",
            _ => "(" + string.Join(", ", array.Shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        string dict = $"{{'descr': '{Descr(array.ElementType)}', 'fortran_order': False, 'shape': {shape}, }}";
        int major = dict.Length + 1 + 10 > ushort.MaxValue ? 2 : 1;
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        string header = dict + new string(' ', total - prefix - dict.Length - 1) + "\n";
        stream.Write(Magic);
        stream.WriteByte((byte)major);
        stream.WriteByte(0);
        Span<byte> length = stackalloc byte[4];
        if (major == 1)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
            stream.Write(length[..2]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
            stream.Write(length);
        }

        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(array.Data);
    }

    private static byte[] Bytes<T>(T[] values) where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static string Descr(NpyElementType type) => type switch
    {
        NpyElementType.Bool => "|b1",
        NpyElementType.UInt8 => "|u1",
        NpyElementType.Int8 => "|i1",
        NpyElementType.Int16 => "<i2",
        NpyElementType.Int32 => "<i4",
        NpyElementType.Int64 => "<i8",
        NpyElementType.Float32 => "<f4",
        NpyElementType.Float64 => "<f8",
        NpyElementType.Complex64 => "<c8",
        NpyElementType.Complex128 => "<c16",
        _ => throw new NotSupportedException(type.ToString()),
    };

    private static (NpyElementType Type, int Size, bool BigEndian) ParseDescr(string descr, string name)
    {
        if (descr.Length < 3) throw new InvalidDataException($"'{name}' has an unsupported NPY dtype '{descr}'.");
        char order = descr[0];
        bool big = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
        if (order is not ('<' or '>' or '|' or '='))
            throw new InvalidDataException($"'{name}' has an NPY dtype '{descr}' with an unknown byte-order mark '{order}'.");
        return descr[1..] switch
        {
            "b1" => (NpyElementType.Bool, 1, false),
            "u1" => (NpyElementType.UInt8, 1, false),
            "i1" => (NpyElementType.Int8, 1, false),
            "i2" => (NpyElementType.Int16, 2, big),
            "i4" => (NpyElementType.Int32, 4, big),
            "i8" => (NpyElementType.Int64, 8, big),
            "f4" => (NpyElementType.Float32, 4, big),
            "f8" => (NpyElementType.Float64, 8, big),
            "c8" => (NpyElementType.Complex64, 8, big),
            "c16" => (NpyElementType.Complex128, 16, big),
            _ => throw new InvalidDataException(
                $"'{name}' has NPY dtype '{descr}', which is not supported (bool, uint8, int8/16/32/64, float32/64, complex64/128 are)."),
        };
    }

    private static (string Descr, bool Fortran, long[] Shape) ParseHeader(string header, string name)
    {
        var descr = DescrRegex().Match(header);
        var fortran = FortranRegex().Match(header);
        var shape = ShapeRegex().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success)
            throw new InvalidDataException($"'{name}' has a corrupt NPY header (expected 'descr', 'fortran_order' and 'shape'): {header.Trim()}");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out long v)
                ? v
                : throw new InvalidDataException($"'{name}' has a corrupt NPY shape '({shape.Groups[1].Value})'."))
            .ToArray();
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims);
    }

    private static byte[] ReadExactly(Stream stream, int count, string name, string what)
    {
        var buffer = new byte[count];
        int read = 0;
        while (read < count)
        {
            int n = stream.Read(buffer, read, count - read);
            if (n == 0)
                throw new InvalidDataException($"'{name}' is truncated: expected {count} bytes for {what}, found {read}.");
            read += n;
        }

        return buffer;
    }

    private static void SwapBytes(byte[] data, int size)
    {
        if (size <= 1) return;
        for (int i = 0; i + size <= data.Length; i += size) Array.Reverse(data, i, size);
    }

    private static byte[] FortranToC(byte[] data, long[] shape, int size)
    {
        int rank = shape.Length;
        long count = data.Length / size;
        var result = new byte[data.Length];
        var index = new long[rank];
        // Fortran strides: first index varies fastest.
        var fStride = new long[rank];
        fStride[0] = 1;
        for (int d = 1; d < rank; d++) fStride[d] = fStride[d - 1] * shape[d - 1];
        for (long c = 0; c < count; c++)
        {
            long f = 0;
            for (int d = 0; d < rank; d++) f += index[d] * fStride[d];
            Buffer.BlockCopy(data, (int)(f * size), result, (int)(c * size), size);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }

        return result;
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranRegex();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
