using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;
using static InverseBench.Core.IO.Lmdb.LmdbFormat;

namespace InverseBench.Core.IO.Lmdb;

/// <summary>
/// A read-only, fully managed reader of LMDB databases (<c>data.mdb</c>, the format written by liblmdb / python-lmdb):
/// meta pages (the newer valid one wins), B+tree branch and leaf pages, overflow pages for large values; the page size is
/// read from the meta page. Only the unnamed main database is read (no named sub-databases, no duplicate-sorted keys),
/// which is what the reference's datasets use.
/// </summary>
/// <remarks>
/// <para>Why managed: the native liblmdb bundled with the LightningDB package needs GLIBC 2.38, and the distro library
/// is not always installed, so the datasets (<see cref="LmdbDataset"/>) read files with this class everywhere. No lock
/// file is used or needed (like <c>lmdb.open(readonly=True, lock=False)</c>): do not read a database another process is
/// writing.</para>
/// <para>Thread-safe: reads are positional (<see cref="RandomAccess"/>), so several threads may call
/// <see cref="TryGet(ReadOnlySpan{byte}, out byte[])"/> at once.</para>
/// <para>Corrupt or foreign files raise <see cref="LmdbFormatException"/> naming the file and the problem.</para>
/// </remarks>
public sealed class LmdbReader : IDisposable
{
    private const int MaxDepth = 64;
    private readonly SafeFileHandle _file;
    private readonly long _length;
    private readonly ulong _root;
    private bool _disposed;

    private LmdbReader(string path, SafeFileHandle file)
    {
        FilePath = path;
        _file = file;
        _length = RandomAccess.GetLength(file);
        if (_length < MetaEnd)
            throw new LmdbFormatException(path, $"the file has {_length} bytes, fewer than one meta page: not an LMDB database, or truncated.");
        var meta0 = ReadMeta(0, probe: true);
        PageSize = meta0.PageSize;
        Meta? meta1 = _length >= PageSize + (long)MetaEnd ? TryReadMeta(PageSize) : null;
        var meta = meta1 is { } m1 && m1.TxnId > meta0.TxnId ? m1 : meta0;
        if ((meta.MainFlags & DbDupSort) != 0)
            throw new LmdbFormatException(path, "the main database uses duplicate-sorted keys (MDB_DUPSORT), which this reader does not support.");
        _root = meta.Root;
        Depth = meta.Depth;
        Count = meta.Entries;
        TransactionId = meta.TxnId;
    }

    /// <summary>The <c>data.mdb</c> file being read.</summary>
    public string FilePath { get; }

    /// <summary>The database page size (from the meta page).</summary>
    public int PageSize { get; }

    /// <summary>Number of entries of the main database (meta <c>md_entries</c>, python-lmdb <c>stat()['entries']</c>).</summary>
    public long Count { get; }

    /// <summary>Depth of the B+tree (0 for an empty database).</summary>
    public int Depth { get; }

    /// <summary>Transaction id of the meta page in use.</summary>
    public long TransactionId { get; }

    /// <summary>
    /// Opens a database: <paramref name="path"/> is an environment directory holding <c>data.mdb</c> (as
    /// <c>lmdb.open(root)</c>) or the <c>data.mdb</c> file itself.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">Neither a directory nor a file exists at <paramref name="path"/>.</exception>
    /// <exception cref="FileNotFoundException">The directory has no <c>data.mdb</c>.</exception>
    /// <exception cref="LmdbFormatException">The file is not an LMDB database or is corrupt.</exception>
    public static LmdbReader Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string file;
        if (Directory.Exists(path))
        {
            file = Path.Combine(path, "data.mdb");
            if (!File.Exists(file))
                throw new FileNotFoundException($"LMDB environment '{path}' has no data.mdb file.", file);
        }
        else if (File.Exists(path))
        {
            file = path;
        }
        else
        {
            throw new DirectoryNotFoundException($"LMDB environment '{path}' does not exist (expected a directory holding data.mdb).");
        }

        var handle = File.OpenHandle(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        try
        {
            return new LmdbReader(file, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Looks up <paramref name="key"/>; returns false when absent.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, out byte[] value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        value = [];
        if (_root == InvalidPage || Count == 0) return false;
        ulong pgno = _root;
        for (int level = 0; level < MaxDepth; level++)
        {
            var page = ReadPage(pgno);
            var (flags, n) = Header(page, pgno);
            if ((flags & PageBranch) != 0)
            {
                // Largest i with key(i) <= key; node 0's key is the implicit minimum.
                int lo = 1, hi = n - 1, child = 0;
                while (lo <= hi)
                {
                    int mid = (lo + hi) >>> 1;
                    var (nodeKey, _, _, _) = Node(page, pgno, mid, branch: true);
                    if (Compare(nodeKey, key) <= 0) { child = mid; lo = mid + 1; }
                    else hi = mid - 1;
                }

                pgno = Node(page, pgno, child, branch: true).Child;
                continue;
            }

            if ((flags & PageLeaf) == 0 || (flags & PageLeaf2) != 0)
                throw Corrupt($"page {pgno} has flags 0x{flags:X4}; expected a branch or leaf page.");
            int l = 0, h = n - 1;
            while (l <= h)
            {
                int mid = (l + h) >>> 1;
                var (nodeKey, _, _, _) = Node(page, pgno, mid, branch: false);
                int c = Compare(nodeKey, key);
                if (c == 0)
                {
                    value = LeafValue(page, pgno, mid);
                    return true;
                }

                if (c < 0) l = mid + 1;
                else h = mid - 1;
            }

            return false;
        }

        throw Corrupt($"the B+tree is deeper than {MaxDepth} levels (a cycle?).");
    }

    /// <summary>The value of <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The key is absent; the message names it and the file.</exception>
    public byte[] Get(ReadOnlySpan<byte> key)
    {
        if (TryGet(key, out var value)) return value;
        throw new KeyNotFoundException($"Key '{Printable(key)}' is not in LMDB database '{FilePath}' ({Count} entries).");
    }

    /// <summary>The value of the UTF-8 encoded <paramref name="key"/>.</summary>
    /// <exception cref="KeyNotFoundException">The key is absent.</exception>
    public byte[] Get(string key) => Get(Encoding.UTF8.GetBytes(key ?? throw new ArgumentNullException(nameof(key))));

    /// <summary>Whether the UTF-8 encoded <paramref name="key"/> is present.</summary>
    public bool ContainsKey(string key) => TryGet(Encoding.UTF8.GetBytes(key ?? throw new ArgumentNullException(nameof(key))), out _);

    /// <summary>Every entry in key order (bytewise), read lazily.</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Entries()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_root == InvalidPage || Count == 0) yield break;
        foreach (var e in Walk(_root, 0)) yield return e;
    }

    private IEnumerable<KeyValuePair<byte[], byte[]>> Walk(ulong pgno, int level)
    {
        if (level >= MaxDepth) throw Corrupt($"the B+tree is deeper than {MaxDepth} levels (a cycle?).");
        var page = ReadPage(pgno);
        var (flags, n) = Header(page, pgno);
        for (int i = 0; i < n; i++)
        {
            if ((flags & PageBranch) != 0)
            {
                foreach (var e in Walk(Node(page, pgno, i, branch: true).Child, level + 1)) yield return e;
            }
            else if ((flags & PageLeaf) != 0 && (flags & PageLeaf2) == 0)
            {
                var key = Node(page, pgno, i, branch: false).Key.ToArray();
                yield return new KeyValuePair<byte[], byte[]>(key, LeafValue(page, pgno, i));
            }
            else
            {
                throw Corrupt($"page {pgno} has flags 0x{flags:X4}; expected a branch or leaf page.");
            }
        }
    }

    private byte[] LeafValue(byte[] page, ulong pgno, int index)
    {
        var (_, data, nodeFlags, size) = Node(page, pgno, index, branch: false);
        if ((nodeFlags & (NodeSubData | NodeDupData)) != 0)
            throw Corrupt($"entry {index} of page {pgno} is a sub-database or duplicate list (flags 0x{nodeFlags:X4}), which this reader does not support.");
        if ((nodeFlags & NodeBigData) == 0) return data.ToArray();
        ulong overflow = BinaryPrimitives.ReadUInt64LittleEndian(data);
        var header = new byte[PageHeaderSize];
        ReadAt(PageOffset(overflow, $"overflow page {overflow}"), header, $"overflow page {overflow}");
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(10));
        if ((flags & PageOverflow) == 0)
            throw Corrupt($"page {overflow} (value of entry {index} on page {pgno}) has flags 0x{flags:X4}; expected an overflow page.");
        uint pages = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        if ((long)pages * PageSize < PageHeaderSize + size)
            throw Corrupt($"overflow page {overflow} spans {pages} page(s), too few for a {size}-byte value.");
        long valueOffset = PageOffset(overflow, $"overflow page {overflow}") + PageHeaderSize;
        if (valueOffset + (long)size > _length)
            throw Corrupt($"the {size}-byte value on overflow page {overflow} runs past the end of the file ({_length} bytes).");
        var value = new byte[size];
        ReadAt(valueOffset, value, $"the {size}-byte value on overflow page {overflow}");
        return value;
    }

    private (ushort Flags, int Count) Header(byte[] page, ulong pgno)
    {
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(10));
        ushort lower = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(12));
        ushort upper = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(14));
        if (lower < PageHeaderSize || (lower & 1) != 0 || upper > PageSize || lower > upper)
            throw Corrupt($"page {pgno} has an invalid free-space range (lower {lower}, upper {upper}).");
        int n = (lower - PageHeaderSize) >> 1;
        if (n == 0) throw Corrupt($"page {pgno} has no entries.");
        return (flags, n);
    }

    private NodeView Node(byte[] page, ulong pgno, int index, bool branch)
    {
        int ptr = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(PageHeaderSize + 2 * index));
        if (ptr < PageHeaderSize || ptr + NodeHeaderSize > PageSize)
            throw Corrupt($"entry {index} of page {pgno} points outside the page (offset {ptr}).");
        ushort lo = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(ptr));
        ushort hi = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(ptr + 2));
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(ptr + 4));
        ushort ksize = BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(ptr + 6));
        int keyStart = ptr + NodeHeaderSize;
        if (keyStart + ksize > PageSize) throw Corrupt($"the key of entry {index} on page {pgno} runs past the page end.");
        var key = new ReadOnlySpan<byte>(page, keyStart, ksize);
        if (branch)
        {
            ulong child = lo | ((ulong)hi << 16) | ((ulong)flags << 32);
            return new NodeView(page, keyStart, ksize, 0, 0, 0, child);
        }

        int size = lo | (hi << 16);
        int stored = (flags & NodeBigData) != 0 ? 8 : size;
        if (size < 0 || keyStart + ksize + (long)stored > PageSize)
            throw Corrupt($"the value of entry {index} on page {pgno} runs past the page end ({size} bytes).");
        return new NodeView(page, keyStart, ksize, stored, flags, size, 0);
    }

    private readonly ref struct NodeView(byte[] page, int keyStart, int keySize, int storedSize, ushort flags, int size, ulong child)
    {
        private readonly byte[] _page = page;
        public ReadOnlySpan<byte> Key => new(_page, keyStart, keySize);
        public ReadOnlySpan<byte> Data => new(_page, keyStart + keySize, storedSize);
        public ushort Flags => flags;
        public int Size => size;
        public ulong Child => child;

        public void Deconstruct(out ReadOnlySpan<byte> key, out ReadOnlySpan<byte> data, out ushort nodeFlags, out int dataSize)
        {
            key = Key;
            data = Data;
            nodeFlags = Flags;
            dataSize = Size;
        }
    }

    private byte[] ReadPage(ulong pgno)
    {
        if (pgno < 2) throw Corrupt($"a tree node points at meta page {pgno}.");
        var page = new byte[PageSize];
        ReadAt(PageOffset(pgno, $"page {pgno}"), page, $"page {pgno}");
        return page;
    }

    /// <summary>The byte offset of page <paramref name="pgno"/>, refusing page numbers beyond the file (before they can overflow).</summary>
    private long PageOffset(ulong pgno, string what)
    {
        if (pgno >= (ulong)(_length / PageSize))
            throw Corrupt($"{what} lies beyond the end of the file ({_length} bytes, {_length / PageSize} pages): the file is truncated or corrupt.");
        return (long)pgno * PageSize;
    }

    private void ReadAt(long offset, byte[] buffer, string what)
    {
        if (offset < 0 || offset + buffer.Length > _length)
        {
            throw Corrupt($"{what} (bytes {offset}..{offset + buffer.Length}) lies beyond the end of the file ({_length} bytes): the file is truncated or corrupt.");
        }

        int read = 0;
        while (read < buffer.Length)
        {
            int n = RandomAccess.Read(_file, buffer.AsSpan(read), offset + read);
            if (n <= 0) throw Corrupt($"unexpected end of file while reading {what}.");
            read += n;
        }
    }

    private readonly record struct Meta(int PageSize, long TxnId, ulong Root, int Depth, long Entries, ushort MainFlags);

    private Meta? TryReadMeta(long offset)
    {
        try
        {
            return ReadMeta(offset, probe: false);
        }
        catch (LmdbFormatException)
        {
            return null;
        }
    }

    private Meta ReadMeta(long offset, bool probe)
    {
        var buffer = new byte[MetaEnd];
        ReadAt(offset, buffer, "the meta page");
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(MetaOffset));
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(10));
        if (magic != LmdbFormat.Magic || (flags & PageMeta) == 0)
        {
            throw Corrupt(probe
                ? $"not an LMDB database (meta page magic 0x{magic:X8}, flags 0x{flags:X4}; expected 0x{LmdbFormat.Magic:X8} and a meta page)."
                : "the second meta page is invalid.");
        }

        uint version = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(MetaOffset + 4));
        if (version != DataVersion)
            throw Corrupt($"unsupported LMDB data version {version} (expected {DataVersion}).");
        int psize = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(MetaDbsOffset));
        if (psize < 256 || psize > 65536 || (psize & (psize - 1)) != 0)
            throw Corrupt($"invalid page size {psize} in the meta page.");
        var main = buffer.AsSpan(MetaDbsOffset + DbSize);
        ushort mainFlags = BinaryPrimitives.ReadUInt16LittleEndian(main[4..]);
        int depth = BinaryPrimitives.ReadUInt16LittleEndian(main[6..]);
        long entries = (long)BinaryPrimitives.ReadUInt64LittleEndian(main[32..]);
        ulong root = BinaryPrimitives.ReadUInt64LittleEndian(main[40..]);
        long txn = (long)BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(MetaTxnIdOffset));
        return new Meta(psize, txn, root, depth, entries, mainFlags);
    }

    private LmdbFormatException Corrupt(string problem) => new(FilePath, problem);

    private static string Printable(ReadOnlySpan<byte> key)
    {
        foreach (byte b in key)
            if (b < 0x20 || b > 0x7E) return "0x" + Convert.ToHexString(key);
        return Encoding.ASCII.GetString(key);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _file.Dispose();
    }
}
