namespace InverseBench.Core.IO.Lmdb;

/// <summary>Layout constants of LMDB's <c>data.mdb</c> (liblmdb 0.9, 64-bit little-endian builds).</summary>
internal static class LmdbFormat
{
    public const uint Magic = 0xBEEFC0DE;
    public const uint DataVersion = 1;
    public const int PageHeaderSize = 16;   // pgno(8) pad(2) flags(2) lower(2) upper(2) | pages(4)
    public const int NodeHeaderSize = 8;    // lo(2) hi(2) flags(2) ksize(2)
    public const int DbSize = 48;           // pad(4) flags(2) depth(2) branch(8) leaf(8) overflow(8) entries(8) root(8)
    public const int MetaOffset = PageHeaderSize;
    public const int MetaDbsOffset = MetaOffset + 4 + 4 + 8 + 8; // magic, version, address, mapsize
    public const int MetaLastPageOffset = MetaDbsOffset + 2 * DbSize;
    public const int MetaTxnIdOffset = MetaLastPageOffset + 8;
    public const int MetaEnd = MetaTxnIdOffset + 8;
    public const ulong InvalidPage = ulong.MaxValue;

    public const ushort PageBranch = 0x01;
    public const ushort PageLeaf = 0x02;
    public const ushort PageOverflow = 0x04;
    public const ushort PageMeta = 0x08;
    public const ushort PageLeaf2 = 0x20;

    public const ushort NodeBigData = 0x01;
    public const ushort NodeSubData = 0x02;
    public const ushort NodeDupData = 0x04;

    public const ushort DbDupSort = 0x04;

    /// <summary>LMDB's default key order: bytewise, shorter first on a common prefix (<c>memcmp</c> then length).</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);
}
