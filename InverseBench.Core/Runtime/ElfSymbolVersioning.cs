// This file is compiled twice: into InverseBench.Core (INVERSEBENCH_CORE defined), where it backs
// InverseBench.Core.Runtime.ElfVersionPatcher, and by MSBuild's RoslynCodeTaskFactory from the package's build/
// folder, where the task class at the bottom patches the copy of libLibTorchSharp.so in a build output folder.
// It therefore sticks to APIs available in netstandard2.0 (no Span, no BinaryPrimitives).
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

#if INVERSEBENCH_CORE
namespace InverseBench.Core.Runtime
{
#endif
    /// <summary>One entry of an ELF <c>.gnu.version_r</c> table: a symbol version that a shared object needs from a dependency.</summary>
    internal sealed class ElfVersionNeedEntry
    {
        public ElfVersionNeedEntry(string file, string version, ushort flags, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The dependency's file name (e.g. <c>libstdc++.so.6</c>).</summary>
        public string File { get; }

        /// <summary>The version name (e.g. <c>GLIBCXX_3.4.32</c>).</summary>
        public string Version { get; }

        /// <summary>The <c>vna_flags</c> field.</summary>
        public ushort Flags { get; }

        /// <summary>Byte offset of <c>vna_flags</c> in the file.</summary>
        public long FlagsOffset { get; }

        /// <summary>Whether <c>VER_FLG_WEAK</c> is set: the loader then tolerates the version's absence.</summary>
        public bool IsWeak => (Flags & ElfSymbolVersioning.VerFlagWeak) != 0;
    }

    /// <summary>Minimal reader/patcher of ELF symbol-versioning tables (32/64-bit, either byte order).</summary>
    internal static class ElfSymbolVersioning
    {
        internal const ushort VerFlagWeak = 0x2;
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;

        /// <summary>Whether the bytes start with the ELF magic number.</summary>
        public static bool IsElf(byte[] image) =>
            image.Length >= 4 && image[0] == 0x7f && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F';

        /// <summary>Reads every version requirement of the image.</summary>
        public static List<ElfVersionNeedEntry> ReadVersionNeeds(byte[] image, string what)
        {
            var layout = new Layout(image, what);
            var result = new List<ElfVersionNeedEntry>();
            foreach (var section in layout.Sections)
            {
                if (section.Type != ShtGnuVerneed) continue;
                var strtab = layout.Section(section.Link, "the string table of .gnu.version_r");
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    layout.Require(entry, 16, ".gnu.version_r entry");
                    ushort count = layout.U16(entry + 2);
                    string file = layout.String(strtab, layout.U32(entry + 4));
                    long aux = entry + layout.U32(entry + 8);
                    for (int k = 0; k < count; k++)
                    {
                        layout.Require(aux, 16, ".gnu.version_r auxiliary entry");
                        ushort flags = layout.U16(aux + 4);
                        string version = layout.String(strtab, layout.U32(aux + 8));
                        result.Add(new ElfVersionNeedEntry(file, version, flags, aux + 4));
                        uint nextAux = layout.U32(aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }

                    uint next = layout.U32(entry + 12);
                    if (next == 0) break;
                    entry += next;
                }
            }

            return result;
        }

        /// <summary>Reads the version names a shared object defines (its <c>.gnu.version_d</c> table).</summary>
        public static List<string> ReadVersionDefinitions(byte[] image, string what)
        {
            var layout = new Layout(image, what);
            var result = new List<string>();
            foreach (var section in layout.Sections)
            {
                if (section.Type != ShtGnuVerdef) continue;
                var strtab = layout.Section(section.Link, "the string table of .gnu.version_d");
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    layout.Require(entry, 20, ".gnu.version_d entry");
                    ushort count = layout.U16(entry + 6);
                    long aux = entry + layout.U32(entry + 12);
                    if (count > 0)
                    {
                        layout.Require(aux, 8, ".gnu.version_d auxiliary entry");
                        result.Add(layout.String(strtab, layout.U32(aux)));
                    }

                    uint next = layout.U32(entry + 16);
                    if (next == 0) break;
                    entry += next;
                }
            }

            return result;
        }

        /// <summary>
        /// Sets <c>VER_FLG_WEAK</c> on the requirements of <paramref name="file"/> whose version is in
        /// <paramref name="versions"/>. Returns how many entries changed (0 when already weak: idempotent).
        /// </summary>
        public static int MarkWeak(byte[] image, string what, string file, ICollection<string> versions)
        {
            var layout = new Layout(image, what);
            int changed = 0;
            foreach (var need in ReadVersionNeeds(image, what))
            {
                if (need.IsWeak || need.File != file || !versions.Contains(need.Version)) continue;
                layout.WriteU16(need.FlagsOffset, (ushort)(need.Flags | VerFlagWeak));
                changed++;
            }

            return changed;
        }

        /// <summary>The versions of <paramref name="file"/> that <paramref name="needs"/> requires (non-weak) but <paramref name="defined"/> lacks.</summary>
        public static List<string> MissingVersions(List<ElfVersionNeedEntry> needs, string file, ICollection<string> defined)
        {
            var missing = new List<string>();
            foreach (var need in needs)
            {
                if (need.File == file && !need.IsWeak && !defined.Contains(need.Version) && !missing.Contains(need.Version))
                    missing.Add(need.Version);
            }

            return missing;
        }

        /// <summary>Finds the libstdc++ the process uses (from /proc/self/maps) or, failing that, the distribution's.</summary>
        public static string? FindSystemLibStdCxx()
        {
            try
            {
                if (System.IO.File.Exists("/proc/self/maps"))
                {
                    foreach (var line in System.IO.File.ReadAllLines("/proc/self/maps"))
                    {
                        int slash = line.IndexOf('/');
                        if (slash < 0) continue;
                        string path = line.Substring(slash).Trim();
                        if (Path.GetFileName(path).StartsWith("libstdc++.so", StringComparison.Ordinal) && System.IO.File.Exists(path))
                            return path;
                    }
                }
            }
            catch (IOException)
            {
                // fall through to the well-known locations
            }
            catch (UnauthorizedAccessException)
            {
                // fall through to the well-known locations
            }

            string[] candidates =
            {
                "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
                "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
                "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
            };
            foreach (var candidate in candidates)
            {
                if (System.IO.File.Exists(candidate)) return candidate;
            }

            return null;
        }

        /// <summary>
        /// Writes <paramref name="image"/> to <paramref name="path"/> through a temporary file and a rename, so that
        /// a hard link to another file (e.g. a package cache entry) is replaced, never written through.
        /// </summary>
        public static void ReplaceFile(string path, byte[] image)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            string temp = Path.Combine(directory, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            System.IO.File.WriteAllBytes(temp, image);
            try
            {
                if (System.IO.File.Exists(path)) System.IO.File.Delete(path);
                System.IO.File.Move(temp, path);
            }
            finally
            {
                if (System.IO.File.Exists(temp)) System.IO.File.Delete(temp);
            }
        }

        private sealed class SectionHeader
        {
            public uint Type;
            public long Offset;
            public long Size;
            public uint Link;
            public uint Info;
        }

        private sealed class Layout
        {
            private readonly byte[] _image;
            private readonly string _what;
            private readonly bool _is64;
            private readonly bool _little;

            public Layout(byte[] image, string what)
            {
                _image = image;
                _what = what;
                if (!IsElf(image))
                    throw new InvalidDataException($"'{what}' is not an ELF file (missing the 0x7F 'ELF' magic number).");
                if (image.Length < 52)
                    throw new InvalidDataException($"'{what}' is truncated: {image.Length} bytes cannot hold an ELF header.");
                _is64 = image[4] switch
                {
                    1 => false,
                    2 => true,
                    _ => throw new InvalidDataException($"'{what}' has an invalid ELF class byte {image[4]} (expected 1 or 2)."),
                };
                _little = image[5] switch
                {
                    1 => true,
                    2 => false,
                    _ => throw new InvalidDataException($"'{what}' has an invalid ELF data-encoding byte {image[5]} (expected 1 or 2)."),
                };
                long shoff = _is64 ? (long)U64(0x28) : U32(0x20);
                int shentsize = U16(_is64 ? 0x3A : 0x2E);
                int shnum = U16(_is64 ? 0x3C : 0x30);
                int expected = _is64 ? 64 : 40;
                if (shnum == 0) return;
                if (shentsize != expected)
                    throw new InvalidDataException($"'{what}' declares section headers of {shentsize} bytes; expected {expected}.");
                Require(shoff, (long)shnum * shentsize, "section header table");
                for (int i = 0; i < shnum; i++)
                {
                    long h = shoff + (long)i * shentsize;
                    var s = new SectionHeader
                    {
                        Type = U32(h + 4),
                        Offset = _is64 ? (long)U64(h + 0x18) : U32(h + 0x10),
                        Size = _is64 ? (long)U64(h + 0x20) : U32(h + 0x14),
                        Link = U32(_is64 ? h + 0x28 : h + 0x18),
                        Info = U32(_is64 ? h + 0x2C : h + 0x1C),
                    };
                    if (s.Type != 8 /* SHT_NOBITS */) Require(s.Offset, s.Size, $"section {i}");
                    Sections.Add(s);
                }
            }

            public List<SectionHeader> Sections { get; } = new List<SectionHeader>();

            public SectionHeader Section(uint index, string role)
            {
                if (index >= Sections.Count)
                    throw new InvalidDataException($"'{_what}' refers to section {index} as {role}, but it has only {Sections.Count} sections.");
                return Sections[(int)index];
            }

            public void Require(long offset, long length, string role)
            {
                if (offset < 0 || length < 0 || offset + length > _image.Length)
                    throw new InvalidDataException($"'{_what}' is truncated or corrupt: its {role} at offset {offset} (+{length} bytes) lies outside the {_image.Length}-byte file.");
            }

            public string String(SectionHeader table, uint offset)
            {
                if (offset >= table.Size)
                    throw new InvalidDataException($"'{_what}' has a string offset {offset} beyond its string table ({table.Size} bytes).");
                long start = table.Offset + offset;
                long end = start;
                long limit = table.Offset + table.Size;
                while (end < limit && _image[end] != 0) end++;
                return Encoding.ASCII.GetString(_image, (int)start, (int)(end - start));
            }

            public ushort U16(long o)
            {
                Require(o, 2, "field");
                return _little ? (ushort)(_image[o] | (_image[o + 1] << 8)) : (ushort)((_image[o] << 8) | _image[o + 1]);
            }

            public uint U32(long o)
            {
                Require(o, 4, "field");
                return _little
                    ? (uint)(_image[o] | (_image[o + 1] << 8) | (_image[o + 2] << 16) | (_image[o + 3] << 24))
                    : (uint)((_image[o] << 24) | (_image[o + 1] << 16) | (_image[o + 2] << 8) | _image[o + 3]);
            }

            public ulong U64(long o)
            {
                ulong a = U32(o), b = U32(o + 4);
                return _little ? a | (b << 32) : (a << 32) | b;
            }

            public void WriteU16(long o, ushort value)
            {
                Require(o, 2, "field");
                if (_little)
                {
                    _image[o] = (byte)value;
                    _image[o + 1] = (byte)(value >> 8);
                }
                else
                {
                    _image[o] = (byte)(value >> 8);
                    _image[o + 1] = (byte)value;
                }
            }
        }
    }
#if INVERSEBENCH_CORE
}
#else

/// <summary>
/// MSBuild task: marks the libstdc++ version requirements that the system lacks as weak in the build-output copy
/// of libLibTorchSharp.so (never in the NuGet package cache: the file is replaced, not written through).
/// </summary>
public class InverseBenchPatchTorchSharpNative : Microsoft.Build.Utilities.Task
{
    /// <summary>Candidate copies of libLibTorchSharp.so in the output folder; missing ones are ignored.</summary>
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    /// <inheritdoc />
    public override bool Execute()
    {
        string? system = ElfSymbolVersioning.FindSystemLibStdCxx();
        if (system == null)
        {
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Low, "InverseBench: no system libstdc++ found; nothing to patch.");
            return true;
        }

        var defined = new HashSet<string>(ElfSymbolVersioning.ReadVersionDefinitions(File.ReadAllBytes(system), system));
        foreach (var item in Libraries)
        {
            string path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            byte[] image = File.ReadAllBytes(path);
            var missing = ElfSymbolVersioning.MissingVersions(ElfSymbolVersioning.ReadVersionNeeds(image, path), "libstdc++.so.6", defined);
            if (missing.Count == 0) continue;
            ElfSymbolVersioning.MarkWeak(image, path, "libstdc++.so.6", missing);
            ElfSymbolVersioning.ReplaceFile(path, image);
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal,
                $"InverseBench: marked {string.Join(", ", missing)} weak in {path} (system {system} lacks them).");
        }

        return true;
    }
}
#endif
