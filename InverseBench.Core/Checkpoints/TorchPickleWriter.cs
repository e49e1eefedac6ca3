using System.Collections;
using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace InverseBench.Core.Checkpoints;

/// <summary>
/// Writes <c>torch.save</c>-compatible zip archives (pickle protocol 2, archive records <c>&lt;name&gt;/data.pkl</c>,
/// <c>&lt;name&gt;/data/0…</c>, <c>&lt;name&gt;/version</c>), which Python's <c>torch.load</c> reads: either
/// <c>{entry: OrderedDict(key → tensor)}</c> (<see cref="Write"/>) or a nested object tree (<see cref="WriteObject"/>).
/// </summary>
internal static class TorchPickleWriter
{
    public static void Write(string path, IReadOnlyList<(string Key, Tensor Value)> stateDict, string? entry)
    {
        var ordered = stateDict.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value)).ToList();
        object root = entry is null ? ordered : new Dictionary<object, object?> { [entry] = ordered };
        WriteObject(path, root);
    }

    /// <summary>
    /// Writes <paramref name="root"/> as <c>torch.save(obj)</c> would. Supported values: null, bool, integers, float/double,
    /// string, <see cref="Tensor"/>, <c>IReadOnlyList&lt;KeyValuePair&lt;string, Tensor&gt;&gt;</c> (an <c>OrderedDict</c>,
    /// i.e. a state dict), <see cref="IDictionary"/> (a <c>dict</c>, in enumeration order), <c>object?[]</c> (a tuple) and
    /// other <see cref="IList"/>s (a list).
    /// </summary>
    public static void WriteObject(string path, object? root)
    {
        string archiveName = new string(Path.GetFileNameWithoutExtension(path).Select(c => char.IsLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
        if (archiveName.Length == 0) archiveName = "archive";
        var tensors = new List<Tensor>();
        var pkl = new MemoryStream();
        pkl.WriteByte(0x80); pkl.WriteByte(2);               // PROTO 2
        Emit(pkl, root, tensors);
        pkl.WriteByte((byte)'.');
        string tmp = path + ".tmp";
        using (var file = File.Create(tmp))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            WriteEntry(zip, $"{archiveName}/data.pkl", s => pkl.WriteTo(s));
            for (int i = 0; i < tensors.Count; i++)
            {
                var t = tensors[i];
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

    private static void Emit(Stream s, object? value, List<Tensor> tensors)
    {
        switch (value)
        {
            case null: s.WriteByte((byte)'N'); break;
            case bool b: s.WriteByte(b ? (byte)0x88 : (byte)0x89); break;
            case int i: Int(s, i); break;
            case long l: Int(s, l); break;
            case float f: Float(s, f); break;
            case double d: Float(s, d); break;
            case string text: Unicode(s, text); break;
            case Tensor t: EmitTensor(s, t, tensors); break;
            case IReadOnlyList<KeyValuePair<string, Tensor>> stateDict:
                Global(s, "collections", "OrderedDict");
                s.WriteByte((byte)')'); s.WriteByte((byte)'R');      // OrderedDict()
                if (stateDict.Count > 0)
                {
                    s.WriteByte((byte)'(');                          // MARK
                    foreach (var (key, t) in stateDict)
                    {
                        Unicode(s, key);
                        EmitTensor(s, t, tensors);
                    }
                    s.WriteByte((byte)'u');                          // SETITEMS
                }
                break;
            case IDictionary dict:
                s.WriteByte((byte)'}');                              // EMPTY_DICT
                if (dict.Count > 0)
                {
                    s.WriteByte((byte)'(');
                    foreach (DictionaryEntry e in dict)
                    {
                        Emit(s, e.Key, tensors);
                        Emit(s, e.Value, tensors);
                    }
                    s.WriteByte((byte)'u');
                }
                break;
            case object?[] tuple:
                s.WriteByte((byte)'(');
                foreach (var item in tuple) Emit(s, item, tensors);
                s.WriteByte((byte)'t');
                break;
            case IList list:
                s.WriteByte((byte)']');                              // EMPTY_LIST
                if (list.Count > 0)
                {
                    s.WriteByte((byte)'(');
                    foreach (var item in list) Emit(s, item, tensors);
                    s.WriteByte((byte)'e');                          // APPENDS
                }
                break;
            default:
                throw new NotSupportedException($"A value of type {value.GetType().Name} cannot be written to a torch checkpoint.");
        }
    }

    private static void EmitTensor(Stream s, Tensor t, List<Tensor> tensors)
    {
        int index = tensors.Count;
        tensors.Add(t);
        Global(s, "torch._utils", "_rebuild_tensor_v2");
        s.WriteByte((byte)'(');
        // persistent id ('storage', torch.XStorage, '<i>', 'cpu', numel)
        s.WriteByte((byte)'(');
        Unicode(s, "storage");
        Global(s, "torch", StorageName(t.dtype));
        Unicode(s, index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Unicode(s, "cpu");
        Int(s, t.numel());
        s.WriteByte((byte)'t');
        s.WriteByte((byte)'Q');                              // BINPERSID
        Int(s, 0);                                           // storage offset
        Tuple(s, t.shape);
        Tuple(s, ContiguousStrides(t.shape));
        s.WriteByte(0x89);                                   // requires_grad False
        Global(s, "collections", "OrderedDict");             // backward hooks
        s.WriteByte((byte)')'); s.WriteByte((byte)'R');
        s.WriteByte((byte)'t');
        s.WriteByte((byte)'R');
    }

    private static void Float(Stream s, double v)
    {
        s.WriteByte((byte)'G');                              // BINFLOAT (big-endian)
        var b = BitConverter.GetBytes(v);
        if (BitConverter.IsLittleEndian) Array.Reverse(b);
        s.Write(b);
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        var e = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var s = e.Open();
        write(s);
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
