using System.Globalization;
using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace InverseBench.Core.Checkpoints;

/// <summary>A Python <c>dict</c>/<c>OrderedDict</c> read from a pickle; keys keep their insertion order.</summary>
internal sealed class PyDict
{
    private readonly Dictionary<object, object?> _map = new();
    private readonly List<object> _keys = new();

    public IReadOnlyList<object> Keys => _keys;

    public int Count => _keys.Count;

    public object? this[object key]
    {
        get => _map[key];
        set
        {
            if (!_map.ContainsKey(key)) _keys.Add(key);
            _map[key] = value;
        }
    }

    public bool TryGetValue(object key, out object? value) => _map.TryGetValue(key, out value);
}

/// <summary>A Python global (<c>module.name</c>) referenced by the pickle.</summary>
internal sealed record PyGlobal(string Module, string Name)
{
    public override string ToString() => $"{Module}.{Name}";
}

/// <summary>An object of a class this reader does not model (kept opaque, e.g. optimizer internals).</summary>
internal sealed record PyOpaque(PyGlobal Type, object? Args);

/// <summary>
/// Reads the subset of pickle (protocols 2–5) that <c>torch.save</c> writes into its zip archives: dicts, OrderedDicts,
/// lists, tuples, numbers, strings, None/bools and tensors (<c>_rebuild_tensor_v2</c> over persistent storages). Every
/// malformed input becomes a <see cref="CheckpointException"/> naming the file.
/// </summary>
internal sealed class TorchPickleReader : IDisposable
{
    private readonly string _file;
    private readonly ZipArchive _archive;
    private readonly string _prefix;
    private readonly Dictionary<string, Tensor> _storages = new();
    private readonly List<Tensor> _created = new();

    private TorchPickleReader(string file, ZipArchive archive, string prefix)
    {
        _file = file;
        _archive = archive;
        _prefix = prefix;
    }

    /// <summary>Reads the top-level object of a <c>torch.save</c> zip file. Tensors in the result are owned by the caller.</summary>
    public static object? Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint file '{path}' does not exist.", path);
        using var stream = File.OpenRead(path);
        var sig = new byte[4];
        if (stream.Read(sig, 0, 4) < 4 || sig[0] != 0x50 || sig[1] != 0x4B || sig[2] != 0x03 || sig[3] != 0x04)
            throw new CheckpointException($"Checkpoint '{path}' is not a torch.save zip archive (no zip signature). Legacy (non-zip) torch files and " +
                                          "pickled modules are not supported; re-save with torch.save(state_dict, path).") { FilePath = path };
        stream.Seek(0, SeekOrigin.Begin);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointException($"Checkpoint '{path}' is a damaged or truncated zip archive: {e.Message}", e) { FilePath = path };
        }
        using (archive)
        {
            ZipArchiveEntry? pkl;
            try
            {
                pkl = archive.Entries.FirstOrDefault(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
            }
            catch (InvalidDataException e)
            {
                throw new CheckpointException($"Checkpoint '{path}' has a damaged zip directory: {e.Message}", e) { FilePath = path };
            }
            if (pkl is null)
                throw new CheckpointException($"Checkpoint '{path}' is a zip archive without a data.pkl entry; it was not written by torch.save.") { FilePath = path };
            string prefix = pkl.FullName[..^"data.pkl".Length];
            using var reader = new TorchPickleReader(path, archive, prefix);
            try
            {
                using var pklStream = pkl.Open();
                using var ms = new MemoryStream();
                pklStream.CopyTo(ms);
                var result = reader.Run(ms.ToArray());
                reader._created.Clear();           // ownership passes to the caller
                return result;
            }
            catch (CheckpointException) { throw; }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or InvalidCastException or IndexOutOfRangeException
                                          or ArgumentException or InvalidOperationException or KeyNotFoundException or IOException)
            {
                throw new CheckpointException($"Checkpoint '{path}' could not be read: {e.Message}", e) { FilePath = path };
            }
        }
    }

    private CheckpointException Fail(string what) => new($"Checkpoint '{_file}': {what}") { FilePath = _file };

    private object? Run(byte[] data)
    {
        var stack = new List<object?>();
        var marks = new Stack<int>();
        var memo = new Dictionary<long, object?>();
        var mark = new object();
        int pos = 0;

        byte U8() => pos < data.Length ? data[pos++] : throw Fail("data.pkl ends unexpectedly (truncated).");
        ReadOnlySpan<byte> Take(long n)
        {
            if (n < 0 || pos + n > data.Length) throw Fail("data.pkl ends unexpectedly (truncated).");
            var s = data.AsSpan(pos, (int)n);
            pos += (int)n;
            return s;
        }
        int I32() => BitConverter.ToInt32(Take(4));
        string Line()
        {
            int end = Array.IndexOf(data, (byte)'\n', pos);
            if (end < 0) throw Fail("data.pkl ends unexpectedly (truncated).");
            var s = Encoding.UTF8.GetString(data, pos, end - pos);
            pos = end + 1;
            return s;
        }
        object? Pop()
        {
            if (stack.Count == 0) throw Fail("malformed pickle (stack underflow).");
            var v = stack[^1];
            stack.RemoveAt(stack.Count - 1);
            return v;
        }
        List<object?> PopMark()
        {
            if (marks.Count == 0) throw Fail("malformed pickle (missing MARK).");
            int m = marks.Pop();
            var items = stack.GetRange(m, stack.Count - m);
            stack.RemoveRange(m, stack.Count - m);
            return items;
        }
        object? Top() => stack.Count > 0 ? stack[^1] : throw Fail("malformed pickle (stack underflow).");

        while (true)
        {
            byte op = U8();
            switch (op)
            {
                case 0x80: U8(); break;                                   // PROTO
                case 0x95: Take(8); break;                                // FRAME
                case (byte)'.': return stack.Count == 1 ? stack[0] : throw Fail("malformed pickle (stack not empty at STOP).");
                case (byte)'(': marks.Push(stack.Count); break;           // MARK
                case (byte)'}': stack.Add(new PyDict()); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)')': stack.Add(Array.Empty<object?>()); break;
                case 0x8f: stack.Add(new List<object?>()); break;          // EMPTY_SET (as a list)
                case (byte)'t': stack.Add(PopMark().ToArray()); break;
                case 0x85: stack.Add(new[] { Pop() }); break;
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; }
                case (byte)'l': stack.Add(PopMark()); break;
                case (byte)'d':
                {
                    var items = PopMark();
                    var d = new PyDict();
                    for (int i = 0; i + 1 < items.Count; i += 2) d[Key(items[i])] = items[i + 1];
                    stack.Add(d);
                    break;
                }
                case (byte)'a': { var v = Pop(); AsList(Top()).Add(v); break; }
                case (byte)'e': case 0x90: { var items = PopMark(); AsList(Top()).AddRange(items); break; }
                case (byte)'s': { var v = Pop(); var k = Pop(); AsDict(Top())[Key(k)] = v; break; }
                case (byte)'u':
                {
                    var items = PopMark();
                    var d = AsDict(Top());
                    for (int i = 0; i + 1 < items.Count; i += 2) d[Key(items[i])] = items[i + 1];
                    break;
                }
                case 0x91: stack.Add(PopMark()); break;                     // FROZENSET
                case (byte)'q': memo[U8()] = Top(); break;
                case (byte)'r': memo[(uint)I32()] = Top(); break;
                case 0x94: memo[memo.Count] = Top(); break;                 // MEMOIZE
                case (byte)'h': stack.Add(Memo(memo, U8())); break;
                case (byte)'j': stack.Add(Memo(memo, (uint)I32())); break;
                case (byte)'J': stack.Add((long)I32()); break;
                case (byte)'K': stack.Add((long)U8()); break;
                case (byte)'M': stack.Add((long)BitConverter.ToUInt16(Take(2))); break;
                case 0x8a: { int n = U8(); stack.Add(LongFromBytes(Take(n))); break; }
                case (byte)'G': { var b = Take(8).ToArray(); Array.Reverse(b); stack.Add(BitConverter.ToDouble(b)); break; }
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'X': { int n = I32(); stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case 0x8c: { int n = U8(); stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case 0x8d: { long n = BitConverter.ToInt64(Take(8)); stack.Add(Encoding.UTF8.GetString(Take(n))); break; }
                case (byte)'T': { int n = I32(); stack.Add(Encoding.Latin1.GetString(Take(n))); break; }
                case (byte)'U': { int n = U8(); stack.Add(Encoding.Latin1.GetString(Take(n))); break; }
                case (byte)'B': { int n = I32(); stack.Add(Take(n).ToArray()); break; }
                case (byte)'C': { int n = U8(); stack.Add(Take(n).ToArray()); break; }
                case (byte)'c': { var module = Line(); var name = Line(); stack.Add(new PyGlobal(module, name)); break; }
                case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; stack.Add(new PyGlobal(module, name)); break; }
                case (byte)'R': { var args = Pop(); var fn = Pop(); stack.Add(Reduce(fn, args)); break; }
                case 0x81: { var args = Pop(); var cls = Pop(); stack.Add(Reduce(cls, args)); break; }   // NEWOBJ
                case (byte)'b': Pop(); break;                               // BUILD: object state (e.g. state_dict _metadata) is not needed
                case (byte)'Q': stack.Add(PersistentLoad(Pop())); break;
                case (byte)'0': Pop(); break;
                case (byte)'1': PopMark(); break;
                case (byte)'2': stack.Add(Top()); break;
                default:
                    throw Fail($"unsupported pickle opcode 0x{op:x2} at offset {pos - 1} of data.pkl.");
            }
        }
    }

    private object? Memo(Dictionary<long, object?> memo, long key) =>
        memo.TryGetValue(key, out var v) ? v : throw Fail($"malformed pickle (memo key {key} is not defined).");

    private List<object?> AsList(object? o) => o as List<object?> ?? throw Fail("malformed pickle (APPEND to a non-list).");

    private PyDict AsDict(object? o) => o as PyDict ?? throw Fail($"malformed pickle (SETITEM on {o?.GetType().Name ?? "None"}).");

    private object Key(object? k) => k switch
    {
        null => throw Fail("a dict key is None."),
        object?[] t => string.Join(",", t),
        _ => k,
    };

    private static long LongFromBytes(ReadOnlySpan<byte> b)
    {
        if (b.Length == 0) return 0;
        if (b.Length > 8) throw new InvalidDataException("an integer is wider than 64 bits.");
        long v = 0;
        for (int i = b.Length - 1; i >= 0; i--) v = (v << 8) | b[i];
        int shift = 64 - 8 * b.Length;
        return shift == 0 ? v : (v << shift) >> shift;
    }

    private object? Reduce(object? fn, object? args)
    {
        var a = args as object?[] ?? [];
        if (fn is not PyGlobal g) throw Fail("malformed pickle (REDUCE of a non-callable).");
        switch (g.ToString())
        {
            case "collections.OrderedDict":
            case "builtins.dict":
                return new PyDict();
            case "torch._utils._rebuild_tensor_v2":
            case "torch._utils._rebuild_tensor":
                return RebuildTensor(a);
            case "torch._utils._rebuild_parameter":
            case "torch._utils._rebuild_parameter_with_state":
                return a.Length > 0 && a[0] is Tensor t ? t : throw Fail("malformed parameter record.");
            case "torch.nn.parameter.Parameter":
                throw Fail("the file holds a pickled module, not a state dict; re-save with torch.save(net.state_dict(), path).");
            default:
                return new PyOpaque(g, args);
        }
    }

    private Tensor RebuildTensor(object?[] a)
    {
        if (a.Length < 4 || a[0] is not StorageRef storage || a[2] is not object?[] size || a[3] is not object?[] stride)
            throw Fail("malformed tensor record (_rebuild_tensor_v2 arguments).");
        long offset = Convert.ToInt64(a[1], CultureInfo.InvariantCulture);
        var shape = size.Select(s => Convert.ToInt64(s, CultureInfo.InvariantCulture)).ToArray();
        var strides = stride.Select(s => Convert.ToInt64(s, CultureInfo.InvariantCulture)).ToArray();
        if (shape.Length != strides.Length || shape.Any(s => s < 0) || strides.Any(s => s < 0) || offset < 0)
            throw Fail($"tensor record has an invalid shape/stride ({string.Join(",", shape)} / {string.Join(",", strides)}).");
        long extent = 1;
        if (shape.All(s => s > 0))
            for (int i = 0; i < shape.Length; i++) extent += (shape[i] - 1) * strides[i];
        else extent = 0;
        var data = LoadStorage(storage);
        if (offset + extent > data.numel())
            throw Fail($"tensor of shape [{string.Join(", ", shape)}] at offset {offset} exceeds its storage data/{storage.Key} of {data.numel()} elements.");
        var view = data.as_strided(shape, strides, offset);
        var result = view.contiguous().DetachFromDisposeScope();
        if (!ReferenceEquals(result, view)) view.Dispose();
        _created.Add(result);
        return result;
    }

    private Tensor LoadStorage(StorageRef s)
    {
        if (_storages.TryGetValue(s.Key, out var t)) return t;
        string name = _prefix + "data/" + s.Key;
        var entry = _archive.GetEntry(name) ?? throw Fail($"storage entry '{name}' is missing from the archive.");
        var tensor = empty([s.Numel], s.DType).DetachFromDisposeScope();
        long expected = s.Numel * tensor.element_size();
        if (entry.Length != expected)
        {
            tensor.Dispose();
            throw Fail($"storage entry '{name}' has {entry.Length} bytes; {s.Numel} × {s.DType} needs {expected} (file truncated or corrupt).");
        }
        using (var es = entry.Open())
            tensor.ReadBytesFromStream(es, 1 << 20);
        _storages[s.Key] = tensor;
        return tensor;
    }

    private StorageRef PersistentLoad(object? pid)
    {
        if (pid is not object?[] t || t.Length < 5 || t[0] is not "storage")
            throw Fail("unsupported persistent id (expected a torch storage record).");
        var typeName = t[1] switch
        {
            PyGlobal g => g.Name,
            string s => s,
            _ => throw Fail("storage record without a storage type."),
        };
        var dtype = typeName switch
        {
            "DoubleStorage" => ScalarType.Float64,
            "FloatStorage" => ScalarType.Float32,
            "HalfStorage" => ScalarType.Float16,
            "BFloat16Storage" => ScalarType.BFloat16,
            "LongStorage" => ScalarType.Int64,
            "IntStorage" => ScalarType.Int32,
            "ShortStorage" => ScalarType.Int16,
            "CharStorage" => ScalarType.Int8,
            "ByteStorage" => ScalarType.Byte,
            "BoolStorage" => ScalarType.Bool,
            "ComplexFloatStorage" => ScalarType.ComplexFloat32,
            "ComplexDoubleStorage" => ScalarType.ComplexFloat64,
            _ => throw Fail($"unsupported storage type '{typeName}'."),
        };
        string key = t[2] as string ?? throw Fail("storage record without a key.");
        long numel = Convert.ToInt64(t[4], CultureInfo.InvariantCulture);
        if (numel < 0) throw Fail("storage record with a negative size.");
        return new StorageRef(key, dtype, numel);
    }

    public void Dispose()
    {
        foreach (var s in _storages.Values) s.Dispose();
        foreach (var c in _created) c.Dispose();
        _storages.Clear();
    }

    private sealed record StorageRef(string Key, ScalarType DType, long Numel);
}
