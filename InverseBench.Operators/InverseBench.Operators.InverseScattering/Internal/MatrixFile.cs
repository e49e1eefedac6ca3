using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace InverseBench.Operators.InverseScattering.Internal;

/// <summary>
/// Streams float64 tensors to and from <c>.npy</c> files in row chunks (the SVD factors are up to ~1.9 GB, too big to
/// copy whole through managed arrays). Files are written to a temporary name and renamed, so a crash never leaves a
/// truncated file under the final name.
/// </summary>
internal static partial class MatrixFile
{
    private const int ChunkElements = 1 << 22; // 32 MiB of float64 per chunk

    public static void Write(string path, Tensor value)
    {
        using var scope = NewDisposeScope();
        var t = value.detach().to(CPU).to_type(ScalarType.Float64).contiguous();
        var flat = t.reshape(-1);
        string shape = t.shape.Length == 1
            ? $"({t.shape[0]},)"
            : "(" + string.Join(", ", t.shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";
        string header = $"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}";
        int total = 10 + header.Length + 1;
        int padded = (total + 63) / 64 * 64;
        header = header + new string(' ', padded - total) + "\n";
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
            stream.Write(BitConverter.GetBytes((ushort)header.Length));
            stream.Write(Encoding.ASCII.GetBytes(header));
            long n = flat.shape[0];
            for (long start = 0; start < n; start += ChunkElements)
            {
                using var inner = NewDisposeScope();
                long count = Math.Min(ChunkElements, n - start);
                double[] chunk = flat.narrow(0, start, count).data<double>().ToArray();
                stream.Write(MemoryMarshal.AsBytes(chunk.AsSpan()));
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static Tensor Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"SVD cache file '{path}' does not exist.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> preamble = stackalloc byte[10];
        if (stream.Read(preamble) != 10 || preamble[0] != 0x93 || preamble[1] != (byte)'N')
            throw new InvalidDataException($"SVD cache file '{path}' is not an NPY file.");
        int headerLength = preamble[6] == 1 ? BitConverter.ToUInt16(preamble[8..10]) : throw new InvalidDataException(
            $"SVD cache file '{path}' has NPY version {preamble[6]}; expected 1 (written by this library).");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        string header = Encoding.ASCII.GetString(headerBytes);
        if (!header.Contains("'<f8'", StringComparison.Ordinal) || header.Contains("'fortran_order': True", StringComparison.Ordinal))
            throw new InvalidDataException($"SVD cache file '{path}' is not a C-order float64 array (header {header.Trim()}).");
        var match = ShapePattern().Match(header);
        if (!match.Success) throw new InvalidDataException($"SVD cache file '{path}' has no shape in its header ({header.Trim()}).");
        long[] shape = match.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long n = shape.Aggregate(1L, (a, b) => a * b);
        if (stream.Length - stream.Position != n * sizeof(double))
        {
            throw new InvalidDataException(
                $"SVD cache file '{path}' is truncated or corrupt: {stream.Length - stream.Position} data bytes for shape ({string.Join(", ", shape)}), expected {n * sizeof(double)}.");
        }

        var result = empty([n], dtype: ScalarType.Float64);
        var buffer = new double[Math.Min(ChunkElements, n)];
        for (long start = 0; start < n; start += buffer.Length)
        {
            using var inner = NewDisposeScope();
            int count = (int)Math.Min(buffer.Length, n - start);
            stream.ReadExactly(MemoryMarshal.AsBytes(buffer.AsSpan(0, count)));
            result.narrow(0, start, count).copy_(tensor(buffer.AsSpan(0, count).ToArray()));
        }

        var shaped = result.reshape(shape);
        result.Dispose();
        return shaped;
    }

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
