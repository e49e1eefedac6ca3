using System.Text;

namespace InverseBench.Tests.TestUtilities;

/// <summary>Builds small ELF shared-object images with version tables, for the ELF patcher tests.</summary>
public static class SyntheticElf
{
    public static byte[] Build(IReadOnlyList<(string File, string[] Versions)> needs, IReadOnlyList<string>? definitions = null,
        bool is64 = true, bool littleEndian = true)
    {
        definitions ??= [];
        var dynstr = new List<byte> { 0 };
        int AddString(string s)
        {
            int offset = dynstr.Count;
            dynstr.AddRange(Encoding.ASCII.GetBytes(s));
            dynstr.Add(0);
            return offset;
        }

        var w = new Writer(littleEndian);
        // version needs
        var verneed = new Writer(littleEndian);
        for (int i = 0; i < needs.Count; i++)
        {
            var (file, versions) = needs[i];
            int fileOffset = AddString(file);
            verneed.U16(1).U16((ushort)versions.Length).U32((uint)fileOffset).U32(16)
                .U32(i == needs.Count - 1 ? 0u : (uint)(16 + 16 * versions.Length));
            for (int k = 0; k < versions.Length; k++)
            {
                int nameOffset = AddString(versions[k]);
                verneed.U32(0x0ABCDEF).U16(0).U16((ushort)(2 + k)).U32((uint)nameOffset).U32(k == versions.Length - 1 ? 0u : 16u);
            }
        }

        var verdef = new Writer(littleEndian);
        for (int i = 0; i < definitions.Count; i++)
        {
            int nameOffset = AddString(definitions[i]);
            verdef.U16(1).U16(0).U16((ushort)(i + 1)).U16(1).U32(0).U32(20).U32(i == definitions.Count - 1 ? 0u : 28u);
            verdef.U32((uint)nameOffset).U32(0);
        }

        var shstr = new List<byte> { 0 };
        int Sh(string s)
        {
            int o = shstr.Count;
            shstr.AddRange(Encoding.ASCII.GetBytes(s));
            shstr.Add(0);
            return o;
        }

        int nDynstr = Sh(".dynstr"), nVerneed = Sh(".gnu.version_r"), nVerdef = Sh(".gnu.version_d"), nShstr = Sh(".shstrtab");
        int headerSize = is64 ? 64 : 52;
        int offDynstr = headerSize;
        int offVerneed = offDynstr + dynstr.Count;
        int offVerdef = offVerneed + verneed.Length;
        int offShstr = offVerdef + verdef.Length;
        int offSh = offShstr + shstr.Count;
        int shentsize = is64 ? 64 : 40;

        // ELF header
        w.Bytes(0x7f, (byte)'E', (byte)'L', (byte)'F', (byte)(is64 ? 2 : 1), (byte)(littleEndian ? 1 : 2), 1, 0);
        w.Zeros(8);
        w.U16(3).U16(62).U32(1); // ET_DYN, EM_X86_64, EV_CURRENT
        if (is64) w.U64(0).U64(0).U64((ulong)offSh); else w.U32(0).U32(0).U32((uint)offSh);
        w.U32(0).U16((ushort)headerSize).U16(0).U16(0).U16((ushort)shentsize).U16(5).U16(4);
        w.Bytes(dynstr.ToArray()).Bytes(verneed.ToArray()).Bytes(verdef.ToArray()).Bytes(shstr.ToArray());

        void Section(int name, uint type, int offset, int size, uint link, uint info)
        {
            if (is64) w.U32((uint)name).U32(type).U64(0).U64(0).U64((ulong)offset).U64((ulong)size).U32(link).U32(info).U64(1).U64(0);
            else w.U32((uint)name).U32(type).U32(0).U32(0).U32((uint)offset).U32((uint)size).U32(link).U32(info).U32(1).U32(0);
        }

        Section(0, 0, 0, 0, 0, 0);
        Section(nDynstr, 3, offDynstr, dynstr.Count, 0, 0);
        Section(nVerneed, 0x6ffffffe, offVerneed, verneed.Length, 1, (uint)needs.Count);
        Section(nVerdef, 0x6ffffffd, offVerdef, verdef.Length, 1, (uint)definitions.Count);
        Section(nShstr, 3, offShstr, shstr.Count, 0, 0);
        return w.ToArray();
    }

    private sealed class Writer(bool little)
    {
        private readonly List<byte> _bytes = [];

        public int Length => _bytes.Count;

        public byte[] ToArray() => [.. _bytes];

        public Writer Bytes(params byte[] b)
        {
            _bytes.AddRange(b);
            return this;
        }

        public Writer Zeros(int n) => Bytes(new byte[n]);

        public Writer U16(ushort v) => Ordered(BitConverter.GetBytes(v));

        public Writer U32(uint v) => Ordered(BitConverter.GetBytes(v));

        public Writer U64(ulong v) => Ordered(BitConverter.GetBytes(v));

        private Writer Ordered(byte[] b)
        {
            if (BitConverter.IsLittleEndian != little) Array.Reverse(b);
            return Bytes(b);
        }
    }
}
