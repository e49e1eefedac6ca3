using InverseBench.Core.Runtime;
using InverseBench.Tests.TestUtilities;

namespace InverseBench.Tests.Core.Runtime;

public sealed class ElfVersionPatcherTests
{
    private string _dir = null!;

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("ib-elf-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    private string Write(byte[] image, string name = "lib.so")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, image);
        return path;
    }

    private static readonly (string, string[])[] Needs =
    [
        ("libc.so.6", ["GLIBC_2.2.5", "GLIBC_2.34"]),
        ("libstdc++.so.6", ["GLIBCXX_3.4.30", "GLIBCXX_3.4.32", "CXXABI_1.3.13"]),
    ];

    [TestCase(true, true)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    [TestCase(false, false)]
    public void ReadRequirements_ListsEveryEntry(bool is64, bool little)
    {
        string path = Write(SyntheticElf.Build(Needs, is64: is64, littleEndian: little));
        var needs = ElfVersionPatcher.ReadRequirements(path);
        needs.Select(n => $"{n.Dependency}:{n.Version}").Should().Equal(
            "libc.so.6:GLIBC_2.2.5", "libc.so.6:GLIBC_2.34",
            "libstdc++.so.6:GLIBCXX_3.4.30", "libstdc++.so.6:GLIBCXX_3.4.32", "libstdc++.so.6:CXXABI_1.3.13");
        needs.Should().OnlyContain(n => !n.IsWeak);
    }

    [Test]
    public void MarkWeak_SetsTheWeakFlagOnlyOnTheNamedVersion_AndChangesNothingElse()
    {
        byte[] original = SyntheticElf.Build(Needs);
        string path = Write(original);
        ElfVersionPatcher.MarkWeak(path, "libstdc++.so.6", ["GLIBCXX_3.4.32"]).Should().Be(1);

        var needs = ElfVersionPatcher.ReadRequirements(path);
        needs.Single(n => n.IsWeak).Version.Should().Be("GLIBCXX_3.4.32");
        byte[] patched = File.ReadAllBytes(path);
        patched.Length.Should().Be(original.Length);
        Enumerable.Range(0, original.Length).Count(i => original[i] != patched[i]).Should().Be(1, "only the vna_flags byte changes");
    }

    [Test]
    public void MarkWeak_IsIdempotent()
    {
        string path = Write(SyntheticElf.Build(Needs));
        ElfVersionPatcher.MarkWeak(path, "libstdc++.so.6", ["GLIBCXX_3.4.32"]).Should().Be(1);
        byte[] once = File.ReadAllBytes(path);
        ElfVersionPatcher.MarkWeak(path, "libstdc++.so.6", ["GLIBCXX_3.4.32"]).Should().Be(0);
        File.ReadAllBytes(path).Should().Equal(once);
    }

    [Test]
    public void MarkWeak_ReplacesTheFile_SoAHardLinkedOriginalStaysUntouched()
    {
        byte[] original = SyntheticElf.Build(Needs);
        string path = Write(original);
        string copy = Path.Combine(_dir, "copy.so");
        var ln = System.Diagnostics.Process.Start("ln", [path, copy]);
        ln.WaitForExit();
        if (ln.ExitCode != 0) Assert.Ignore("Hard links are not available here.");
        ElfVersionPatcher.MarkWeak(copy, "libstdc++.so.6", ["GLIBCXX_3.4.32"]).Should().Be(1);
        File.ReadAllBytes(path).Should().Equal(original, "a package-cache file hard-linked into bin/ must never be written through");
        ElfVersionPatcher.ReadRequirements(copy).Single(n => n.IsWeak).Version.Should().Be("GLIBCXX_3.4.32");
    }

    [Test]
    public void MissingVersions_ComparesAgainstTheProvidersDefinitions()
    {
        string lib = Write(SyntheticElf.Build(Needs), "lib.so");
        string provider = Write(SyntheticElf.Build([], ["libstdc++.so.6", "GLIBCXX_3.4", "GLIBCXX_3.4.30", "CXXABI_1.3.13"]), "libstdc++.so.6");
        ElfVersionPatcher.ReadDefinedVersions(provider).Should().Contain("GLIBCXX_3.4.30");
        ElfVersionPatcher.MissingVersions(lib, "libstdc++.so.6", provider).Should().Equal("GLIBCXX_3.4.32");

        ElfVersionPatcher.MarkWeak(lib, "libstdc++.so.6", ["GLIBCXX_3.4.32"]);
        ElfVersionPatcher.MissingVersions(lib, "libstdc++.so.6", provider).Should().BeEmpty("weak requirements are tolerated");
    }

    [Test]
    public void NonElfFile_IsRefusedWithAClearError()
    {
        string path = Write("this is a text file, not a library"u8.ToArray(), "notes.txt");
        var act = () => ElfVersionPatcher.MarkWeak(path, "libstdc++.so.6", ["GLIBCXX_3.4.32"]);
        act.Should().Throw<InvalidDataException>().WithMessage("*is not an ELF file*");
    }

    [Test]
    public void TruncatedElf_IsRefusedWithAClearError()
    {
        byte[] image = SyntheticElf.Build(Needs);
        string path = Write(image[..(image.Length - 100)]);
        var act = () => ElfVersionPatcher.ReadRequirements(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*truncated or corrupt*");
    }

    [Test]
    public void ShippedTorchSharpLibrary_IsLoadableOnThisSystem()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("Linux only.");
        var status = TorchRuntime.Status;
        status.LoadedLibraryPath.Should().NotBeNull();
        var system = ElfSymbolVersioning.FindSystemLibStdCxx();
        if (system is null) Assert.Ignore("No system libstdc++ found.");
        ElfVersionPatcher.MissingVersions(status.LoadedLibraryPath!, "libstdc++.so.6", system)
            .Should().BeEmpty("the loaded copy must not need a libstdc++ version the system lacks");
    }
}
