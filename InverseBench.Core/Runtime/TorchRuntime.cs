using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using TorchSharp;

namespace InverseBench.Core.Runtime;

/// <summary>How the native TorchSharp library was made loadable on this machine.</summary>
public enum NativeLibraryFix
{
    /// <summary>Nothing was needed: the system libstdc++ provides every version the library asks for (or not Linux).</summary>
    NotNeeded,

    /// <summary>The build step had already marked the missing versions weak in the output copy.</summary>
    PatchedAtBuild,

    /// <summary>A patched copy in the per-user cache was loaded in place of the original.</summary>
    PatchedCopyLoaded,
}

/// <summary>What <see cref="TorchRuntime.EnsureInitialized"/> found and did.</summary>
/// <param name="NativeLibraryPath">The libLibTorchSharp found next to the application (null off Linux or when not found).</param>
/// <param name="LoadedLibraryPath">The file actually loaded (a cached patched copy when <paramref name="Fix"/> says so).</param>
/// <param name="Fix">What was done to make the library loadable.</param>
/// <param name="WeakenedVersions">The libstdc++ versions marked weak (empty when nothing was needed).</param>
/// <param name="CudaAvailable">Whether a CUDA device is usable.</param>
public sealed record TorchRuntimeStatus(
    string? NativeLibraryPath,
    string? LoadedLibraryPath,
    NativeLibraryFix Fix,
    IReadOnlyList<string> WeakenedVersions,
    bool CudaAvailable);

/// <summary>
/// Makes TorchSharp usable on any Linux and applies the device policy. Every public entry point of InverseBench calls
/// <see cref="EnsureInitialized"/>; applications that use TorchSharp directly before touching InverseBench should call it
/// once at start-up (the build step shipped with the package already covers apps built with it).
/// </summary>
/// <remarks>
/// <para>TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c>, which Debian 12 and Ubuntu 22.04
/// lack. The only symbol behind that version (<c>std::ios_base_library_init()</c>) is a link-time marker that is never
/// called, so marking the requirement weak lets the library load and work normally. When the system libstdc++ lacks a
/// version the library requires, this class copies the library into a per-user cache
/// (<c>$XDG_CACHE_HOME/inversebench/native/&lt;hash&gt;/</c>, default <c>~/.cache</c>), marks the missing versions weak
/// in the copy, loads it, and points TorchSharp's P/Invokes at it. The NuGet packages folder is never modified. No
/// environment variable, <c>LD_PRELOAD</c> or manual step is involved.</para>
/// <para>Device policy: <c>cpu</c> is the default; <c>cuda</c>/<c>cuda:N</c> when requested and available; a clear
/// <see cref="TorchBackendException"/> when requested but absent; <c>auto</c> picks CUDA when present, else CPU.</para>
/// </remarks>
public static class TorchRuntime
{
    private const string NativeName = "LibTorchSharp";
    private const string NativeFile = "libLibTorchSharp.so";
    private const string StdCxx = "libstdc++.so.6";
#if NET9_0_OR_GREATER
    private static readonly Lock Gate = new();
#else
    private static readonly object Gate = new();
#endif
    private static TorchRuntimeStatus? _status;
    private static IntPtr _patchedHandle;

    /// <summary>The packages that provide a native backend, named in error messages.</summary>
    public const string BackendPackages =
        "TorchSharp-cpu (CPU, any OS), libtorch-cuda-12.8-linux-x64 (CUDA on Linux) or TorchSharp-cuda-windows (CUDA on Windows)";

    /// <summary>The status after initialisation (initialises on first access).</summary>
    public static TorchRuntimeStatus Status => EnsureInitialized();

    /// <summary>
    /// Loads TorchSharp's native backend once per process, patching a cached copy of the native library when the system
    /// libstdc++ is too old. Thread-safe and cheap after the first call.
    /// </summary>
    /// <exception cref="TorchBackendException">No native backend package is referenced, or it cannot be loaded.</exception>
    public static TorchRuntimeStatus EnsureInitialized()
    {
        if (_status is { } done) return done;
        lock (Gate)
        {
            if (_status is { } again) return again;
            _status = Initialize();
            return _status;
        }
    }

    /// <summary>
    /// Resolves a device name under the device policy: <c>null</c>, empty or <c>cpu</c> → CPU; <c>cuda</c> or
    /// <c>cuda:N</c> → that CUDA device, if available; <c>auto</c> → CUDA when available, else CPU.
    /// </summary>
    /// <exception cref="TorchBackendException">CUDA was requested but is not available.</exception>
    /// <exception cref="ArgumentException">The name is not a device name.</exception>
    public static torch.Device ResolveDevice(string? name)
    {
        var status = EnsureInitialized();
        string n = (name ?? "cpu").Trim().ToLowerInvariant();
        if (n is "" or "cpu") return torch.CPU;
        if (n == "auto") return status.CudaAvailable ? torch.CUDA : torch.CPU;
        if (n == "cuda" || n.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!status.CudaAvailable)
            {
                throw new TorchBackendException(
                    $"Device '{name}' was requested but CUDA is not available in this process. Reference a CUDA backend " +
                    "package (libtorch-cuda-12.8-linux-x64 on Linux, TorchSharp-cuda-windows on Windows) instead of " +
                    "TorchSharp-cpu, check the NVIDIA driver, or use device 'cpu' / 'auto'.");
            }

            if (n == "cuda") return torch.CUDA;
            if (!int.TryParse(n.AsSpan(5), out int index) || index < 0)
                throw new ArgumentException($"'{name}' is not a device name; use 'cpu', 'cuda', 'cuda:N' or 'auto'.", nameof(name));
            int count = torch.cuda.device_count();
            if (index >= count)
                throw new TorchBackendException($"Device '{name}' was requested but only {count} CUDA device(s) exist.");
            return torch.device(DeviceType.CUDA, index);
        }

        throw new ArgumentException($"'{name}' is not a device name; use 'cpu', 'cuda', 'cuda:N' or 'auto'.", nameof(name));
    }

    private static TorchRuntimeStatus Initialize()
    {
        string? nativePath = null;
        string? loaded = null;
        var fix = NativeLibraryFix.NotNeeded;
        IReadOnlyList<string> weakened = [];

        if (OperatingSystem.IsLinux())
        {
            nativePath = FindNextToApplication(NativeFile);
            if (nativePath is null || FindNextToApplication("libtorch.so") is null)
            {
                throw new TorchBackendException(
                    "TorchSharp's native backend was not found next to the application (no libtorch.so / " +
                    $"{NativeFile} in its native search directories). Add a native backend package to the application " +
                    $"project: {BackendPackages}. Libraries reference the managed TorchSharp package only.");
            }

            (fix, loaded, weakened) = PrepareNativeLibrary(nativePath);
        }

        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception ex) when (ex is NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            throw new TorchBackendException(
                $"TorchSharp's native backend failed to load ({ex.GetType().Name}). Make sure the application references " +
                $"exactly one native backend package: {BackendPackages}. Details: {ex.Message}", ex);
        }

        bool cuda;
        try
        {
            cuda = torch.cuda.is_available();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or ExternalException)
        {
            cuda = false;
        }

        return new TorchRuntimeStatus(nativePath, loaded ?? nativePath, fix, weakened, cuda);
    }

    private static (NativeLibraryFix Fix, string? Loaded, IReadOnlyList<string> Weakened) PrepareNativeLibrary(string nativePath)
    {
        string? system = ElfSymbolVersioning.FindSystemLibStdCxx();
        if (system is null) return (NativeLibraryFix.NotNeeded, nativePath, []);

        var needs = ElfVersionPatcher.ReadRequirements(nativePath);
        var defined = ElfVersionPatcher.ReadDefinedVersions(system).ToHashSet(StringComparer.Ordinal);
        var missing = needs.Where(r => r.Dependency == StdCxx && !defined.Contains(r.Version)).ToArray();
        if (missing.Length == 0) return (NativeLibraryFix.NotNeeded, nativePath, []);
        var names = missing.Select(r => r.Version).Distinct().ToArray();
        if (missing.All(r => r.IsWeak)) return (NativeLibraryFix.PatchedAtBuild, nativePath, names);

        string patched = PatchedCopy(nativePath, names);
        string directory = Path.GetDirectoryName(nativePath)!;
        // The copy's RUNPATH ($ORIGIN) points at the cache folder, so its dependencies are loaded first from the
        // original folder; the loader then matches them by soname.
        foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so" })
        {
            string candidate = Path.Combine(directory, dependency);
            if (File.Exists(candidate)) NativeLibrary.TryLoad(candidate, out _);
        }

        try
        {
            _patchedHandle = NativeLibrary.Load(patched);
        }
        catch (DllNotFoundException ex)
        {
            throw new TorchBackendException(
                $"The patched copy of {NativeFile} at '{patched}' failed to load: {ex.Message}. Delete that folder to " +
                "have it recreated, or install a libstdc++ that provides " + string.Join(", ", names) + ".", ex);
        }

        var torchAssembly = typeof(torch).Assembly;
        try
        {
            NativeLibrary.SetDllImportResolver(torchAssembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // Another component already set a resolver for TorchSharp; the event below still catches the failed probe.
        }

        AssemblyLoadContext.Default.ResolvingUnmanagedDll += (assembly, name) =>
            assembly == torchAssembly && IsNativeName(name) ? _patchedHandle : IntPtr.Zero;
        return (NativeLibraryFix.PatchedCopyLoaded, patched, names);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        IsNativeName(name) ? _patchedHandle : IntPtr.Zero;

    private static bool IsNativeName(string name) =>
        name is NativeName or NativeFile || name == "lib" + NativeName;

    private static string PatchedCopy(string nativePath, IReadOnlyList<string> versions)
    {
        string hash;
        using (var stream = File.OpenRead(nativePath))
            hash = Convert.ToHexString(SHA256.HashData(stream))[..16].ToLowerInvariant();
        string cacheRoot = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        string directory = Path.Combine(cacheRoot, "inversebench", "native", hash);
        string target = Path.Combine(directory, NativeFile);
        if (File.Exists(target) && ElfVersionPatcher.ReadRequirements(target)
                .Where(r => r.Dependency == StdCxx && versions.Contains(r.Version)).All(r => r.IsWeak))
            return target;

        Directory.CreateDirectory(directory);
        string temp = Path.Combine(directory, $".{NativeFile}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.Copy(nativePath, temp, overwrite: true);
        ElfVersionPatcher.MarkWeak(temp, StdCxx, versions);
        File.Move(temp, target, overwrite: true);
        return target;
    }

    private static string? FindNextToApplication(string fileName)
    {
        var directories = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirs)
            directories.AddRange(searchDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        string baseDir = AppContext.BaseDirectory;
        string rid = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        directories.Add(baseDir);
        directories.Add(Path.Combine(baseDir, "runtimes", rid, "native"));
        if (Path.GetDirectoryName(typeof(torch).Assembly.Location) is { Length: > 0 } torchDir)
        {
            directories.Add(torchDir);
            directories.Add(Path.Combine(torchDir, "runtimes", rid, "native"));
        }

        return directories.Select(d => Path.Combine(d, fileName)).FirstOrDefault(File.Exists);
    }
}
