using System.Runtime.InteropServices;
using System.Text;
using InverseBench.Core.IO.Lmdb;

namespace InverseBench.Tests.Core.IO.Lmdb;

/// <summary>
/// Cross-checks the managed writer against the C library when a native liblmdb can be loaded (the distro's
/// <c>liblmdb.so.0</c> or LightningDB's bundled one). Not installed on the build machine: then the test is ignored.
/// </summary>
[TestFixture]
public sealed class LmdbNativeCrossCheckTests
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MdbVal
    {
        public nuint Size;
        public IntPtr Data;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int EnvCreate(out IntPtr env);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int EnvOpen(IntPtr env, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint flags, uint mode);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void EnvClose(IntPtr env);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int TxnBegin(IntPtr env, IntPtr parent, uint flags, out IntPtr txn);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate void TxnAbort(IntPtr txn);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int DbiOpen(IntPtr txn, IntPtr name, uint flags, out uint dbi);
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)] private delegate int Get(IntPtr txn, uint dbi, ref MdbVal key, out MdbVal data);

    private const uint MdbRdOnly = 0x20000, MdbNoLock = 0x400000;

    private static IntPtr TryLoadNative()
    {
        foreach (string name in new[] { "liblmdb.so.0", "liblmdb.so", "lmdb", "liblmdb.dylib" })
            if (NativeLibrary.TryLoad(name, out var handle)) return handle;
        string local = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "liblmdb.so");
        if (File.Exists(local) && NativeLibrary.TryLoad(local, out var bundled)) return bundled;
        return IntPtr.Zero;
    }

    [Test]
    public void ManagedWriterOutputIsReadableByTheCLibrary()
    {
        var lib = TryLoadNative();
        if (lib == IntPtr.Zero)
            Assert.Ignore("No loadable native liblmdb (liblmdb.so.0 is not installed and LightningDB's bundled build needs GLIBC 2.38); the managed reader/writer are checked against C-written fixture databases instead.");

        T F<T>(string n) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(lib, n));
        string dir = Directory.CreateTempSubdirectory("lmdb-native-").FullName;
        try
        {
            var entries = Enumerable.Range(0, 40).Select(i => LmdbReaderTests.Entry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), i % 2 == 0 ? 100 : 9000)).ToList();
            LmdbWriter.Write(dir, entries);
            F<EnvCreate>("mdb_env_create")(out var env).Should().Be(0);
            try
            {
                F<EnvOpen>("mdb_env_open")(env, dir, MdbRdOnly | MdbNoLock, 0x1A4).Should().Be(0);
                F<TxnBegin>("mdb_txn_begin")(env, IntPtr.Zero, MdbRdOnly, out var txn).Should().Be(0);
                F<DbiOpen>("mdb_dbi_open")(txn, IntPtr.Zero, 0, out uint dbi).Should().Be(0);
                var get = F<Get>("mdb_get");
                foreach (var (key, value) in entries)
                {
                    var handle = GCHandle.Alloc(key, GCHandleType.Pinned);
                    try
                    {
                        var k = new MdbVal { Size = (nuint)key.Length, Data = handle.AddrOfPinnedObject() };
                        get(txn, dbi, ref k, out var d).Should().Be(0, Encoding.UTF8.GetString(key));
                        var bytes = new byte[(int)d.Size];
                        Marshal.Copy(d.Data, bytes, 0, bytes.Length);
                        bytes.Should().Equal(value);
                    }
                    finally
                    {
                        handle.Free();
                    }
                }

                F<TxnAbort>("mdb_txn_abort")(txn);
            }
            finally
            {
                F<EnvClose>("mdb_env_close")(env);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
