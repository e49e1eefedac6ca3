namespace InverseBench.Core.Runtime;

/// <summary>A symbol version that an ELF shared object requires from one of its dependencies.</summary>
/// <param name="Dependency">The dependency's file name, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Version">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="IsWeak">Whether the requirement carries <c>VER_FLG_WEAK</c>, so the loader tolerates its absence.</param>
public sealed record ElfVersionRequirement(string Dependency, string Version, bool IsWeak);

/// <summary>
/// Reads and patches the symbol-versioning tables of ELF shared objects. Used to let TorchSharp's native library load on
/// distributions whose libstdc++ is older than the one it was linked against (see <see cref="TorchRuntime"/>).
/// </summary>
/// <remarks>
/// Only the <c>vna_flags</c> field of <c>.gnu.version_r</c> entries is ever written; the file size and every other
/// byte stay unchanged. Non-ELF, truncated or corrupt files are refused with an <see cref="InvalidDataException"/>.
/// </remarks>
public static class ElfVersionPatcher
{
    /// <summary>Reads every version requirement (<c>.gnu.version_r</c>) of the ELF file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid ELF file.</exception>
    public static IReadOnlyList<ElfVersionRequirement> ReadRequirements(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ElfSymbolVersioning.ReadVersionNeeds(File.ReadAllBytes(path), path)
            .Select(n => new ElfVersionRequirement(n.File, n.Version, n.IsWeak))
            .ToArray();
    }

    /// <summary>Reads the version names that the ELF file at <paramref name="path"/> defines (<c>.gnu.version_d</c>).</summary>
    /// <exception cref="InvalidDataException">The file is not a valid ELF file.</exception>
    public static IReadOnlyList<string> ReadDefinedVersions(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ElfSymbolVersioning.ReadVersionDefinitions(File.ReadAllBytes(path), path);
    }

    /// <summary>
    /// Marks the requirements of <paramref name="dependency"/> named in <paramref name="versions"/> as weak, in place.
    /// Idempotent: entries already weak are left alone. The file is replaced through a rename, so a hard link to it
    /// elsewhere is never written through.
    /// </summary>
    /// <returns>How many requirement entries changed.</returns>
    /// <exception cref="InvalidDataException">The file is not a valid ELF file.</exception>
    public static int MarkWeak(string path, string dependency, IEnumerable<string> versions)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(dependency);
        ArgumentNullException.ThrowIfNull(versions);
        byte[] image = File.ReadAllBytes(path);
        int changed = ElfSymbolVersioning.MarkWeak(image, path, dependency, versions.ToHashSet(StringComparer.Ordinal));
        if (changed > 0) ElfSymbolVersioning.ReplaceFile(path, image);
        return changed;
    }

    /// <summary>
    /// The non-weak versions of <paramref name="dependency"/> that <paramref name="libraryPath"/> requires and
    /// <paramref name="providerPath"/> (the dependency actually installed) does not define.
    /// </summary>
    public static IReadOnlyList<string> MissingVersions(string libraryPath, string dependency, string providerPath)
    {
        var defined = ReadDefinedVersions(providerPath).ToHashSet(StringComparer.Ordinal);
        var needs = ElfSymbolVersioning.ReadVersionNeeds(File.ReadAllBytes(libraryPath), libraryPath);
        return ElfSymbolVersioning.MissingVersions(needs, dependency, defined);
    }
}
