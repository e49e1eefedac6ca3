using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace InverseBench.Core.Checkpoints;

/// <summary>
/// Writes <c>torch.save</c>-compatible zip archives holding <c>{entry: OrderedDict(key → tensor)}</c> (pickle protocol 2,
/// archive records <c>&lt;name&gt;/data.pkl</c>, <c>&lt;name&gt;/data/0…</c>, <c>&lt;name&gt;/version</c>), which Python's
/// <c>torch.load</c> reads.
/// </summary>
internal static class TorchPickleWriter
{
    public static void Write(string path, IReadOnlyList<(string Key, Tensor Value)> stateDict, string? entry)
    {
        string archiveName = new string(Path.GetFileNameWithoutExtension(path).Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        if (archiveName.Length == 0) archiveName = "archive";
        string tmp = path + ".tmp";
        using (var file = File.Create(tmp))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            var pkl = new MemoryStream();
            WritePickle(pkl, stateDict, entry);
            WriteEntry(zip, $"{archiveName}/data.pkl", s => pkl.WriteTo(s));
            for (int i = 0; i < stateDict.Count; i++)
            {
                var t = stateDict[i].Value;
                WriteEntry(zip, $"{archiveName}/data/{i}", s =>
                {
                    using var cpu = t.detach().cpu().contiguous();
                    cpu.WriteBytesToStream(s, 1 << 20);
                });
            }
            WriteEntry(zip, $"{archiveName}/version", s => s.Write("3\n"u8));
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        var e = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var s = e.Open();
        write(s);
    }

    private static void WritePickle(Stream s, IReadOnlyList<(string Key, Tensor Value)> stateDict, string? entry)
    {
        s.WriteByte(0x80); s.WriteByte(2);                   // PROTO 2
        if (entry is not null)
        {
            s.WriteByte((byte)'}');                          // EMPTY_DICT
            Unicode(s, entry);
        }
        Global(s, "collections", "OrderedDict");
        s.WriteByte((byte)')'); s.WriteByte((byte)'R');      // OrderedDict()
        if (stateDict.Count > 0)
        {
            s.WriteByte((byte)'(');                          // MARK
            for (int i = 0; i < stateDict.Count; i++)
            {
                var (key, t) = stateDict[i];
                Unicode(s, key);
                Global(s, "torch._utils", "_rebuild_tensor_v2");
                s.WriteByte((byte)'(');
                // persistent id ('storage', torch.XStorage, '<i>', 'cpu', numel)
                s.WriteByte((byte)'(');
                Unicode(s, "storage");
                Global(s, "torch", StorageName(t.dtype));
                Unicode(s, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Unicode(s, "cpu");
                Int(s, t.numel());
                s.WriteByte((byte)'t');
                s.WriteByte((byte)'Q');                      // BINPERSID
                Int(s, 0);                                   // storage offset
                Tuple(s, t.shape);
                Tuple(s, ContiguousStrides(t.shape));
                s.WriteByte(0x89);                           // requires_grad False
                Global(s, "collections", "OrderedDict");     // backward hooks
                s.WriteByte((byte)')'); s.WriteByte((byte)'R');
                s.WriteByte((byte)'t');
                s.WriteByte((byte)'R');
            }
            s.WriteByte((byte)'u');                          // SETITEMS
        }
        if (entry is not null) s.WriteByte((byte)'s');       // SETITEM
        s.WriteByte((byte)'.');
    }

    private static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = acc;
            acc *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    private static void Tuple(Stream s, long[] values)
    {
        s.WriteByte((byte)'(');
        foreach (var v in values) Int(s, v);
        s.WriteByte((byte)'t');
    }

    private static void Int(Stream s, long v)
    {
        if (v >= 0 && v < 256) { s.WriteByte((byte)'K'); s.WriteByte((byte)v); }
        else if (v >= 0 && v < 65536) { s.WriteByte((byte)'M'); s.Write(BitConverter.GetBytes((ushort)v)); }
        else if (v >= int.MinValue && v <= int.MaxValue) { s.WriteByte((byte)'J'); s.Write(BitConverter.GetBytes((int)v)); }
        else { s.WriteByte(0x8a); s.WriteByte(8); s.Write(BitConverter.GetBytes(v)); }
    }

    private static void Unicode(Stream s, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        s.WriteByte((byte)'X');
        s.Write(BitConverter.GetBytes(bytes.Length));
        s.Write(bytes);
    }

    private static void Global(Stream s, string module, string name)
    {
        s.WriteByte((byte)'c');
        s.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    private static string StorageName(ScalarType t) => t switch
    {
        ScalarType.Float64 => "DoubleStorage",
        ScalarType.Float32 => "FloatStorage",
        ScalarType.Float16 => "HalfStorage",
        ScalarType.BFloat16 => "BFloat16Storage",
        ScalarType.Int64 => "LongStorage",
        ScalarType.Int32 => "IntStorage",
        ScalarType.Int16 => "ShortStorage",
        ScalarType.Int8 => "CharStorage",
        ScalarType.Byte => "ByteStorage",
        ScalarType.Bool => "BoolStorage",
        ScalarType.ComplexFloat32 => "ComplexFloatStorage",
        ScalarType.ComplexFloat64 => "ComplexDoubleStorage",
        _ => throw new NotSupportedException($"Tensors of dtype {t} cannot be saved in a torch checkpoint."),
    };
}
