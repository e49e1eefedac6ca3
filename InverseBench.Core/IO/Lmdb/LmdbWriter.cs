using System.Buffers.Binary;
using static InverseBench.Core.IO.Lmdb.LmdbFormat;

namespace InverseBench.Core.IO.Lmdb;

/// <summary>
/// Writes a new, read-only-ready LMDB database (<c>data.mdb</c>) in one go, fully managed: one unnamed main database,
/// keys sorted bytewise, leaf and branch pages, overflow pages for values too large for a leaf (the same rule as
/// liblmdb: node size above <c>((pageSize − 16)/2 &amp; ~1) − 2</c> bytes). Meant for tests, small exports and converting
/// data for <see cref="LmdbDataset"/>; it cannot update an existing database.
/// </summary>
/// <remarks>Pages are filled greedily in key order; both meta pages describe the same tree (meta 1 has the higher
/// transaction id). No <c>lock.mdb</c> is written (readers open with <c>lock=False</c>, as the reference does).</remarks>
public static class LmdbWriter
{
    /// <summary>Largest key LMDB accepts by default (<c>mdb_env_get_maxkeysize</c>).</summary>
    public const int MaxKeySize = 511;

    /// <summary>Writes <paramref name="entries"/> to <c>data.mdb</c> in <paramref name="directory"/> (created if needed; an existing file is replaced).</summary>
    /// <param name="directory">The environment directory.</param>
    /// <param name="entries">Key/value pairs; keys must be unique, 1..511 bytes.</param>
    /// <param name="pageSize">Page size (power of two, 512..65536; liblmdb uses the OS page size, 4096 here).</param>
    /// <returns>The path of the written <c>data.mdb</c>.</returns>
    public static string Write(string directory, IEnumerable<KeyValuePair<byte[], byte[]>> entries, int pageSize = 4096)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(entries);
        if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, "The page size must be a power of two between 512 and 65536.");
        var sorted = entries.ToList();
        foreach (var e in sorted)
        {
            if (e.Key is null || e.Key.Length == 0 || e.Key.Length > MaxKeySize)
                throw new ArgumentException($"LMDB keys must be 1..{MaxKeySize} bytes; got {e.Key?.Length ?? 0}.", nameof(entries));
            ArgumentNullException.ThrowIfNull(e.Value, nameof(entries));
        }

        sorted.Sort((a, b) => Compare(a.Key, b.Key));
        for (int i = 1; i < sorted.Count; i++)
        {
            if (Compare(sorted[i - 1].Key, sorted[i].Key) == 0)
                throw new ArgumentException($"Duplicate key 0x{Convert.ToHexString(sorted[i].Key)}.", nameof(entries));
        }

        var builder = new TreeBuilder(pageSize);
        var (root, depth) = builder.Build(sorted);
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, "data.mdb");
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        ulong pageCount = builder.NextPage;
        for (ulong pg = 0; pg < pageCount; pg++)
        {
            byte[] page = pg < 2
                ? builder.MetaPage(pg, root, depth, sorted.Count)
                : builder.Pages.TryGetValue(pg, out var p) ? p : new byte[pageSize];
            stream.Write(page);
        }

        return path;
    }

    private sealed class TreeBuilder(int pageSize)
    {
        private readonly int _nodeMax = (((pageSize - PageHeaderSize) / 2) & ~1) - 2;
        public readonly Dictionary<ulong, byte[]> Pages = [];
        public ulong NextPage = 2;
        private ulong _branchPages, _leafPages, _overflowPages;

        public (ulong Root, int Depth) Build(List<KeyValuePair<byte[], byte[]>> entries)
        {
            if (entries.Count == 0) return (InvalidPage, 0);
            var level = new List<(byte[] FirstKey, ulong Page)>();
            Page? leaf = null;
            foreach (var (key, value) in entries)
            {
                bool big = NodeHeaderSize + key.Length + value.Length > _nodeMax;
                int nodeSize = NodeHeaderSize + key.Length + (big ? 8 : value.Length);
                if (leaf is null || !leaf.Fits(nodeSize))
                {
                    if (leaf is not null) level.Add(Flush(leaf));
                    leaf = new Page(pageSize, PageLeaf, key);
                }

                if (big)
                {
                    ulong overflow = WriteOverflow(value);
                    var pointer = new byte[8];
                    BinaryPrimitives.WriteUInt64LittleEndian(pointer, overflow);
                    leaf.Add(key, pointer, value.Length, NodeBigData);
                }
                else
                {
                    leaf.Add(key, value, value.Length, 0);
                }
            }

            level.Add(Flush(leaf!));
            int depth = 1;
            while (level.Count > 1)
            {
                var parents = new List<(byte[] FirstKey, ulong Page)>();
                Page? branch = null;
                foreach (var (firstKey, child) in level)
                {
                    bool first = branch is null || !branch.Fits(NodeHeaderSize + firstKey.Length);
                    if (first)
                    {
                        if (branch is not null) parents.Add(Flush(branch));
                        branch = new Page(pageSize, PageBranch, firstKey);
                    }

                    branch!.AddBranch(branch.Count == 0 ? [] : firstKey, child);
                }

                parents.Add(Flush(branch!));
                level = parents;
                depth++;
            }

            return (level[0].Page, depth);
        }

        private (byte[], ulong) Flush(Page page)
        {
            ulong pgno = NextPage++;
            if (page.Flags == PageLeaf) _leafPages++;
            else _branchPages++;
            Pages[pgno] = page.Finish(pgno);
            return (page.FirstKey, pgno);
        }

        private ulong WriteOverflow(byte[] value)
        {
            long total = PageHeaderSize + (long)value.Length;
            uint count = (uint)((total + pageSize - 1) / pageSize);
            ulong first = NextPage;
            NextPage += count;
            _overflowPages += count;
            var buffer = new byte[(long)count * pageSize];
            BinaryPrimitives.WriteUInt64LittleEndian(buffer, first);
            BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(10), PageOverflow);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(12), count);
            value.CopyTo(buffer, PageHeaderSize);
            for (uint i = 0; i < count; i++) Pages[first + i] = buffer.AsSpan((int)(i * pageSize), pageSize).ToArray();
            return first;
        }

        public byte[] MetaPage(ulong pgno, ulong root, int depth, long entries)
        {
            var page = new byte[pageSize];
            BinaryPrimitives.WriteUInt64LittleEndian(page, pgno);
            BinaryPrimitives.WriteUInt16LittleEndian(page.AsSpan(10), PageMeta);
            var meta = page.AsSpan(MetaOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(meta, LmdbFormat.Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(meta[4..], DataVersion);
            ulong mapSize = Math.Max(NextPage * (ulong)pageSize, 1UL << 20);
            BinaryPrimitives.WriteUInt64LittleEndian(meta[16..], mapSize);
            var free = page.AsSpan(MetaDbsOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(free, (uint)pageSize);            // mm_psize lives in the free DB's md_pad
            BinaryPrimitives.WriteUInt64LittleEndian(free[40..], InvalidPage);
            var main = page.AsSpan(MetaDbsOffset + DbSize);
            BinaryPrimitives.WriteUInt16LittleEndian(main[6..], (ushort)depth);
            BinaryPrimitives.WriteUInt64LittleEndian(main[8..], _branchPages);
            BinaryPrimitives.WriteUInt64LittleEndian(main[16..], _leafPages);
            BinaryPrimitives.WriteUInt64LittleEndian(main[24..], _overflowPages);
            BinaryPrimitives.WriteUInt64LittleEndian(main[32..], (ulong)entries);
            BinaryPrimitives.WriteUInt64LittleEndian(main[40..], root);
            BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(MetaLastPageOffset), NextPage - 1);
            BinaryPrimitives.WriteUInt64LittleEndian(page.AsSpan(MetaTxnIdOffset), pgno); // meta 1 is the newer one
            return page;
        }
    }

    private sealed class Page(int size, ushort flags, byte[] firstKey)
    {
        private readonly byte[] _buffer = new byte[size];
        private int _lower = PageHeaderSize, _upper = size;

        public ushort Flags { get; } = flags;
        public byte[] FirstKey { get; } = firstKey;
        public int Count => (_lower - PageHeaderSize) / 2;

        public bool Fits(int nodeSize) => _upper - _lower >= ((nodeSize + 1) & ~1) + 2;

        public void Add(byte[] key, byte[] stored, int dataSize, ushort nodeFlags) =>
            Put(key, stored, (ushort)(dataSize & 0xFFFF), (ushort)(dataSize >> 16), nodeFlags);

        public void AddBranch(byte[] key, ulong child) =>
            Put(key, [], (ushort)(child & 0xFFFF), (ushort)((child >> 16) & 0xFFFF), (ushort)((child >> 32) & 0xFFFF));

        private void Put(byte[] key, byte[] stored, ushort lo, ushort hi, ushort nodeFlags)
        {
            int nodeSize = NodeHeaderSize + key.Length + stored.Length;
            if (!Fits(nodeSize)) throw new InvalidOperationException("LMDB writer: node does not fit in a fresh page.");
            _upper -= (nodeSize + 1) & ~1;
            var node = _buffer.AsSpan(_upper);
            BinaryPrimitives.WriteUInt16LittleEndian(node, lo);
            BinaryPrimitives.WriteUInt16LittleEndian(node[2..], hi);
            BinaryPrimitives.WriteUInt16LittleEndian(node[4..], nodeFlags);
            BinaryPrimitives.WriteUInt16LittleEndian(node[6..], (ushort)key.Length);
            key.CopyTo(node[NodeHeaderSize..]);
            stored.CopyTo(node[(NodeHeaderSize + key.Length)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_lower), (ushort)_upper);
            _lower += 2;
        }

        public byte[] Finish(ulong pgno)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(_buffer, pgno);
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(10), Flags);
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(12), (ushort)_lower);
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(14), (ushort)_upper);
            return _buffer;
        }
    }
}
